// What the API is built from: ports only, so the same app serves in Lambda and on @hono/node-server.
import type { Playbook } from '../domain/next-step';
import type { DeskSignIn } from './pages/desk-text';
import type { RateLimits } from './rate-limit';
import type { AccountStore, AgentAuth, CallQueue, Clock, CustomerLinks, EventBus, Log, PersonStore } from '../ports';

export interface ApiDeps {
  clock: Clock;
  accounts: AccountStore;
  /** Who the account's person is (docs/contract.md §11.1): the customer and the collector see all their accounts. */
  persons: Pick<PersonStore, 'getPerson'>;
  queue: CallQueue;
  bus: EventBus;
  links: CustomerLinks;
  agents: AgentAuth;
  playbook: Playbook;
  log: Log;
  /** How the desk signs collectors in. */
  deskSignIn: DeskSignIn;
  /** Per-client limits (rate-limit.ts); DEFAULT_RATE_LIMITS where not given. */
  rateLimits?: RateLimits;
}
