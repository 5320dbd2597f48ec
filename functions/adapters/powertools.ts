// Powertools logger and metrics behind the handlers' Log and Metrics ports.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics as PowertoolsMetrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Log, Metrics } from '../shared/ports';

export const powertoolsLog = (serviceName: string): Log => {
  const logger = new Logger({ serviceName });
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
