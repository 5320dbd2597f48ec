// Simulated customers and collectors: each account's customer reacts to what the workflow sends
// (reminders, calls, plan and settlement offers, debits) according to its profile, and answers with events on the
// virtual clock: payments, promises, reasons, plan and settlement acceptances, debit answers, disputes, opt-outs,
// call outcomes.
import { assertNever } from '../../../functions/domain/assert-never';
import { planSchedule } from '../../../functions/domain/plan-schedule';
import { addDays, instantAt, localDate } from '../../../functions/domain/zoned-time';
import type { OutboundEvent } from '../../twin/outputs';
import type { CallOutcome } from '../../twin/collectors';
import { seededRandom, type Random } from '../../twin/random';
import { between, type Behaviour, type SyntheticAccount } from './portfolio';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Where agent actions go: the simulation delivers them as the bus would, at virtual time `at`. */
export type Emit = (
  at: number,
  accountId: string,
  source: string,
  detailType: string,
  detail: Record<string, unknown>,
) => void;
/**
 * A call task the customer would answer with `outcome`: created at `createdAt`, dialled by a collector —
 * without a limited team, at `at` (a few minutes to an hour later) — before `expiresAt`.
 */
export interface CallForCustomer {
  at: number;
  createdAt: number;
  expiresAt: number;
  accountId: string;
  taskId: string;
  outcome: CallOutcome;
}
export type Dial = (call: CallForCustomer) => void;

interface Customer {
  profile: Behaviour;
  random: Random;
  accountId: string;
  timezone: string;
  currency: string;
  balance: number;
  amountDue: number;
  heard: boolean;
  contacts: number;
  sms: number;
  calls: number;
  payments: number;
  promises: number;
  broken: number;
  planAccepted: boolean;
  /** On an autopay plan: the instalment (from 1) from which the customer's account cannot cover the debit. */
  debitsFailFrom: number | null;
  closed: boolean;
  /** How the last call went: a customer who did not pick up has not heard us. */
  lastCall: CallOutcome | null;
}

export class CustomerAgents {
  private readonly customers = new Map<string, Customer>();
  /** The call tasks the customers have been called on (or will be). */
  private readonly tasks = new Set<string>();

  constructor(
    accounts: readonly SyntheticAccount[],
    private readonly maxInstalments: number,
    seed: number,
    private readonly emit: Emit,
    private readonly dial: Dial,
    /** Share of payments the customer's bank takes back a few days later (docs/contract.md §3.21). */
    private readonly reversalRate = 0,
  ) {
    for (const account of accounts) {
      const d = account.event.detail;
      this.customers.set(d.accountId, {
        profile: account.profile,
        random: seededRandom(seed * 7919 + account.index),
        accountId: d.accountId,
        timezone: d.customer.timezone,
        currency: d.currency,
        balance: d.balance,
        amountDue: d.amountDue,
        heard: false,
        contacts: 0,
        sms: 0,
        calls: 0,
        payments: 0,
        promises: 0,
        broken: 0,
        planAccepted: false,
        debitsFailFrom: null,
        closed: false,
        lastCall: null,
      });
    }
  }

  /** Reacts to one event out of the workflow. */
  readonly onEventOut = (event: OutboundEvent): void => {
    const c = this.customers.get(String(event.detail.accountId));
    if (!c || c.closed) return;
    const now = Date.parse(event.at);
    switch (event.detailType) {
      case 'CallTaskCreated':
        // A person's task is announced again as each account joins it (docs/contract.md §11.1): one call all the same.
        if (this.tasks.has(String(event.detail.taskId))) return;
        this.tasks.add(String(event.detail.taskId));
        return this.called(c, now, String(event.detail.taskId), Date.parse(String(event.detail.expiresAt)));
      case 'ContactAttempted':
        return this.contacted(c, now, String(event.detail.channel));
      case 'PlanOffered':
        return this.offered(c, now, String(event.detail.planId), event.detail.options as { instalments: number }[]);
      case 'PromiseBroken':
        return this.promiseBroken(c, now);
      case 'SettlementOffered':
        return this.settlementOffered(c, now, String(event.detail.settlementId), Number(event.detail.amount));
      case 'InstalmentDebitRequested':
        return this.debited(c, now, event.detail as { paymentId: string; instalment: number; amount: number });
      case 'AccountEscalated':
        return this.escalated(c, now, Number(event.detail.level));
      case 'CycleClosed':
        c.closed = true;
        return;
      default:
        return;
    }
  };

  private pay(c: Customer, at: number, amount: number) {
    const paid = Math.min(amount, c.balance);
    if (paid <= 0) return;
    c.balance -= paid;
    c.amountDue = Math.max(0, c.amountDue - paid);
    c.payments += 1;
    const paymentId = `${c.accountId}-P${c.payments}`;
    this.emit(at, c.accountId, 'bank.core', 'PaymentPosted', {
      accountId: c.accountId,
      paymentId,
      amount: paid,
      currency: c.currency,
      postedAt: new Date(at).toISOString(),
    });
    this.reverseSome(c, at, paymentId, paid, paid);
  }

  /**
   * The bank takes a payment back a few days on, now and then (returned, or charged back): it is owed again. Draws
   * nothing from the customer's dice unless reversals are asked for, so a run without them is the run it always was.
   */
  private reverseSome(c: Customer, at: number, paymentId: string, amount: number, due: number) {
    if (this.reversalRate <= 0 || c.random() >= this.reversalRate) return;
    c.balance += amount;
    c.amountDue += due;
    this.emit(at + between(c.random, 2, 10) * DAY, c.accountId, 'bank.core', 'PaymentReversed', {
      accountId: c.accountId,
      paymentId,
      reason: c.random() < 0.8 ? 'returned' : 'chargeback',
    });
  }

  private promise(c: Customer, at: number, amount: number, inDays: number) {
    c.promises += 1;
    const dueDate = addDays(localDate(new Date(at), c.timezone), inDays);
    this.emit(at, c.accountId, 'collections.customer', 'PromiseToPayMade', {
      accountId: c.accountId,
      promiseId: `${c.accountId}-PR${c.promises}`,
      amount,
      dueDate,
    });
    return dueDate;
  }

  /** Noon local on `date`, a little before it when `early` days are given. */
  private noon(c: Customer, date: string, early = 0) {
    return instantAt(addDays(date, -early), 12, 0, c.timezone).getTime();
  }

  /** A call task for this customer: the profile decides who picks up when a collector dials. */
  private called(c: Customer, now: number, taskId: string, expiresAt: number) {
    const roll = c.random();
    const outcome: CallOutcome =
      c.profile === 'unreachable' ? 'no-answer' : roll < 0.45 ? 'right-party' : roll < 0.8 ? 'voicemail' : 'no-answer';
    c.lastCall = outcome;
    this.dial({
      at: now + between(c.random, 2, 60) * 60_000,
      createdAt: now,
      expiresAt,
      accountId: c.accountId,
      taskId,
      outcome,
    });
  }

  private contacted(c: Customer, now: number, channel: string) {
    c.contacts += 1;
    if (channel === 'sms') c.sms += 1;
    if (channel === 'call') {
      c.calls += 1;
      if (c.lastCall !== 'right-party' && c.heard) return;
    }
    if (c.profile === 'non-payer') {
      if (channel === 'sms' && c.sms === 2 && c.random() < 0.25)
        this.emit(now + 2 * HOUR, c.accountId, 'collections.customer', 'ChannelOptOut', {
          accountId: c.accountId,
          channel: 'sms',
        });
      if (c.contacts === 4 && c.random() < 0.06)
        this.emit(now + 3 * HOUR, c.accountId, 'collections.customer', 'CeaseCommunication', {
          accountId: c.accountId,
        });
    }
    if (c.heard || c.profile === 'unreachable') return;
    c.heard = true;
    const r = c.random;
    this.giveReason(c, now);
    switch (c.profile) {
      case 'self-cure':
        return this.pay(c, now + between(r, 1, 6) * DAY + between(r, 0, 8) * HOUR, c.amountDue);
      case 'promise-keeper': {
        const at = now + between(r, 1, 20) * HOUR;
        const due = this.promise(c, at, c.amountDue, between(r, 4, 9));
        return this.pay(c, this.noon(c, due, between(r, 0, 2)), c.amountDue);
      }
      case 'promise-breaker': {
        const at = now + between(r, 2, 20) * HOUR;
        this.promise(c, at, c.amountDue, 7);
        if (r() < 0.5) this.pay(c, at + 3 * DAY, Math.round(c.amountDue / 4));
        return;
      }
      case 'disputer': {
        const raised = now + between(r, 1, 40) * HOUR;
        const disputeId = `${c.accountId}-D1`;
        this.emit(raised, c.accountId, 'collections.customer', 'DisputeRaised', {
          accountId: c.accountId,
          disputeId,
          reason: 'I do not recognise this charge',
        });
        const resolved = raised + between(r, 10, 20) * DAY;
        const upheld = r() < 0.3;
        this.emit(resolved, c.accountId, 'collections.agent', 'DisputeResolved', {
          accountId: c.accountId,
          disputeId,
          outcome: upheld ? 'upheld' : 'rejected',
        });
        if (upheld) {
          // The charge was wrong: the bank reverses it and reports the corrected amounts.
          this.emit(resolved + HOUR, c.accountId, 'bank.core', 'AccountUpdated', {
            accountId: c.accountId,
            amountDue: 0,
            balance: Math.max(0, c.balance - c.amountDue),
          });
        } else if (r() < 0.5) {
          this.pay(c, resolved + between(r, 3, 10) * DAY, c.amountDue);
        }
        return;
      }
      // Nothing at first contact: they answer a plan offer (offered), or the opt-out and cease above, or never pay.
      case 'plan-taker':
      case 'hardship':
      case 'non-payer':
        return;
      default:
        return assertNever(c.profile, 'profile');
    }
  }

  /**
   * Some customers say why they are late when first reached (docs/contract.md §3.15): hardship, forgetting, too much
   * debt.
   */
  private giveReason(c: Customer, now: number) {
    const roll = c.random();
    const reason =
      c.profile === 'hardship'
        ? (['job-loss', 'income-reduced', 'illness'] as const)[Math.floor(roll * 3)]
        : c.profile === 'self-cure' && roll < 0.3
          ? 'forgot'
          : c.profile === 'non-payer' && roll < 0.2
            ? 'over-indebted'
            : c.profile === 'promise-breaker' && roll < 0.2
              ? 'income-reduced'
              : null;
    if (!reason) return;
    this.emit(now + between(c.random, 1, 12) * HOUR, c.accountId, 'collections.customer', 'DelinquencyReasonRecorded', {
      accountId: c.accountId,
      reasonId: `${c.accountId}-R1`,
      reason,
    });
  }

  /** A lump sum below the balance (§3.16) tempts some who would not pay the whole: they accept and pay it. */
  private settlementOffered(c: Customer, now: number, settlementId: string, amount: number) {
    // A deeper discount tempts more: the base chance at 40% off, less in proportion to a smaller one.
    const discount = c.balance > 0 ? 1 - amount / c.balance : 0;
    const base = c.profile === 'non-payer' ? 0.25 : c.profile === 'promise-breaker' ? 0.35 : 0;
    const chance = base * Math.min(1, Math.max(0, discount) / 0.4);
    if (c.planAccepted || c.random() >= chance) return;
    const acceptedAt = now + between(c.random, 2, 48) * HOUR;
    this.emit(acceptedAt, c.accountId, 'collections.customer', 'SettlementAccepted', {
      accountId: c.accountId,
      settlementId,
    });
    this.pay(c, acceptedAt + between(c.random, 1, 6) * DAY, amount);
  }

  /** The bank debits an autopay instalment (§3.17): it goes through unless the customer's account is short. */
  private debited(c: Customer, now: number, d: { paymentId: string; instalment: number; amount: number }) {
    const short =
      (c.debitsFailFrom !== null && d.instalment >= c.debitsFailFrom) ||
      (!d.paymentId.endsWith('-R1') && c.random() < 0.08);
    const at = now + between(c.random, 1, 6) * HOUR;
    const answer = { accountId: c.accountId, paymentId: d.paymentId, amount: d.amount, currency: c.currency };
    if (short) {
      this.emit(at, c.accountId, 'bank.core', 'PaymentFailed', { ...answer, reason: 'insufficient funds' });
      return;
    }
    const paid = Math.min(d.amount, c.balance);
    c.balance -= paid;
    this.emit(at, c.accountId, 'bank.core', 'PaymentPosted', { ...answer, postedAt: new Date(at).toISOString() });
    this.reverseSome(c, at, d.paymentId, paid, 0);
  }

  private offered(c: Customer, now: number, planId: string, options: { instalments: number }[]) {
    const takes =
      c.profile === 'plan-taker' ||
      c.profile === 'hardship' ||
      (c.profile === 'promise-breaker' && c.broken >= 2 && c.random() < 0.3);
    if (!takes || c.planAccepted) return;
    c.planAccepted = true;
    const counts = options.map((o) => o.instalments);
    const longest = Math.max(...counts.filter((n) => n <= Math.min(24, this.maxInstalments)));
    const instalments =
      c.profile === 'hardship' ? longest : c.random() < 0.5 ? Math.min(...counts) : (counts[1] ?? counts[0]!);
    const acceptedAt = now + between(c.random, 1, 3) * DAY;
    // Half the plan-takers let the bank debit each instalment (§3.17).
    const autopay = c.profile === 'plan-taker' && c.random() < 0.5;
    this.emit(acceptedAt, c.accountId, 'collections.customer', 'PlanAccepted', {
      accountId: c.accountId,
      planId,
      instalments,
      ...(autopay ? { autopay: true } : {}),
    });
    // Instalments as the plan will schedule them; some customers stop paying part-way.
    const stopsAt = c.profile === 'hardship' ? (c.random() < 0.35 ? 2 : Infinity) : c.random() < 0.1 ? 3 : Infinity;
    if (autopay) {
      c.debitsFailFrom = Number.isFinite(stopsAt) ? stopsAt : null;
      return;
    }
    planSchedule(c.balance, instalments, localDate(new Date(acceptedAt), c.timezone)).forEach((instalment, i) => {
      if (i + 1 >= stopsAt) return;
      this.pay(c, this.noon(c, instalment.dueDate, between(c.random, 0, 4)), instalment.amount);
    });
  }

  private promiseBroken(c: Customer, now: number) {
    c.broken += 1;
    if (c.profile === 'promise-breaker' && c.broken < 2)
      this.promise(c, now + between(c.random, 8, 30) * HOUR, c.amountDue, 7);
  }

  private escalated(c: Customer, now: number, level: number) {
    // A final notice moves a few silent customers to pay in full.
    if (
      level === 2 &&
      (c.profile === 'non-payer' || c.profile === 'unreachable' || c.profile === 'promise-breaker') &&
      c.random() < 0.12
    ) {
      this.pay(c, now + between(c.random, 2, 12) * DAY, c.amountDue);
    }
  }
}
