// Powertools logger and metrics behind the handlers' Log and Metrics ports: one logger per service, so the
// Lambda entry point can add the request id and cold-start flag that every line then carries.
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

/** Each count is written as EMF at once (a single metric), so no invocation can forget to flush. */
export const powertoolsMetrics = (serviceName: string): Metrics => {
  const metrics = new PowertoolsMetrics({ namespace: 'Collections', serviceName });
  return { count: (name, value = 1) => metrics.singleMetric().addMetric(name, MetricUnit.Count, value) };
};
