// In-memory stand-ins for Powertools logger and metrics during local runs: same ports, kept for
// --trace, the PII check and the KPI counts.
import type { Log, Metrics } from '../../functions/ports';
import type { Clock } from '../../functions/ports';

export interface LogLine {
  at: string;
  level: 'info' | 'warn' | 'error';
  service: string;
  message: string;
  [key: string]: unknown;
}

/** A log whose lines go to `sink` (an array's push, or a listener that looks at each and lets it go). */
export const recordingLog = (service: string, clock: Clock, sink: (line: LogLine) => void): Log => {
  const write =
    (level: LogLine['level']) =>
    (message: string, extra: Record<string, unknown> = {}) => {
      sink({ at: clock.now().toISOString(), level, service, message, ...extra });
    };
  return { info: write('info'), warn: write('warn'), error: write('error') };
};

export const countingMetrics = (counts: Record<string, number>): Metrics => ({
  count: (name, value = 1) => {
    counts[name] = (counts[name] ?? 0) + value;
  },
});
