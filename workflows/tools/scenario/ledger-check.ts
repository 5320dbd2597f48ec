// The runner's own fold of an account's ledger (docs/contract.md §3.19): written apart from the domain's fold, so that
// it does not share its mistakes. Every entry must add up from the one before; every payment and reversal in the record
// must be on the ledger as it moved the balance; each close must find the ledger as its reason needs it, and the end
// must find it where the state stands. Each mismatch is a `ledger-mismatch` violation.
import type { RecordEntry } from '../../../functions/domain/record';
import type { AccountRun, Violation } from './violation';

type Of<K extends RecordEntry['kind']> = Extract<RecordEntry, { kind: K }>;
type Entry = Of<'ledger'>['entry'];

/** What is owed after an entry, by the contract's reading of each kind; null where the entry may state any figure. */
const owedAfter = (entry: Entry, before: { balance: number; due: number }): number | null => {
  switch (entry.kind) {
    case 'payment':
    case 'waived':
    case 'recovered':
      return Math.max(0, before.due + entry.amount);
    case 'written-off':
    case 'sold':
      return 0;
    case 'charged-off':
      return before.due;
    default:
      return null;
  }
};

export const checkLedger = ({ state, record }: AccountRun): Violation[] => {
  const violations: Violation[] = [];
  const flag = (at: string, detail: string) =>
    violations.push({ accountId: state.accountId, rule: 'ledger-mismatch', at, detail });
  // A payment id may name two payments of an account: the bank's own, and a part of a payment to the person that the
  // bank happened to name alike (`<paymentId>-<accountId>`). The ledger books them in the record's order.
  const paid = record.filter((e): e is Of<'payment'> => e.kind === 'payment');
  const payments = new Map<string, Of<'payment'>[]>();
  for (const p of paid) payments.set(p.paymentId, [...(payments.get(p.paymentId) ?? []), p]);
  const reversals = record.filter((e): e is Of<'payment-reversed'> => e.kind === 'payment-reversed');
  /** The ledger's payment entries booked so far, by payment id: a reversal gives back the first. */
  const booked = new Map<string, Entry[]>();
  const reversed = new Set<string>();
  let balance = 0;
  let due = 0;
  let opened = false;
  let last: Entry | null = null;

  /** A payment or a reversal as the ledger must book it: what it moved, against the record's own figures. */
  const checkPayment = (x: Entry, before: { balance: number }) => {
    const id = x.paymentId ?? '';
    if (x.kind === 'payment') {
      const done = booked.get(id) ?? [];
      const paid = payments.get(id)?.[done.length];
      if (!paid) return flag(x.at, `payment ${id} is on the ledger but not in the record`);
      booked.set(id, [...done, x]);
      const moved = Math.min(paid.amount, before.balance);
      if (x.amount !== -moved || (x.excess ?? 0) !== paid.amount - moved)
        flag(x.at, `payment ${id} of ${paid.amount} booked as ${x.amount} (excess ${x.excess ?? 0}), not ${-moved}`);
      return;
    }
    const payment = booked.get(id)?.[0];
    if (!reversals.some((r) => r.paymentId === id)) flag(x.at, `reversal of ${id} is on the ledger but not recorded`);
    if (!payment) return flag(x.at, `reversal of ${id}, which the ledger has no payment for`);
    reversed.add(id);
    if (x.amount !== -payment.amount) flag(x.at, `reversal of ${id} booked as ${x.amount}, not ${-payment.amount}`);
  };

  /** What each close reason requires of the ledger as it stands then. */
  const checkClose = (closed: Of<'closed'>) => {
    const reason = closed.reason;
    if (reason === 'cured' && due > 0) flag(closed.at, `closed as cured with ${due} still due on the ledger`);
    if ((reason === 'paid-in-full' || reason === 'settled') && balance > 0)
      flag(closed.at, `closed as ${reason} with a balance of ${balance} on the ledger`);
    if (reason === 'charged-off' && (last?.kind !== 'charged-off' || last.balance !== balance || balance <= 0))
      flag(closed.at, `charged off without the balance of ${balance} charged off on the ledger`);
  };

  for (const e of record) {
    if (e.kind === 'closed') checkClose(e);
    if (e.kind !== 'ledger') continue;
    const x = e.entry;
    const before = { balance, due };
    if (x.kind === 'opened') {
      if (opened) flag(x.at, 'the ledger opens twice');
      opened = true;
      balance = x.amount;
      due = x.amountDue;
    } else {
      if (!opened) flag(x.at, `${x.kind} entry before the ledger opened`);
      balance += x.amount;
      due = owedAfter(x, before) ?? x.amountDue;
    }
    if (x.kind === 'payment' || x.kind === 'reversed') checkPayment(x, before);
    if (x.kind === 'written-off' && balance !== 0)
      flag(x.at, `written off ${x.amount} of a balance of ${before.balance}`);
    // The workflow's own updates move only what is due: a re-age to nothing, a broken plan never to less.
    if (x.cause && (x.amount !== 0 || (x.cause === 're-aged' ? due !== 0 : due < before.due)))
      flag(x.at, `${x.cause} entry moves ${x.amount} and leaves ${due} due (from ${before.due})`);
    if (x.balance !== balance || x.amountDue !== due)
      flag(x.at, `${x.kind} entry states ${x.balance} / ${x.amountDue} due; the entries add up to ${balance} / ${due}`);
    balance = x.balance;
    due = x.amountDue;
    last = x;
  }

  const end = state.closedAt ?? state.openedAt;
  if (!opened && record.some((e) => e.kind === 'started')) flag(state.openedAt, 'the cycle opened without a ledger');
  for (const [id, named] of payments)
    for (const p of named.slice(booked.get(id)?.length ?? 0)) flag(p.at, `payment ${id} is not on the ledger`);
  for (const r of reversals)
    if (!reversed.has(r.paymentId)) flag(r.at, `reversal of ${r.paymentId} is not on the ledger`);
  if (balance !== state.balance || due !== state.amountDue)
    flag(end, `the ledger adds up to ${balance} / ${due} due; the account says ${state.balance} / ${state.amountDue}`);
  const collected = paid.reduce((sum, p) => sum + p.amount, 0) - reversals.reduce((sum, r) => sum + r.amount, 0);
  if (collected !== state.collected)
    flag(end, `payments less reversals come to ${collected}; the account has collected ${state.collected}`);
  return violations;
};
