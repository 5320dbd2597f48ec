// Tallies add up the same whichever way they are grouped: accounts into shards, shards into a run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addUp } from '../../workflows/tools/simulation/add-up';

describe('adding tallies', () => {
  it('adds counts, series position by position and counts by name, keeping keys only one side has', () => {
    type Tally = { n: number; byDay: number[]; byName: Record<string, number>; nested: { calls: { tasks: number } } };
    const into: Tally = { n: 1, byDay: [1, 2, 0], byName: { a: 1 }, nested: { calls: { tasks: 2 } } };
    const from: Tally = { n: 2, byDay: [0, 1, 5, 7], byName: { b: 3 }, nested: { calls: { tasks: 1 } } };
    expect(addUp(into, from)).toEqual({
      n: 3,
      byDay: [1, 3, 5, 7],
      byName: { a: 1, b: 3 },
      nested: { calls: { tasks: 3 } },
    });
    // What only `from` had is copied, not shared: adding more later leaves `from` alone.
    addUp(into, { n: 0, byDay: [], byName: { b: 1 }, nested: { calls: { tasks: 0 } } });
    expect(from.byName).toEqual({ b: 3 });
  });

  it('gives the same total whatever the grouping (a run split into shards adds up to the run)', () => {
    const tally = fc.record({
      n: fc.nat(1000),
      byDay: fc.array(fc.nat(1000), { maxLength: 5 }),
      byName: fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.nat(1000)),
    });
    fc.assert(
      fc.property(fc.array(tally, { minLength: 1, maxLength: 8 }), fc.nat(8), (tallies, cut) => {
        const zero = () => ({ n: 0, byDay: [] as number[], byName: {} as Record<string, number> });
        const whole = tallies.reduce((t, x) => addUp(t, x), zero());
        const split = [tallies.slice(0, cut), tallies.slice(cut)].map((part) =>
          part.reduce((t, x) => addUp(t, x), zero()),
        );
        expect(addUp(split[0]!, split[1]!)).toEqual(whole);
      }),
    );
  });
});
