// The portfolio simulation through the real local stack: compliant, deterministic, and reported.
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeKpis } from '../../workflows/tools/simulation/kpis';
import { ACCOUNT_COLUMNS, csvHeader, csvLine, type AccountRow } from '../../workflows/tools/simulation/account-row';
import { kpiRows, writeReports } from '../../workflows/tools/simulation/report';
import { runSimulation, type Progress, type SimulationRun } from '../../workflows/tools/simulation/run-simulation';
import { dynamoEndpoint } from '../support/dynamo';

const options = { accounts: 100, days: 30, pack: POLICY_PACKS['us-regf'], seed: 5, keepRecords: true };
const contactsBy = (a: SimulationRun['accounts'][number]) =>
  ['email', 'sms', 'call'].map((c) => a.record.filter((e) => e.kind === 'contact' && e.channel === c).length);
/** What must not depend on the adapters, the faults or the number of workers: each account's fate. */
const fate = (r: SimulationRun) =>
  r.accounts.map((a) => [
    a.state.accountId,
    a.state.closeReason,
    a.state.closedAt,
    a.state.collected,
    ...contactsBy(a),
    a.record.length,
  ]);
const money = (r: SimulationRun) =>
  r.accounts.map((a) => [a.state.accountId, a.state.closeReason, a.state.collected, ...contactsBy(a)]);
let run: SimulationRun;
/** The rows of accounts.csv, as the run handed them out account by account. */
const rows: AccountRow[] = [];
const csv = () => (csvHeader() + rows.map(csvLine).join('')).trim().split('\n');

beforeAll(async () => {
  run = await runSimulation({
    ...options,
    store: 'dynamodb-local',
    dynamoEndpoint: await dynamoEndpoint(),
    onAccount: (row) => rows.push(row),
  });
}, 180_000);

describe('portfolio simulation', () => {
  it('runs every account through the workflow with no violation and no failed execution', () => {
    expect(run.accounts).toHaveLength(100);
    expect(run.violations).toEqual([]);
    expect(run.usage.failedExecutions).toBe(0);
    expect(run.usage.executions).toBe(100);
    // As a standard queue delivers (docs/contract.md §10.1): some events late, after ones sent later (and some twice).
    expect(run.usage.eventsLate).toBeGreaterThan(0);
    // The capacity model's load, read from DynamoDB Local's requests: every DAILY# write counted in time and by shard.
    const { load } = run.usage;
    const dailyWrites = Object.values(load.byDay.dailyWrites).reduce((a, b) => a + b, 0);
    expect(dailyWrites).toBeGreaterThan(100);
    expect(Object.values(load.dailyShards).reduce((a, b) => a + b, 0)).toBe(dailyWrites);
    expect(Object.keys(load.dailyShards).every((sk) => /^SHARD#\d\d$/.test(sk))).toBe(true);
    expect(load.byMinuteOfDay.transitions.reduce((a, b) => a + b, 0)).toBe(run.usage.transitions);
  });

  it('lets the customers act: payments, promises, plans and closes happen', () => {
    const kpis = computeKpis(run);
    expect(kpis.outcomes.cured ?? 0).toBeGreaterThan(2);
    expect(kpis.promisesMade).toBeGreaterThan(0);
    expect(kpis.plansAccepted).toBeGreaterThan(0);
    expect(kpis.collected).toBeGreaterThan(0);
    expect(kpis.contactsPerAccount).toBeGreaterThan(3);
    expect(kpis.contactsByLocalHour.slice(0, 8).concat(kpis.contactsByLocalHour.slice(21))).toEqual(Array(11).fill(0));
    // Each account at its own time (docs/contract.md §10.5), not the whole portfolio at the window's first minute.
    expect(kpis.peakHourShare).toBe(
      Math.max(...kpis.contactsByLocalHour) / kpis.contactsByLocalHour.reduce((a, b) => a + b),
    );
    expect(kpis.peakHourShare).toBeLessThanOrEqual(0.2);
    expect(kpis.cost.perAccount).toBeGreaterThan(0);
    // People with several cards (docs/contract.md §11.1), in kpis.json and the table.
    expect(kpis.people).toBeLessThan(100);
    expect(kpis.accountsPerPerson).toBeGreaterThan(1);
    const people = kpiRows([{ label: 'champion', run, kpis }]).find(([label]) => label.startsWith('people'));
    expect(people?.[1]).toBe(`${kpis.people}, ${kpis.accountsPerPerson}`);
  });

  it('prices DynamoDB from the units consumed, which exceed the write requests (transactions count double)', () => {
    const writes = ['TransactWriteItems', 'PutItem', 'UpdateItem'].reduce(
      (sum, op) => sum + (run.usage.dynamo[op] ?? 0),
      0,
    );
    expect(run.usage.dynamo.TransactWriteItems).toBeGreaterThan(0);
    // A transaction writes at least two items at two units each; a rare write that fails its condition costs none here.
    expect(run.usage.dynamoUnits.write).toBeGreaterThan(writes);
    expect(run.usage.dynamoUnits.read).toBeGreaterThan(0);
    expect(computeKpis(run).cost.lines['DynamoDB writes']).toBeCloseTo((run.usage.dynamoUnits.write * 0.625) / 1e6, 12);
  });

  it('reads n/a, not 0%, for a rate with nothing to count', () => {
    const kpis = computeKpis(run);
    const unreached = kpis.rollRates.find((r) => r.accounts === 0);
    expect(unreached?.rate).toBeNull();
    expect(
      kpiRows([{ label: 'champion', run, kpis }]).find(
        ([label]) => label === `roll rate ${unreached!.from} → ${unreached!.to}`,
      )?.[1],
    ).toBe('n/a of 0');
  });

  it('agrees with itself: every email, SMS and event out the record implies was delivered, once', () => {
    const { consistency } = run;
    expect(consistency.messagesSent.email.expected).toBeGreaterThan(10);
    expect(consistency.messagesSent.sms.expected).toBeGreaterThan(10);
    expect(consistency.messagesSent.email.actual).toBe(consistency.messagesSent.email.expected);
    expect(consistency.messagesSent.sms.actual).toBe(consistency.messagesSent.sms.expected);
    expect(Object.keys(consistency.eventsOut)).toEqual(
      expect.arrayContaining(['CollectionStarted', 'ContactAttempted', 'CycleClosed']),
    );
    for (const [type, tally] of Object.entries(consistency.eventsOut)) expect(tally.actual, type).toBe(tally.expected);
    expect(consistency.eventsUnexplained).toBe(0);
  });

  it('gives the same outcome for every account with in-process adapters as with DynamoDB Local', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'sim-documents-'));
    const memory = await runSimulation({ ...options, store: 'memory', documentsDir: out });
    expect(memory.options.store).toBe('memory');
    // Every letter in the record is a PDF under the run's folder, where the record says (docs/contract.md §8).
    const letters = memory.accounts.flatMap((a) => a.record.filter((e) => e.kind === 'letter'));
    expect(letters.length).toBeGreaterThan(3);
    for (const letter of letters)
      expect(readFileSync(path.join(out, letter.documentKey)).subarray(0, 5).toString()).toBe('%PDF-');
    expect(fate(memory)).toEqual(fate(run));
    expect(memory.consistency).toEqual(run.consistency);
    // The same requests are made either way, and the in-process store prices them from item sizes.
    expect(memory.usage.dynamo).toEqual(run.usage.dynamo);
    expect(memory.usage.dynamoUnits.write).toBeGreaterThan(run.usage.dynamoUnits.write * 0.5);
  }, 60_000);

  it('streams: with no record kept the tally, checks and rows are the same, and memory lets each go', async () => {
    const streamed: AccountRow[] = [];
    const kept: { states: number; entries: number } = { states: 0, entries: 0 };
    const lean = await runSimulation({
      ...options,
      keepRecords: false,
      store: 'memory',
      onAccount: (row) => streamed.push(row),
      inspect: async (stack) => {
        for (const row of streamed) {
          const state = await stack.store.getState(row.accountId);
          if (state) kept.states += 1;
          kept.entries += (await stack.store.record(row.accountId, state?.cycleId ?? 'C1')).length;
        }
      },
    });
    expect(lean.accounts).toEqual([]);
    expect(lean.tally).toEqual(run.tally);
    expect(lean.consistency).toEqual(run.consistency);
    expect(lean.violations).toEqual([]);
    const byId = (list: AccountRow[]) => [...list].sort((a, b) => a.accountId.localeCompare(b.accountId));
    expect(byId(streamed)).toEqual(byId(rows));
    // Each account's state stays (a late event is refused as before); its record entries are gone.
    expect(kept).toEqual({ states: 100, entries: 0 });
  }, 60_000);

  it(
    'gives the same outcome for every account when 20% of calls fail, invocations are throttled before they run ' +
      'and handlers die after their writes (in process)',
    async () => {
      const faulty = await runSimulation({ ...options, store: 'memory', faultRate: 0.2 });
      expect(faulty.usage.faultsInjected).toBeGreaterThan(500);
      expect(Object.values(faulty.usage.crashesInjected).reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
      // The intake among them: the queue's poller tries a throttled batch again (docs/contract.md §10.4).
      expect(faulty.usage.throttlesInjected.intake).toBeGreaterThan(10);
      expect(Object.values(faulty.usage.throttlesInjected).reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
      expect(money(faulty)).toEqual(money(run));
      expect(faulty.violations).toEqual([]);
      expect(faulty.usage.failedExecutions).toBe(0);
      expect(faulty.consistency.messagesSent).toEqual(run.consistency.messagesSent);
      for (const [type, tally] of Object.entries(faulty.consistency.eventsOut))
        expect(tally, type).toEqual(run.consistency.eventsOut[type]);
    },
    60_000,
  );

  it('gives the same outcome on DynamoDB Local when 20% of its calls, sends, puts and callbacks fail', async () => {
    // The first 12 accounts of a portfolio are the same whatever its size, and accounts never interact.
    // A DynamoDB Local of its own: the file's instance has grown streams that slow every write.
    const progress: Progress[] = [];
    const faulty = await runSimulation({
      ...options,
      accounts: 12,
      store: 'dynamodb-local',
      faultRate: 0.2,
      onProgress: (p) => progress.push(p),
    });
    expect(faulty.usage.faultsInjected).toBeGreaterThan(100);
    // Events out come at least once (a CycleClosed may come twice): progress counts each closed account once.
    expect(progress.at(-1)?.closed).toBe(faulty.accounts.filter((a) => a.state.status === 'closed').length);
    expect(money(faulty)).toEqual(money(run).slice(0, 12));
    expect(faulty.violations).toEqual([]);
    for (const [channel, tally] of Object.entries(faulty.consistency.messagesSent))
      expect(tally.actual, channel).toBe(tally.expected);
    for (const [type, tally] of Object.entries(faulty.consistency.eventsOut))
      expect(tally.actual, type).toBe(tally.expected);
  }, 180_000);

  it('gives the same outcome per account with one worker thread or two, in one batch or several', async () => {
    const small = { ...options, accounts: 40, store: 'memory' as const };
    const progress: Progress[] = [];
    const [one, two] = [await runSimulation({ ...small, workers: 1 }), await runSimulation({ ...small, workers: 2 })];
    const batched = await runSimulation({ ...small, workers: 1, batchSize: 15, onProgress: (p) => progress.push(p) });
    expect(two.accounts).toHaveLength(40);
    expect(fate(two)).toEqual(fate(one));
    expect(fate(batched)).toEqual(fate(one));
    expect(batched.tally).toEqual(one.tally);
    // Three batches of at most 15, one after another: progress runs through them to the whole run.
    expect(progress.map((p) => p.batch)).toEqual([...progress.map((p) => p.batch)].sort());
    expect(progress.at(-1)).toMatchObject({ batch: 3, batches: 3, accountDays: 40 * 30, totalAccountDays: 40 * 30 });
    expect(two.consistency).toEqual(one.consistency);
    expect(two.usage.invocations).toEqual(one.usage.invocations);
    // The first 40 accounts are those of the larger run.
    expect(fate(two)).toEqual(fate(run).slice(0, 40));
  }, 60_000);

  it('writes report.html and kpis.json, and hands out one CSV row per account as each finishes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'report-'));
    const files = await writeReports(dir, [{ label: 'champion', run, kpis: computeKpis(run) }]);
    expect(files.map((f) => path.basename(f))).toEqual(['report.html', 'kpis.json']);
    expect(new Set(rows.map((r) => r.accountId)).size).toBe(100);
    // Closed accounts come as they close (in order of their virtual close), the open ones at the end.
    const closedAt = rows.filter((r) => r.closedAt).map((r) => r.closedAt!);
    expect(rows.slice(0, closedAt.length).every((r) => r.closedAt)).toBe(true);
    expect(closedAt.length).toBeGreaterThan(10);
    expect(csv()).toHaveLength(101);
    expect(csv()[0]).toBe(
      [
        'accountId,profile,timezone,locale,currency,overdue,balance,collected,status,closeReason,closedAt',
        'furthestBucket,contacts,escalationLevel,plansAccepted,promisesMade,promisesKept',
      ].join(','),
    );
    const kpis = JSON.parse(readFileSync(files[1]!, 'utf8'));
    expect(kpis[0].kpis.violations).toBe(0);
    expect(readFileSync(files[0]!, 'utf8')).not.toContain('Synthetic Customer');
  });
});

describe('KPI definitions (docs/contract.md §9)', () => {
  it('counts an account as reaching a bucket the same way in kpis.json, accounts.csv and the report', () => {
    const kpis = computeKpis(run);
    const lines = csv()
      .slice(1)
      .map((line) => line.split(','));
    const column = ACCOUNT_COLUMNS.indexOf('furthestBucket');
    const order = ['current', 'B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'charge-off'];
    for (const bucket of order.slice(1)) {
      const fromCsv = lines.filter((row) => order.indexOf(row[column]!) >= order.indexOf(bucket)).length;
      expect(kpis.reachedBucket[bucket], bucket).toBe(fromCsv);
    }
    expect(kpis.reachedBucket.B1).toBe(100);
  });

  it('reports the recovery rate as collected over the balances at delinquency', () => {
    const kpis = computeKpis(run);
    const balances = run.accounts.reduce(
      (sum, a) => sum + (a.record.find((e) => e.kind === 'started') as { balance: number }).balance,
      0,
    );
    expect(kpis.balanceAtDelinquency).toBe(balances);
    expect(kpis.recoveryRate).toBeCloseTo(kpis.collected / balances, 12);
    expect(kpis.recoveryRate).toBeGreaterThan(0);
  });
});
