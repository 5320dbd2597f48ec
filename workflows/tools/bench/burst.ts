// A burst of inbound events through the local queue semantics the stack deploys: batches of 10 to the
// intake, partial batch failures redelivered, the last receive to the dead-letter queue. Mixed event
// types for many accounts, 1% delivered twice and 1% malformed; then the record is checked for loss.
import { POLICY_PACKS } from '../../../policies/built-in-packs';
import { seededRandom, type Random } from '../../twin/random';
import { INBOUND_REDELIVERY } from '../../twin/inbound-path';
import { LocalStack } from '../../twin/local-stack';
import type { SynthesizedWorkflow } from '../../twin/synthesized-workflow';

export interface BurstOptions {
  events: number;
  accounts: number;
  seed: number;
  dynamoEndpoint?: string;
  workflow?: SynthesizedWorkflow;
  faultRate?: number;
}

export interface BurstResult {
  events: number;
  duplicates: number;
  malformed: number;
  /**
   * Distinct valid events of each kind that carry an id, the record entries they produced, and those the account's
   * rules refused.
   */
  applied: Record<string, { sent: number; recorded: number; refused: number }>;
  deadLettered: number;
  /** Distinct events dead-lettered: a batch that fails after a rejection redelivers it, so it may land twice. */
  deadLetteredDistinct: number;
  /** Dead letters whose reason names a field (`field: what is wrong`). */
  deadLetteredWithReason: number;
  /** Reasons of the dead letters, most common first. */
  deadLetterReasons: [string, number][];
  redeliveries: number;
  seconds: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

const START = new Date('2026-01-06T15:00:00Z');
const BATCH = 10;
/** Batches in flight at once, as Lambda's SQS poller scales out. */
const CONCURRENCY = 4;

const envelope = (source: string, detailType: string, detail: Record<string, unknown>) => ({
  source,
  'detail-type': detailType,
  detail,
});

/** The burst: every account opened first, then a mix of ids-carrying events, some twice, some spoiled. */
const generate = (options: BurstOptions, random: Random) => {
  const ids = Array.from({ length: options.accounts }, (_, i) => `BURST${i}`);
  const opened = ids.map((accountId, i) =>
    envelope('bank.core', 'AccountDelinquent', {
      accountId,
      cycleId: '2026-01',
      currency: 'USD',
      balance: 10_000_000,
      amountDue: 5_000_000,
      dueDate: '2026-01-01',
      aprBps: 2999,
      customer: {
        name: `Burst Customer ${i}`,
        email: `burst${i}@example.com`,
        phone: `+1312555${String(2000 + i)}`,
        locale: 'en-US',
        timezone: 'America/Chicago',
      },
    }),
  );
  const kinds = [
    (a: string, n: number) =>
      envelope('bank.core', 'PaymentPosted', {
        accountId: a,
        paymentId: `P${n}`,
        amount: 1 + (n % 97),
        currency: 'USD',
        postedAt: START.toISOString(),
      }),
    (a: string, n: number) =>
      envelope('collections.customer', 'PromiseToPayMade', {
        accountId: a,
        promiseId: `PR${n}`,
        amount: 1000,
        dueDate: '2026-01-20',
      }),
    (a: string, n: number) =>
      envelope('collections.agent', 'CallOutcomeRecorded', { accountId: a, callId: `CALL${n}`, outcome: 'no-answer' }),
    (a: string, n: number) =>
      envelope('collections.customer', 'DisputeRaised', {
        accountId: a,
        disputeId: `D${n}`,
        reason: 'amount looks wrong',
      }),
  ];
  const rest = Array.from({ length: Math.max(0, options.events - opened.length) }, (_, n) =>
    kinds[Math.floor(random() * kinds.length)]!(ids[Math.floor(random() * ids.length)]!, n),
  );
  const events: Record<string, unknown>[] = [...opened];
  let duplicates = 0;
  let malformed = 0;
  for (const event of rest) {
    const roll = random();
    if (roll < 0.01) {
      // Spoiled: money as a decimal string, which the bank must never send.
      events.push({ ...event, detail: { ...(event.detail as object), amount: '12.00', outcome: 'maybe', reason: '' } });
      malformed += 1;
    } else {
      events.push(event);
      if (roll < 0.02) {
        events.push(event);
        duplicates += 1;
      }
    }
  }
  return { opened, burst: events.slice(opened.length), duplicates, malformed };
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

export const runBurst = async (options: BurstOptions): Promise<BurstResult> => {
  const random = seededRandom(options.seed);
  const { opened, burst, duplicates, malformed } = generate(options, random);
  const events = [...opened, ...burst];
  const stack = await LocalStack.start({
    pack: POLICY_PACKS['us-regf'],
    start: START,
    dynamoEndpoint: options.dynamoEndpoint,
    workflow: options.workflow,
    faultRate: options.faultRate,
    seed: options.seed,
  });
  try {
    const latencies: number[] = [];
    let redeliveries = 0;
    let queue: { body: Record<string, unknown>; receives: number }[] = [];
    const worker = async () => {
      for (;;) {
        const batch = queue.splice(0, BATCH);
        if (batch.length === 0) return;
        const t = performance.now();
        for (const m of batch) m.receives += 1;
        const { batchItemFailures, messageIds } = await stack.inbound.deliverBatch(batch.map((m) => m.body));
        const elapsed = performance.now() - t;
        for (let i = 0; i < batch.length; i += 1) latencies.push(elapsed);
        const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
        batch.forEach((m, i) => {
          if (!failed.has(messageIds[i]!) || m.receives >= INBOUND_REDELIVERY.maxReceives) return;
          redeliveries += 1;
          queue.push(m);
        });
      }
    };
    const drain = async (bodies: Record<string, unknown>[], offset: number) => {
      queue = bodies.map((body, i) => ({ body: { ...body, id: `burst-${offset + i}` }, receives: 0 }));
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      await stack.scheduler.idle();
    };
    // The accounts open first, as the bank's delinquency run precedes the day's traffic; then the burst.
    await drain(opened, 0);
    latencies.length = 0;
    const started = performance.now();
    await drain(burst, opened.length);
    const seconds = (performance.now() - started) / 1000;

    const valid = new Map<string, Set<string>>();
    for (const e of events) {
      const detail = e.detail as Record<string, unknown>;
      const key = ['paymentId', 'promiseId', 'callId', 'disputeId'].find((k) => k in detail);
      if (!key || typeof detail.amount === 'string' || detail.outcome === 'maybe' || detail.reason === '') continue;
      const set = valid.get(String(e['detail-type'])) ?? new Set<string>();
      set.add(`${String(detail.accountId)}/${String(detail[key])}`);
      valid.set(String(e['detail-type']), set);
    }
    const entryKind: Record<string, string> = {
      PaymentPosted: 'payment',
      PromiseToPayMade: 'ptp-made',
      CallOutcomeRecorded: 'call-outcome',
      DisputeRaised: 'dispute-opened',
    };
    const recorded: Record<string, number> = {};
    for (let i = 0; i < options.accounts; i += 1) {
      for (const entry of await stack.store.record(`BURST${i}`, '2026-01'))
        recorded[entry.kind] = (recorded[entry.kind] ?? 0) + 1;
    }
    // Valid events the account's rules refuse (a second promise while one is open, a call the policy would not allow
    // outside the queue) go to the dead-letter queue with their reason: counted apart, still nothing lost.
    const refused = new Map<string, Set<string>>();
    for (const letter of stack.outputs.deadLetters) {
      const body = JSON.parse(letter.body) as { 'detail-type'?: string; detail?: Record<string, unknown> };
      const detail = body.detail ?? {};
      const key = ['paymentId', 'promiseId', 'callId', 'disputeId'].find((k) => k in detail);
      const type = String(body['detail-type']);
      if (!key || !valid.get(type)?.has(`${String(detail.accountId)}/${String(detail[key])}`)) continue;
      refused.set(
        type,
        (refused.get(type) ?? new Set<string>()).add(`${String(detail.accountId)}/${String(detail[key])}`),
      );
    }
    const applied = Object.fromEntries(
      [...valid].map(([type, set]) => [
        type,
        { sent: set.size, recorded: recorded[entryKind[type]!] ?? 0, refused: refused.get(type)?.size ?? 0 },
      ]),
    );
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      events: events.length,
      duplicates,
      malformed,
      applied,
      deadLettered: stack.outputs.deadLetters.length,
      deadLetteredDistinct: new Set(stack.outputs.deadLetters.map((d) => (JSON.parse(d.body) as { id?: string }).id))
        .size,
      deadLetteredWithReason: stack.outputs.deadLetters.filter((d) => /^[a-z][A-Za-z.]*: /.test(d.reason)).length,
      deadLetterReasons: [
        ...stack.outputs.deadLetters.reduce(
          (m, d) => m.set(d.reason, (m.get(d.reason) ?? 0) + 1),
          new Map<string, number>(),
        ),
      ].sort((a, b) => b[1] - a[1]),
      redeliveries,
      seconds,
      eventsPerSecond: burst.length / seconds,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
    };
  } finally {
    await stack.stop();
  }
};
