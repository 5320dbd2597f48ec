// The system clock: production reads the time; local runs inject a virtual clock instead.
import type { Clock } from '../ports';

export const systemClock: Clock = { now: () => new Date() };
