// Live mode's clock as a formula anyone can evaluate: virtual time runs at `speed` × the wall clock from the
// moment pacing began. `npm run serve` writes the pace into its state file, so a client (the report) can
// tell the service's "today" without asking it.

export interface LivePace {
  /** Virtual time when pacing began, ms. */
  virtualStart: number;
  /** Wall-clock time when pacing began, ms. */
  wallStart: number;
  speed: number;
}

export const pacedNow = (pace: LivePace, wallNow: number): number =>
  pace.virtualStart + (wallNow - pace.wallStart) * pace.speed;
