// Powertools logger and metrics behind the handlers' Log and Metrics ports: one of each per service, so the Lambda
// entry's middlewares can add the request id and cold-start flag to every line and flush the counts once.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics as PowertoolsMetrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Log, Metrics } from '../../ports';

const loggers = new Map<string, Logger>();

export const loggerFor = (serviceName: string): Logger => {
  let logger = loggers.get(serviceName);
  if (!logger) {
    logger = new Logger({ serviceName });
    loggers.set(serviceName, logger);
  }
  return logger;
};

export const powertoolsLog = (serviceName: string): Log => {
  const logger = loggerFor(serviceName);
  return {
    info: (message, extra) => logger.info(message, extra ?? {}),
    warn: (message, extra) => logger.warn(message, extra ?? {}),
    error: (message, extra) => logger.error(message, extra ?? {}),
  };
};

/** How Metrics warns, at every flush, that an invocation counted nothing, which most invocations do. */
const NOTHING_COUNTED = 'No application metrics to publish';

/** Metrics' own warnings on the service's logger, less the one that only says nothing was counted. */
const metricsLogger = (logger: Logger) => ({
  debug: (message: string) => logger.debug(message),
  info: (message: string) => logger.info(message),
  warn: (message: string) => {
    if (!message.startsWith(NOTHING_COUNTED)) logger.warn(message);
  },
  error: (message: string) => logger.error(message),
});

const metricsByService = new Map<string, PowertoolsMetrics>();

export const metricsFor = (serviceName: string): PowertoolsMetrics => {
  let metrics = metricsByService.get(serviceName);
  if (!metrics) {
    metrics = new PowertoolsMetrics({
      namespace: 'Collections',
      serviceName,
      logger: metricsLogger(loggerFor(serviceName)),
    });
    metricsByService.set(serviceName, metrics);
  }
  return metrics;
};

/** Counts are stored until the Lambda entry's logMetrics middleware writes them, once per invocation, as EMF. */
export const powertoolsMetrics = (serviceName: string): Metrics => {
  const metrics = metricsFor(serviceName);
  return { count: (name, value = 1) => metrics.addMetric(name, MetricUnit.Count, value) };
};
