// The ports handlers depend on. Each has an AWS adapter (functions/adapters/aws) and, where local runs
// need one, a second implementation proven by the same contract tests. No handler builds a client.
import type { LetterContent } from './domain/letters';
import type { DailyFigures } from './domain/daily-figures';
import type { AccountState } from './domain/account';
import type { Profile } from './domain/apply-event';
import type { MessageChannel } from './domain/channels';
import type { RenderedMessage } from './domain/messages';
import type { Playbook } from './domain/next-step';
import type { RecordEntry } from './domain/record';
import type { AllocationPart } from './domain/allocation';
import type { ContactKind, Person, PersonFact } from './domain/person';
import type { PersonTaskPointer } from './domain/person-call';

/** Production reads the system time; local runs inject a virtual clock. */
/** A report row of the status index: what `npm run report` counts per account, with no PII. */
export interface PortfolioRow {
  accountId: string;
  cycleId: string;
  bucket: string;
  closeReason: string | null;
  collected: number;
  amountDue: number;
  currency: string;
  escalationLevel: number;
  onPlan: boolean;
  placed: boolean;
  courtesy: boolean;
}

export interface Clock {
  now(): Date;
}

/** A record that must be written once only (payment, promise, plan, call…): its sort key and fields. */
export interface CreateOnce {
  sk: string;
  attributes: Record<string, unknown>;
}

export interface AccountWrite {
  /** The state to write; its `version` is the one that was read (null: the account is new). */
  state: AccountState;
  expectedVersion: number | null;
  /** Audit entries; those that announce an event out carry it (the outbox), written in the same transaction. */
  entries?: RecordEntry[];
  creates?: CreateOnce[];
  profile?: Partial<Profile>;
  /** Call tasks to put in the collectors' queue, in the same transaction. */
  callTasks?: CallTaskItem[];
  /** The person's one open call task, made or joined in the same transaction (docs/contract.md §11.1). */
  personTask?: PersonTaskWrite;
}

/**
 * A call task of a person's, made or joined: the person's pointer is written at `expectedVersion` (null: none yet),
 * so of two accounts racing to make the person's task one succeeds and the other joins it. `join`: the account is
 * listed on the task if it is not dialled yet and still lists exactly `listed`; otherwise the change is a conflict.
 */
export interface PersonTaskWrite {
  customerId: string;
  taskId: string;
  expiresAt: string;
  expectedVersion: number | null;
  join?: { accountId: string; listed: readonly string[] };
}

export type SaveResult =
  | { kind: 'saved'; state: AccountState }
  /** Someone else wrote the state first: read again and decide again. */
  | { kind: 'conflict' }
  /** A create-once record already exists: this change was applied before. */
  | { kind: 'duplicate'; sk: string };

/** One account's collection record: state, contact points, claims and the append-only audit. */
export interface AccountStore {
  getState(accountId: string): Promise<AccountState | null>;
  /** Several accounts' states in as few requests as the store allows (missing accounts are left out). */
  getStates(accountIds: readonly string[]): Promise<Map<string, AccountState>>;
  /** State and contact points in one request, for the steps that send messages. */
  getWithProfile(accountId: string): Promise<{ state: AccountState; profile: Profile } | null>;
  /**
   * Writes a change atomically: state (if still at `expectedVersion`), create-once records, entries and their events
   * out, profile.
   */
  save(change: AccountWrite): Promise<SaveResult>;
  /** Parks a task token on the state if nothing changed since `expectedVersion`; 'stale' when something did. */
  parkTaskToken(
    accountId: string,
    token: string,
    expectedVersion: number,
    expiresAt: string,
  ): Promise<'stored' | 'stale'>;
  /** The fields of a create-once record, or null. */
  getClaim(accountId: string, sk: string): Promise<Record<string, unknown> | null>;
  /** The person's pointer to their latest call task, with that task as the queue holds it (docs/contract.md §11.1). */
  personTask(customerId: string): Promise<PersonTaskPointer | null>;
  /** The account's full record for one cycle, in time order. Not for hot paths. */
  record(accountId: string, cycleId: string): Promise<RecordEntry[]>;
  /**
   * The accounts whose profile has this phone (E.164), from an index item kept with the profile: never a scan.
   * Each id is checked against the profile, so a number the customer has since changed matches nothing.
   */
  accountsByPhone(phone: string): Promise<string[]>;
  /** Removes the customer's contact points and personal data, keeping the audit and outcomes (right to erasure). */
  erase(accountId: string, at: Date): Promise<{ erased: string[] }>;
  /** The report's per-day figures (daily-figures.ts) for each date, added up over the day's shards. */
  dailyFigures(dates: readonly string[]): Promise<DailyFigures>;
}

/** One contact's place on a person's contact ledger: their contacts of a kind in one of the customer's local days. */
export interface ContactSlot {
  customerId: string;
  /** The customer's local date, YYYY-MM-DD. */
  date: string;
  kind: ContactKind;
  contactId: string;
}

/**
 * The person behind the accounts (docs/contract.md §11.1), in their own partition: the accounts the intake has seen
 * with their customer number, the facts that hold for all of them, and the contact ledger the person's caps count.
 */
export interface PersonStore {
  /** The person, or null when no account of theirs has arrived yet. */
  getPerson(customerId: string): Promise<Person | null>;
  /** Lists the account as the person's (again is fine). */
  addAccount(customerId: string, accountId: string): Promise<void>;
  /** Keeps a fact on the person (again is fine), for their accounts that open later. */
  addFact(customerId: string, fact: PersonFact): Promise<void>;
  /**
   * Takes a place for the contact on the person's ledger if fewer than `cap` are taken that day for that kind, in one
   * conditional write: of two accounts racing for the last place, one gets 'full'. Taking a place one holds is
   * 'reserved' again.
   */
  reserveContact(slot: ContactSlot, cap: number): Promise<'reserved' | 'full'>;
  /** Gives back a place a contact did not use (the message was dropped or failed); again is fine. */
  releaseContact(slot: ContactSlot): Promise<void>;
  /** The contact ids holding places that day for that kind. */
  contactsOn(customerId: string, date: string, kind: ContactKind): Promise<string[]>;
  /**
   * Keeps the split of a payment to the person, once: the first split written stands and is answered (a redelivery
   * after some parts were applied must apply the same parts, not split the rest again).
   */
  keepAllocation(customerId: string, paymentId: string, parts: readonly AllocationPart[]): Promise<AllocationPart[]>;
  /** The split kept for the payment, or null when none is yet. */
  allocationOf(customerId: string, paymentId: string): Promise<AllocationPart[] | null>;
}

/** A call task as the queue holds it: ids, its window and who holds it. No PII. */
export interface CallTaskItem {
  taskId: string;
  /** The account that made the task; `accountIds` every account it lists, that one first (docs/contract.md §11.1). */
  accountId: string;
  accountIds: string[];
  cycleId: string;
  createdAt: string;
  expiresAt: string;
  status: 'open' | 'claimed' | 'dialled';
  claimedBy: string | null;
  leaseUntil: string | null;
}

export type InboundOpened = { kind: 'opened' } | { kind: 'refused'; open: number };

export type ClaimResult = { kind: 'claimed'; task: CallTaskItem } | { kind: 'refused'; reason: string };

/** Why a collector may see and act on one account, and until when (docs/contract.md §10.7). */
export interface AccountAccess {
  accountId: string;
  agentId: string;
  until: string;
  reason: 'claim' | 'inbound-call';
}

/** The collectors' call queue over the tasks the workflow creates (docs/contract.md §3.12). */
export interface CallQueue {
  /** Up to `limit` tasks not yet dialled whose window has not ended at `now`, soonest-ending first. */
  openTasks(now: Date, limit?: number): Promise<CallTaskItem[]>;
  getTask(taskId: string): Promise<CallTaskItem | null>;
  /**
   * Takes the task for `agentId` until `leaseUntil` if it is open (or its lease has run out) and still in its window.
   * With `maxClaims` (the desk's people), also only while the collector holds fewer live claims than that on tasks
   * not yet dialled. A lease is never renewed: claiming a task one holds answers the claim as it stands.
   */
  claim(taskId: string, agentId: string, now: Date, leaseUntil: Date, maxClaims?: number): Promise<ClaimResult>;
  /** Marks a task the agent holds as dialled; it leaves the queue. Again for the same agent is fine. */
  markDialled(taskId: string, agentId: string): Promise<ClaimResult>;
  /** Lets a collector see and act on an account until `access.until`; a grant never shortens a longer one. */
  grantAccess(access: AccountAccess): Promise<void>;
  /** The collector's access to the account, or null; it may have run out (compare `until` with the clock). */
  accessOf(accountId: string, agentId: string): Promise<AccountAccess | null>;
  /**
   * Counts an inbound call `callId` among the collector's open ones until `until`, if fewer than `max` are open at
   * `now` (docs/contract.md §10.7); refused with the number open otherwise. Two at once never both pass the cap.
   */
  openInboundCall(agentId: string, callId: string, until: string, now: Date, max: number): Promise<InboundOpened>;
}

export interface SendReference {
  accountId: string;
  contactId: string;
}

export interface MessageSender {
  /** `to` is an address or E.164 number; `contactId` is the provider-side idempotency key. */
  send(to: string, message: RenderedMessage, reference: SendReference): Promise<{ messageId: string }>;
}

/** Events out for the bus, each with its stable `detail.eventId`. Only the outbox relay publishes. */
export interface PublishedEvent {
  detailType: string;
  detail: Record<string, unknown>;
}
export interface EventPublisher {
  publish(events: readonly PublishedEvent[]): Promise<void>;
}

export type ResumeResult = { resumed: true } | { resumed: false; reason: string };

export interface WorkflowCallbacks {
  /** Starts the cycle's execution; false when it already exists (a duplicate start). */
  start(name: string, input: Record<string, unknown>): Promise<boolean>;
  /** Resumes a parked execution; `resumed: false` with the reason when nothing waits on that token. */
  resume(taskToken: string): Promise<ResumeResult>;
}

export interface DeadLetters {
  reject(body: string, reason: string): Promise<void>;
}

/**
 * Right to erasure in a dead-letter queue: removes the messages about one account (deadLetterBelongsTo) and leaves
 * every other message as it was. Answers the ids of the messages removed.
 */
export interface DeadLetterErasure {
  removeAccount(accountId: string): Promise<string[]>;
}

/** Structured logging (Powertools Logger in Lambda). Never pass PII. */
export interface Log {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

/** Business metrics (Powertools Metrics, EMF, in Lambda). */
export interface Metrics {
  count(name: string, value?: number): void;
}

export interface WorkflowDeps {
  clock: Clock;
  accounts: AccountStore;
  playbook: Playbook;
  log: Log;
  metrics: Metrics;
}

export type Senders = Record<MessageChannel, MessageSender>;

export type LinkCheck =
  { ok: true; accountId: string; cycleId: string; expiresAt: string } | { ok: false; reason: string };

/** Signed self-service links (docs/contract.md §7): one account and cycle each, expiring 30 days after the message. */
export interface CustomerLinks {
  linkFor(accountId: string, cycleId: string, sentAt: Date): Promise<string>;
  verify(token: string, now: Date): Promise<LinkCheck>;
  /**
   * The pay reference of a link or its token (docs/contract.md §3.18): derived from the signed token, so the bank can
   * tell which message a payment came from; it reveals nothing and opens nothing.
   */
  referenceOf(linkOrToken: string): string;
}

/** An inbound event (docs/contract.md §1) the API puts on the bus for the intake, as a customer or collector action. */
export interface InboundEntry {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
}

/** The bus the API puts actions on: they take the intake's path, never a direct state write. */
export interface EventBus {
  put(entry: InboundEntry): Promise<{ eventId: string }>;
}

/** `supervisor`: a member of the `supervisors` group too, who may agree settlements past a collector's limit. */
export type AgentCheck =
  { ok: true; agentId: string; supervisor: boolean } | { ok: false; status: 401 | 403; reason: string };

/**
 * Collectors' bearer tokens (docs/contract.md §7): Cognito in AWS, the local issuer in `npm run serve`; group
 * `collectors`.
 */
export interface AgentAuth {
  verify(authorization: string | undefined): Promise<AgentCheck>;
}

/** What the portfolio report reads (docs/contract.md §8): the status index and the per-day figures, never a scan. */
export interface PortfolioReader {
  listByStatus(status: 'open' | 'closed', bucket?: string): Promise<PortfolioRow[]>;
  /** The same rows a page at a time, so a reader can fold them without holding them all (closed accounts grow). */
  pagesByStatus(status: 'open' | 'closed'): AsyncIterable<PortfolioRow[]>;
  dailyFigures(dates: readonly string[]): Promise<DailyFigures>;
}

/**
 * Where letters are kept for the print vendor: S3 in AWS, a folder or memory locally. Writing a key twice overwrites
 * it.
 */
export interface DocumentStore {
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  /**
   * Removes every document under `prefix`, every stored version of each (right to erasure): the keys removed, a
   * version as `<key>#<versionId>` where the store keeps versions.
   */
  removeAll(prefix: string): Promise<string[]>;
}

/** Turns a letter's content into the document the customer receives (a PDF). */
export type LetterRenderer = (letter: LetterContent) => Promise<Uint8Array>;
