// The clock port: production reads the system time; the simulator injects a virtual clock.
export interface Clock { now(): Date }

export const systemClock: Clock = { now: () => new Date() };
