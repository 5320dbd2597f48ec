// Tallies that add: counts, sums, per-key counts and per-day series. Shards of a run, and accounts as
// they finish, are folded into one with the same function.

/**
 * Adds `from` into `into` and returns `into`: numbers add, series add position by position, objects merge
 * key by key (a key only `from` has is copied). Tallies are made of nothing else: counts, sums, series of
 * counts and counts by name, nested as deep as they need.
 */
export const addUp = <T extends object>(into: T, from: T): T => {
  const target = into as Record<string, unknown>;
  for (const [key, value] of Object.entries(from)) {
    const current = target[key];
    if (typeof value === 'number') target[key] = (typeof current === 'number' ? current : 0) + value;
    else if (current === undefined) target[key] = structuredClone(value);
    else addUp(current as object, value as object);
  }
  return into;
};
