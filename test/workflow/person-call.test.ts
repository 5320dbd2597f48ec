// One call for all debts (docs/contract.md §11.1) through the twin: the person's cards that want a call on the same day
// are on one task, which the collector dials once, and the call is recorded on each card, each quiet for 7 days after.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { account, contacts, DAY, ms, OUR_SCENARIOS, run } from '../support/scenarios';

const file = path.join(OUR_SCENARIOS, 'person-one-call.json');

describe('person-one-call.json', () => {
  it('puts the second card that wants a call on the task of the first, and announces the task with both', async () => {
    const { artifacts } = await run(file);
    const created = artifacts.stack.outputs.eventsOut
      .filter((e) => e.detailType === 'CallTaskCreated')
      .map((e) => e.detail as { taskId: string; accountId: string; accountIds?: string[] });
    const joint = created.filter((e) => e.accountIds?.length === 2);
    expect(joint).toHaveLength(1);
    // The task as it stands, made by ONE1 and joined by ONE2: `accountId` the first, for v3 clients.
    expect(joint[0]).toMatchObject({ accountId: 'ONE1', accountIds: ['ONE1', 'ONE2'] });
    expect(created.filter((e) => e.taskId === joint[0]!.taskId).map((e) => e.accountIds)).toEqual([
      ['ONE1'],
      ['ONE1', 'ONE2'],
    ]);
  });

  it('records one right-party call on both cards, naming both, and calls neither again for 7 days', async () => {
    const { result, artifacts } = await run(file);
    const [one1, one2] = [account(result.accounts, 'ONE1'), account(result.accounts, 'ONE2')];
    const both = (a: typeof one1) => contacts(a).filter((c) => c.channel === 'call' && Array.isArray(c.accountIds));
    expect(both(one1).map((c) => [c.at, c.accountIds])).toEqual([[expect.any(String), ['ONE1', 'ONE2']]]);
    expect(both(one2).map((c) => [c.at, c.accountIds])).toEqual(both(one1).map((c) => [c.at, c.accountIds]));
    const { at } = both(one1)[0]!;
    for (const card of [one1, one2]) {
      // What the customer said is each card's: a conversation, which starts each one's quiet days.
      expect(artifacts.records.get(card.accountId)!.filter((e) => e.kind === 'call-outcome' && e.at === at)).toEqual([
        expect.objectContaining({ outcome: 'right-party' }),
      ]);
      const after = contacts(card).filter((c) => c.channel === 'call' && ms(c.at) > ms(at));
      expect(after.filter((c) => ms(c.at) < ms(at) + 7 * DAY)).toEqual([]);
    }
    expect(result.violations).toEqual([]);
    expect(result.rejected).toEqual([]);
  });
});
