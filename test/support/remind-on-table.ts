// What the send-once tests share: Remind on a fresh DynamoDB Local table with real SDK clients and Powertools'
// send-once records, a scripted provider, an account opened at 09:00 in Chicago and events applied as the intake
// writes them (docs/contract.md §3.9, §3.13).
import { DynamoAccountStore } from '../../functions/adapters/aws/dynamodb-account-store';
import { sendOnce } from '../../functions/adapters/aws/send-once';
import { applyEvent } from '../../functions/domain/apply-event';
import type { InboundEvent } from '../../functions/domain/inbound-events';
import type { AccountState } from '../../functions/domain/account';
import { DEFAULT_STRATEGY } from '../../functions/domain/strategy';
import { makeHandler as makeRemind } from '../../functions/handlers/remind/handler';
import { hmacCustomerLinks } from '../../functions/adapters/hmac-customer-links';
import { MemoryPersonStore } from '../../functions/adapters/in-process/memory-person-store';
import type { AccountStore, Clock, MessageSender, Senders } from '../../functions/ports';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { delinquent } from './fixtures';
import { localTable } from './local-table';

export const us = POLICY_PACKS['us-regf'];
/** 09:00 in Chicago: an SMS may go at once. */
export const now = new Date('2026-01-06T15:00:00Z');

/** A provider that does what the script says on each call: accept, or throw the given error. */
export const scripted = (script: (Error | 'ok')[]) => {
  const accepted: string[] = [];
  let call = 0;
  const sender: MessageSender = {
    async send(_to, _message, reference) {
      const next = script[call++] ?? 'ok';
      if (next !== 'ok') throw next;
      accepted.push(reference.contactId);
      return { messageId: `M-${reference.contactId}` };
    },
  };
  return { sender, accepted, calls: () => call };
};

/** A throttle as the SDK reports it: worth another try. */
export const transient = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

/** The Remind task's input for an SMS reminder decided on `version`. */
export const step = (accountId: string, version: number) => ({
  accountId,
  cycleId: '2026-01',
  loop: 1,
  generation: 0,
  step: { action: 'remind', rule: 'test', waitSeconds: 60, version, channel: 'sms', template: 'reminder-gentle' },
});

export const remindOnTable = async () => {
  const table = await localTable();
  const store = new DynamoAccountStore(table.doc, table.tableName);

  /** A delinquent account, opened the day before. */
  const open = async (accountId: string): Promise<AccountState> => {
    const outcome = applyEvent(null, delinquent({ accountId }), new Date('2026-01-05T06:00:00Z'), us);
    if (outcome.kind !== 'applied') throw new Error(outcome.kind);
    const saved = await store.save({
      state: outcome.state,
      expectedVersion: null,
      entries: outcome.entries,
      profile: outcome.profile,
    });
    if (saved.kind !== 'saved') throw new Error(saved.kind);
    return saved.state;
  };

  /** Applies an inbound event to the account's stored state and saves it, as the intake does. */
  const apply = async (accountId: string, event: InboundEvent, at = now): Promise<AccountState> => {
    const state = await store.getState(accountId);
    const outcome = applyEvent(state, event, at, us);
    if (outcome.kind !== 'applied') throw new Error(`${event.detailType}: ${outcome.kind}`);
    const saved = await store.save({ state: outcome.state, expectedVersion: state!.version, entries: outcome.entries });
    if (saved.kind !== 'saved') throw new Error(`${event.detailType}: ${saved.kind}`);
    return saved.state;
  };

  /** Each channel's provider behind Powertools' send-once records in this table. */
  const onceSenders = (provider: MessageSender): Senders => ({
    sms: sendOnce(provider, table.client, table.tableName),
    email: sendOnce(provider, table.client, table.tableName),
  });

  const remind = (
    provider: MessageSender,
    { accounts = store, clock = { now: () => now }, senders = onceSenders(provider) }: RemindPorts = {},
  ) =>
    makeRemind({
      clock,
      accounts,
      persons: new MemoryPersonStore(),
      playbook: { pack: us, strategy: DEFAULT_STRATEGY },
      log: { info() {}, warn() {}, error() {} },
      metrics: { count() {} },
      senders,
      links: hmacCustomerLinks('https://collections.example.com', async () => Buffer.alloc(32, 7)),
    });

  const record = (accountId: string) => store.record(accountId, '2026-01');
  const kinds = async (accountId: string) => (await record(accountId)).map((e) => e.kind);

  return { table, store, open, apply, onceSenders, remind, record, kinds };
};

/** Ports a test puts in the handler's way: a store that loses a write or lets an event in, a fixed clock. */
export interface RemindPorts {
  accounts?: AccountStore;
  clock?: Clock;
  senders?: Senders;
}
