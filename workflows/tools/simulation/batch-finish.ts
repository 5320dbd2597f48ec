// A batch's accounts as they finish: each read once, when its cycle has closed and settled or when the run ends,
// adding its share to the KPI tally, the implied sends and the checks, its row to accounts.csv; then let go.
import type { PolicyPack } from '../../../functions/domain/policy-packs';
import type { LocalStack } from '../../twin/local-stack';
import { checkAccount } from '../scenario/compliance-check';
import type { Violation } from '../scenario/violation';
import { accountRow } from './account-row';
import { addUp } from './add-up';
import { impliedBy, noneImplied } from './consistency';
import type { KpiTally, RunFrame } from './kpi-tally';
import { emptyTally, tallyAccount } from './kpis';
import { peopleCounter } from './people';
import type { SyntheticAccount } from './portfolio';
import type { SimulationOptions } from './simulation-options';
import type { SimulatedAccount } from './simulated-account';

/** What finishing needs of the stack: the store to read, each account's clock, and letting an account go. */
export type FinishingStack = Pick<LocalStack, 'store' | 'scheduler' | 'release'>;

export class BatchFinish {
  readonly tally: KpiTally;
  readonly implied = noneImplied();
  readonly violations: Violation[] = [];
  /** Finished accounts, kept whole only with `keepRecords`. */
  readonly kept: SimulatedAccount[] = [];
  /** Accounts whose CycleClosed went out: a redelivered event (at least once) counts and finishes an account once. */
  readonly closed = new Set<string>();
  /** What the person checker reads of each finished account (the batch's people finish in it). */
  readonly people: ReturnType<typeof peopleCounter>;
  /** The first error a finish on an account's clock met: the run fails with it. */
  failure: Error | undefined;
  private readonly finished = new Set<string>();
  private readonly profileOf: Map<string, SyntheticAccount['profile']>;

  constructor(
    private readonly stack: FinishingStack,
    private readonly options: Pick<SimulationOptions, 'days' | 'keepRecords' | 'onAccount'> & { pack: PolicyPack },
    private readonly frame: RunFrame,
    portfolio: readonly SyntheticAccount[],
  ) {
    this.tally = emptyTally(options.days);
    this.people = peopleCounter(options.pack, portfolio);
    this.profileOf = new Map(portfolio.map((a) => [a.event.detail.accountId, a.profile]));
  }

  /** A CycleClosed went out for the account: finish it once it has settled (the first time only). */
  cycleClosed(accountId: string): void {
    if (this.closed.has(accountId)) return;
    this.closed.add(accountId);
    this.finishWhenSettled(accountId);
  }

  /** Reads a finished account once: its share of the KPIs, its checks and its row; then lets it go. */
  async finish(accountId: string): Promise<void> {
    if (this.finished.has(accountId)) return;
    this.finished.add(accountId);
    const { store } = this.stack;
    const state = await store.getState(accountId);
    if (!state) return;
    const account: SimulatedAccount = {
      profile: this.profileOf.get(accountId)!,
      state,
      record: await store.record(accountId, state.cycleId),
    };
    addUp(this.tally, tallyAccount(account, this.frame));
    this.people.add(account);
    addUp(this.implied, impliedBy(account));
    this.violations.push(...checkAccount(account, this.options.pack, this.frame.until));
    this.options.onAccount?.(accountRow(account, this.frame.until));
    if (this.options.keepRecords) this.kept.push(account);
    else this.stack.release(accountId);
  }

  /** Once the closed account has settled (its execution ended), on its own clock, before anything later for it. */
  private finishWhenSettled(accountId: string): void {
    const { scheduler } = this.stack;
    scheduler.schedule(scheduler.timeOf(accountId), accountId, () => {
      scheduler.enter(accountId);
      this.finish(accountId)
        .catch((error: Error) => {
          this.failure ??= error;
        })
        .finally(() => scheduler.leave(accountId));
    });
  }
}
