// npm run faults [-- --accounts 200 --days 180 --seeds 1,2,3 --rates 0.05,0.2 --store memory|dynamodb-local]
// The fault suite: for each seed, a fault-free run and runs with R of the calls to every local endpoint
// failing (DynamoDB, SES, SMS, PutEvents, SendTaskSuccess…) and handlers dying after their writes.
// Every account's close, reason, collected amount and contacts per channel must match the fault-free
// run, and each run's record must agree with what was delivered. Exit code 1 if anything differs.
import { CHANNELS } from '../../../functions/domain/channels';
import { POLICY_PACKS } from '../../../policies/built-in-packs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadWorkflow } from '../../twin/synthesized-workflow';
import { STORE_KINDS, type StoreKind } from '../../twin/local-stack';
import type { Consistency } from '../simulation/consistency';
import { runSimulation, type SimulationRun } from '../simulation/run-simulation';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string' },
    days: { type: 'string' },
    seeds: { type: 'string' },
    rates: { type: 'string' },
    store: { type: 'string' },
  },
});
const store = (values.store ?? 'memory') as StoreKind;
if (!(STORE_KINDS as readonly string[]).includes(store))
  throw new Error(`--store: expected one of ${STORE_KINDS.join(', ')}, got ${store}`);
const accounts = Number(values.accounts ?? 200);
const days = Number(values.days ?? 180);
const seeds = (values.seeds ?? '1,2,3').split(',').map(Number);
const rates = (values.rates ?? '0.05,0.2').split(',').map(Number);

/** What must not change under faults, per account. */
const fates = (run: SimulationRun) =>
  new Map(
    run.accounts.map((a) => [
      a.state.accountId,
      JSON.stringify([
        a.state.closeReason,
        a.state.collected,
        ...CHANNELS.map((c) => a.record.filter((e) => e.kind === 'contact' && e.channel === c).length),
      ]),
    ]),
  );

const disagreements = (c: Consistency): string[] => [
  ...Object.entries(c.messagesSent)
    .filter(([, t]) => t.expected !== t.actual)
    .map(([channel, t]) => `${channel} ${t.actual}/${t.expected}`),
  ...Object.entries(c.eventsOut)
    .filter(([, t]) => t.expected !== t.actual)
    .map(([type, t]) => `${type} ${t.actual}/${t.expected}`),
  ...(c.eventsUnexplained > 0 ? [`${c.eventsUnexplained} unexplained events`] : []),
];

const main = async () => {
  const workflow = await loadWorkflow(POLICY_PACKS['us-regf']);
  const rows: Record<string, unknown>[] = [];
  let failed = false;
  for (const seed of seeds) {
    const run = (faultRate: number) => {
      let shown = -30;
      // Each DynamoDB Local run gets a fresh instance: its streams slow every write as they grow (README).
      return runSimulation({
        accounts,
        days,
        pack: POLICY_PACKS['us-regf'],
        seed,
        faultRate,
        store,
        workflow,
        keepRecords: true,
        onProgress: ({ day, closed }) => {
          if (day < shown + 30) return;
          shown = day;
          console.log(`  seed ${seed} faults ${faultRate}: day ${day}/${days}, ${closed} closed`);
        },
      });
    };
    const baseline = await run(0);
    const expected = fates(baseline);
    for (const rate of [0, ...rates]) {
      const faulty = rate === 0 ? baseline : await run(rate);
      const got = fates(faulty);
      const changed = [...expected].filter(([id, fate]) => got.get(id) !== fate).map(([id]) => id);
      const off = disagreements(faulty.consistency);
      const row = {
        seed,
        rate,
        seconds: Number(faulty.seconds.toFixed(1)),
        faultsInjected: faulty.usage.faultsInjected,
        crashesInjected: Object.values(faulty.usage.crashesInjected).reduce((a, b) => a + b, 0),
        throttlesInjected: Object.values(faulty.usage.throttlesInjected).reduce((a, b) => a + b, 0),
        accountsChanged: changed.length,
        disagreements: off,
        violations: faulty.violations.length,
        failedExecutions: faulty.usage.failedExecutions,
        eventsRedelivered: faulty.consistency.eventsRedelivered,
      };
      rows.push(row);
      const ok = changed.length === 0 && off.length === 0 && row.violations === 0 && row.failedExecutions === 0;
      failed ||= !ok;
      console.log(
        `seed ${seed} faults ${rate}: ${row.faultsInjected} faults, ${row.crashesInjected} handler deaths, ` +
          `${row.throttlesInjected} invocations throttled, ` +
          `${row.seconds} s · ${changed.length} accounts ` +
          `changed${changed.length ? ` (${changed.slice(0, 5).join(', ')})` : ''} · record ${
            off.length ? `disagrees: ${off.join(', ')}` : 'agrees with deliveries'
          } · ${row.violations} violations · ${row.eventsRedelivered} events redelivered · ${ok ? 'OK' : 'FAIL'}`,
      );
    }
  }
  await mkdir('reports', { recursive: true });
  await writeFile(
    path.join('reports', `fault-suite-${store}.json`),
    JSON.stringify({ store, accounts, days, seeds, rates, rows }, null, 2),
  );
  console.log(
    `\n${failed ? 'FAULT SUITE FAILED' : 'Fault suite passed'} (${store}): reports/fault-suite-${store}.json`,
  );
  process.exitCode = failed ? 1 : 0;
};

main().catch((error: Error) => {
  console.error(`fault suite failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
