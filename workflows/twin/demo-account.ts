// The shape of a demo account the live stack replays before launch: the tools make the portfolio (serve's demo),
// the twin only delivers its events on each account's clock, as the bus would.
import type { InboundOf } from '../../functions/domain/inbound-events';

/** What the customer does before launch: promise to pay on launch day, or accept the plan on offer. */
export type FollowUp = 'promise-due-today' | 'plan-accepted';

export interface DemoAccount {
  stage: string;
  callable: boolean;
  /** When the bank sends the delinquency: the day after the due date, or the warm-up's start if that is later. */
  delinquentAt: number;
  event: InboundOf<'AccountDelinquent'>;
  /** Events the customer sends before launch: the texts opt-out at once, a promise or a plan two days before launch. */
  followUps: { at: number; action: FollowUp | 'sms-opt-out' }[];
}

/** Demo accounts for a launch at `start`, and how many days before it the service runs at full speed. */
export interface DemoStart {
  warmUpDays: number;
  accounts: (start: Date) => readonly DemoAccount[];
}
