// The account store in process memory: the same items, keys, conditions, errors and read-your-writes as
// the DynamoDB store (one contract test suite runs against both), for simulations that need speed.
// Its change feed carries every new item as DynamoDB Streams would, so the outbox takes the same path.
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AccountState } from '../../domain/account';
import type { Profile } from '../../domain/apply-event';
import type { RecordEntry } from '../../domain/record';
import type {
  AccountAccess,
  AccountStore,
  CallQueue,
  CallTaskItem,
  AccountWrite,
  ClaimResult,
  InboundOpened,
  PortfolioRow,
  SaveResult,
} from '../../ports';
import { personTaskItem, personTaskKey, phoneKey, taskItem, taskPk } from '../call-task-items';
import type { PersonTaskPointer } from '../../domain/person-call';
import { entryKey, ITEM_ONLY, STATE, PROFILE } from '../item-keys';
import { AccountNotFoundError } from '../../errors';
import { outboxFields, type StreamRecord } from '../aws/outbox';
import { accountHash, accountPk, DAILY_FIGURES, portfolioRowOf, STATUS_INDEX } from '../table-schema';
import { addFigures, figuresOf, type DailyFigures } from '../../domain/daily-figures';
import { MemoryCallQueue } from './memory-call-queue';
import { parse, readUnits, writeUnits, type Item, type RequestObserver } from './memory-items';

/**
 * Each item is kept as its JSON text, as DynamoDB keeps its bytes: a read parses a fresh copy (nothing
 * outside can change what is stored), a write is serialized once, and a record waiting to be read at the
 * end of a long simulation is one compact string per entry rather than a tree of objects.
 */
type Items = Map<string, string>;

export class MemoryAccountStore implements AccountStore, CallQueue {
  private readonly accounts = new Map<string, Items>();
  /** The phone index (phone → account ids), as the DynamoDB store keeps its PHONE# items. */
  private readonly phones = new Map<string, Set<string>>();
  /** Each account's state version, so a conditional save need not parse the state it replaces. */
  private readonly versions = new Map<string, number>();
  private feed: StreamRecord[] = [];
  /** The report's per-day aggregate items, by `<date>#<shard>`. */
  private readonly daily = new Map<string, Record<string, number>>();

  private readonly calls: MemoryCallQueue;

  constructor(private readonly observe: RequestObserver = () => {}) {
    this.calls = new MemoryCallQueue(observe);
  }

  private items(accountId: string): Items {
    let items = this.accounts.get(accountId);
    if (!items) {
      items = new Map();
      this.accounts.set(accountId, items);
    }
    return items;
  }

  /** New items since the last call, as stream records (eventName INSERT, NewImage) for the outbox filter. */
  takeChanges(): StreamRecord[] {
    const changes = this.feed;
    this.feed = [];
    return changes;
  }

  private item(accountId: string, sk: string): Item | undefined {
    const text = this.accounts.get(accountId)?.get(sk);
    return text === undefined ? undefined : parse(text);
  }

  private put(accountId: string, item: Item, isNew: boolean, text = JSON.stringify(item)) {
    this.items(accountId).set(String(item.sk), text);
    if (item.sk === STATE) this.versions.set(accountId, Number(item.version));
    // Only items that can carry an event out are marshalled for the feed: the rest pass the filter by anyway.
    if (isNew && item.eventType !== undefined)
      this.feed.push({ eventName: 'INSERT', dynamodb: { NewImage: marshall(item, { removeUndefinedValues: true }) } });
  }

  async getState(accountId: string): Promise<AccountState | null> {
    const state = this.accounts.get(accountId)?.get(STATE);
    this.observe('GetItem', 'read', readUnits(state ? [state] : []), false);
    return state ? (parse(state) as unknown as AccountState) : null;
  }

  async getStates(accountIds: readonly string[]): Promise<Map<string, AccountState>> {
    const states = new Map<string, string>();
    for (const id of new Set(accountIds)) {
      const state = this.accounts.get(id)?.get(STATE);
      if (state) states.set(id, state);
    }
    this.observe('BatchGetItem', 'read', readUnits([...states.values()]), false);
    return new Map([...states].map(([id, text]) => [id, parse(text) as unknown as AccountState]));
  }

  async getWithProfile(accountId: string) {
    const items = this.accounts.get(accountId);
    const state = items?.get(STATE);
    const profileText = items?.get(PROFILE);
    this.observe(
      'BatchGetItem',
      'read',
      readUnits([state, profileText].filter((i): i is string => i !== undefined)),
      false,
    );
    if (!state) return null;
    const profile = profileText === undefined ? undefined : parse(profileText);
    return {
      state: parse(state) as unknown as AccountState,
      profile: {
        name: String(profile?.name ?? ''),
        email: (profile?.email as string | null) ?? null,
        phone: (profile?.phone as string | null) ?? null,
      },
    };
  }

  async save(change: AccountWrite): Promise<SaveResult> {
    const { expectedVersion, entries = [], creates = [], profile, callTasks = [], personTask } = change;
    const { accountId, cycleId } = change.state;
    const items = this.items(accountId);
    const currentVersion = this.versions.get(accountId);
    const state = { ...change.state, version: (expectedVersion ?? change.state.version) + 1 };
    const stateOk =
      (expectedVersion === null ? currentVersion === undefined : currentVersion === expectedVersion) &&
      !(personTask && this.calls.personTaskRefusal(personTask));
    const duplicate = creates.find((c) => items.has(c.sk));
    // The account's own items, each as the text it is kept as (and priced by). The state is kept without
    // its key, so a read returns the state and nothing else.
    const stateText = JSON.stringify(state);
    const added = [
      ...creates.map((c) => ({ ...c.attributes, sk: c.sk }) as Item),
      ...entries.map((entry, i) => {
        const sk = entryKey(entry, state.version, i);
        return { ...entry, sk, cycleId, ...outboxFields(entry, { accountId, cycleId }, sk) } as Item;
      }),
    ].map((item) => ({ item, text: JSON.stringify(item) }));
    const entryItems = added.slice(creates.length).map(({ item }) => item);
    const figures = figuresOf(entries, state);
    const figureItems = Object.entries(figures).map(([date, counters]) => ({
      date,
      counters,
      key: `${date}#${DAILY_FIGURES.sk(accountHash(accountId) % DAILY_FIGURES.shards)}`,
    }));
    const written: (Item | string)[] = [
      stateText,
      ...added.map(({ text }) => text),
      ...(profile ? [{ ...profile, sk: PROFILE }] : []),
      ...(typeof profile?.phone === 'string' && profile.phone ? [{ phone: profile.phone, accountId }] : []),
      ...callTasks.map(taskItem),
      ...(personTask ? [personTaskItem(personTask)] : []),
      ...(personTask?.join ? [{ pk: taskPk(personTask.taskId), accountIds: [...personTask.join.listed, '-'] }] : []),
      ...figureItems.map(({ key, counters }) => ({ ...(this.daily.get(key) ?? {}), ...counters, sk: key }) as Item),
    ];
    const single = written.length === 1;
    this.observe(
      single ? 'PutItem' : 'TransactWriteItems',
      'write',
      stateOk && !duplicate ? writeUnits(written) * (single ? 1 : 2) : 0,
      entryItems.some((i) => i.eventType !== undefined),
      {
        // The state, create-once records, entries, the phone index and tasks are puts; profile and figures updates.
        actions: profile || figureItems.length > 0 ? ['PutItem', 'UpdateItem'] : ['PutItem'],
        daily: stateOk && !duplicate ? figureItems.map(({ key }) => key.slice(key.indexOf('#') + 1)) : [],
        partitions: [
          accountPk(accountId),
          ...(typeof profile?.phone === 'string' && profile.phone ? [phoneKey(profile.phone, accountId).pk] : []),
          ...callTasks.map((t) => taskPk(t.taskId)),
          ...(personTask ? [personTaskKey(personTask.customerId).pk] : []),
          ...(personTask?.join ? [taskPk(personTask.taskId)] : []),
          ...figureItems.map(({ date }) => DAILY_FIGURES.pk(date)),
        ],
      },
    );
    if (duplicate) return { kind: 'duplicate', sk: duplicate.sk };
    if (!stateOk) return { kind: 'conflict' };
    const clash = entryItems.find((i) => items.has(String(i.sk)));
    const taskClash = callTasks.find((t) => this.calls.has(t.taskId));
    if (clash || taskClash)
      throw Object.assign(
        new Error(`Transaction cancelled: ${clash ? String(clash.sk) : `task ${taskClash!.taskId}`} already exists`),
        { name: 'TransactionCanceledException' },
      );
    this.calls.add(accountId, callTasks);
    if (personTask) this.calls.writePersonTask(personTask);
    this.put(accountId, { ...state, sk: STATE }, false, stateText);
    for (const { item, text } of added) this.put(accountId, item, true, text);
    for (const { key, counters } of figureItems)
      this.daily.set(key, addFigures({ ...(this.daily.get(key) ?? {}) }, counters));
    if (profile) {
      // A new number: the old one's index entry goes, as the DynamoDB store deletes its item.
      const oldPhone = this.profileOf(accountId)?.phone;
      if (
        typeof profile.phone === 'string' &&
        profile.phone &&
        typeof oldPhone === 'string' &&
        oldPhone !== profile.phone
      ) {
        this.observe('DeleteItem', 'write', 1, false, { partitions: [phoneKey(oldPhone, accountId).pk] });
        this.phones.get(oldPhone)?.delete(accountId);
      }
      const fields = Object.fromEntries(Object.entries(profile).filter(([, v]) => v !== undefined && v !== ''));
      this.put(accountId, { ...(this.item(accountId, PROFILE) ?? {}), ...fields, sk: PROFILE }, false);
      if (typeof profile.phone === 'string' && profile.phone) {
        this.phones.set(profile.phone, new Set([...(this.phones.get(profile.phone) ?? []), accountId]));
      }
    }
    return { kind: 'saved', state };
  }

  /**
   * Lets an account's record entries and call tasks go, once a simulation has read them and will not again
   * (DynamoDB keeps them; process memory cannot keep every record of a long run). Its state, profile and
   * create-once claims stay, so a late event is refused, or recognised as a duplicate, exactly as before.
   */
  releaseRecord(accountId: string): void {
    const items = this.accounts.get(accountId);
    if (items)
      for (const sk of items.keys()) if (sk.startsWith('EVENT#') || sk.startsWith('CONTACT#')) items.delete(sk);
    this.calls.release(accountId);
  }

  /** The report's figures for each date, the day's shards summed; a date with nothing recorded is absent. */
  async dailyFigures(dates: readonly string[]): Promise<DailyFigures> {
    const figures: DailyFigures = {};
    const keys = dates.flatMap((date) =>
      Array.from({ length: DAILY_FIGURES.shards }, (_, shard) => [date, `${date}#${DAILY_FIGURES.sk(shard)}`] as const),
    );
    const found = keys.filter(([, key]) => this.daily.has(key));
    this.observe('BatchGetItem', 'read', readUnits(found.map(([, key]) => this.daily.get(key)! as Item)), false);
    for (const [date, key] of found) addFigures((figures[date] ??= {}), this.daily.get(key)!);
    return figures;
  }

  async parkTaskToken(
    accountId: string,
    token: string,
    expectedVersion: number,
    expiresAt: string,
  ): Promise<'stored' | 'stale'> {
    const current = this.item(accountId, STATE);
    const ok = current?.version === expectedVersion && current?.status === 'open';
    this.observe('UpdateItem', 'write', ok ? writeUnits([current!]) : 0, false, { partitions: [accountPk(accountId)] });
    if (!ok) return 'stale';
    const parked = { ...current, taskToken: token, tokenExpiresAt: expiresAt, version: expectedVersion + 1 };
    this.put(accountId, { ...parked, sk: STATE }, false, JSON.stringify(parked));
    return 'stored';
  }

  async personTask(customerId: string): Promise<PersonTaskPointer | null> {
    return this.calls.personTask(customerId);
  }

  async getClaim(accountId: string, sk: string): Promise<Record<string, unknown> | null> {
    const item = this.item(accountId, sk);
    this.observe('GetItem', 'read', readUnits(item ? [item] : []), false);
    if (!item) return null;
    const { sk: _sk, ...fields } = item;
    return fields;
  }

  async record(accountId: string, cycleId: string): Promise<RecordEntry[]> {
    const items = [...(this.accounts.get(accountId) ?? [])]
      .filter(([sk]) => sk.startsWith('EVENT#') || sk.startsWith('CONTACT#'))
      .map(([, text]) => parse(text))
      .filter((i) => i.cycleId === cycleId);
    // The DynamoDB store reads the two item families (EVENT#, CONTACT#) with one query each.
    this.observe('Query', 'read', readUnits(items), false);
    this.observe('Query', 'read', 0, false);
    return items
      .sort((a, b) => String(a.at).localeCompare(String(b.at)) || String(a.sk).localeCompare(String(b.sk)))
      .map(
        (item) =>
          Object.fromEntries(Object.entries(item).filter(([name]) => !ITEM_ONLY.has(name))) as unknown as RecordEntry,
      );
  }

  async erase(accountId: string, at: Date): Promise<{ erased: string[] }> {
    // State or profile: either is enough to erase (an account whose state is gone still has contact points).
    if (!this.item(accountId, STATE) && !this.profileOf(accountId)) throw new AccountNotFoundError(accountId);
    const phone = this.profileOf(accountId)?.phone;
    const items = this.items(accountId);
    const erasedAt = at.toISOString();
    // Free text the customer wrote: a dispute's reason, a late-payment reason's note (in key order, as queried).
    const withText = (prefix: string, field: string) =>
      [...items.values()]
        .map(parse)
        .filter((i) => String(i.sk).startsWith(prefix) && i[field] !== undefined)
        .sort((a, b) => String(a.sk).localeCompare(String(b.sk)))
        .map((item) => ({ item, field }));
    const texts = [...withText('DISPUTE#', 'reason'), ...withText('REASON#', 'note')];
    this.put(
      accountId,
      { sk: PROFILE, name: '', email: null, phone: null, erasedAt } satisfies Partial<Profile> & Item,
      false,
    );
    for (const { item, field } of texts) {
      const { [field]: _text, ...rest } = item;
      this.put(accountId, { ...rest, erasedAt }, false);
    }
    if (typeof phone === 'string') this.phones.get(phone)?.delete(accountId);
    const erased = ['PROFILE', ...(phone ? ['PHONE-INDEX'] : []), ...texts.map(({ item }) => String(item.sk))];
    const state = this.item(accountId, STATE);
    this.put(
      accountId,
      { kind: 'erased', at: erasedAt, items: erased, sk: `EVENT#${erasedAt}#ERASURE`, cycleId: state?.cycleId ?? '' },
      true,
    );
    return { erased };
  }

  async accountsByPhone(phone: string): Promise<string[]> {
    this.observe('Query', 'read', 1, false);
    const ids = [...(this.phones.get(phone) ?? [])];
    return ids.filter((id) => this.profileOf(id)?.phone === phone).sort();
  }

  private profileOf(accountId: string): Item | undefined {
    const text = this.accounts.get(accountId)?.get(PROFILE);
    return text === undefined ? undefined : parse(text);
  }

  /** The status index's rows a page at a time (pages of a thousand, about what a 1 MB query page holds). */
  async *pagesByStatus(status: 'open' | 'closed'): AsyncIterable<PortfolioRow[]> {
    const rows = await this.listByStatus(status);
    for (let i = 0; i < rows.length; i += 1000) yield rows.slice(i, i + 1000);
  }

  /** Account ids by status (and bucket), as the report index answers. */
  async listByStatus(status: 'open' | 'closed', bucket?: string): Promise<PortfolioRow[]> {
    const rows = [...this.accounts.values()]
      .flatMap((items) => {
        const text = items.get(STATE);
        return text === undefined ? [] : [parse(text)];
      })
      .filter((s) => s.status === status && (!bucket || s.bucket === bucket))
      .map(portfolioRowOf);
    this.observe('Query', 'read', readUnits(rows as unknown as Item[]), false, { index: STATUS_INDEX.indexName });
    return rows;
  }

  // The call queue's part of the store: its own module (memory-call-queue.ts).

  openTasks(now: Date, limit?: number): Promise<CallTaskItem[]> {
    return this.calls.openTasks(now, limit);
  }

  getTask(taskId: string): Promise<CallTaskItem | null> {
    return this.calls.getTask(taskId);
  }

  claim(taskId: string, agentId: string, now: Date, leaseUntil: Date, maxClaims?: number): Promise<ClaimResult> {
    return this.calls.claim(taskId, agentId, now, leaseUntil, maxClaims);
  }

  markDialled(taskId: string, agentId: string): Promise<ClaimResult> {
    return this.calls.markDialled(taskId, agentId);
  }

  grantAccess(access: AccountAccess): Promise<void> {
    return this.calls.grantAccess(access);
  }

  accessOf(accountId: string, agentId: string): Promise<AccountAccess | null> {
    return this.calls.accessOf(accountId, agentId);
  }

  openInboundCall(agentId: string, callId: string, until: string, now: Date, max: number): Promise<InboundOpened> {
    return this.calls.openInboundCall(agentId, callId, until, now, max);
  }
}
