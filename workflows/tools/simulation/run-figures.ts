// What a run counts besides its accounts' outcomes: the requests and events it made, and its team's hours.
import type { MessageChannel } from '../../../functions/domain/channels';
import type { Usage } from '../../twin/usage';

/** The limited team, when there was one: its size, its dials, and its hours on shift and on calls. */
export interface TeamFigures {
  agents: number;
  dials: number;
  shiftHours: number;
  busyHours: number;
}

/** The run's usage: the local stack's request counts, and what the engine and the delivery path counted. */
export type RunUsage = Usage & {
  transitions: number;
  /** Messages the providers took, by channel. */
  messages: Record<MessageChannel, number>;
  eventsOut: number;
  eventsIn: number;
  /** Deliveries held back 1–10 minutes, arriving after events sent later (a standard queue's order). */
  eventsLate: number;
  executions: number;
  failedExecutions: number;
  /** Transient faults injected at the local endpoints, and handlers made to fail after their writes. */
  faultsInjected: number;
  crashesInjected: Record<string, number>;
  /** Invocations throttled by Lambda before they ran (Lambda.TooManyRequestsException), by function. */
  throttlesInjected: Record<string, number>;
};
