// The ports handlers depend on. Production binds them to AWS adapters; tests and the local engine
// bind the same adapters to local endpoints, or small recorders where noted.
import type { AccountRepository } from '../adapters/account-repository';
import type { Clock } from '../adapters/clock';
import type { Channel } from '../domain/channels';
import type { RenderedMessage } from '../domain/messages';
import type { Playbook } from '../domain/next-step';
import type { EventOut } from '../domain/record';

/** Structured logging (Powertools Logger in Lambda). Never pass PII. */
export interface Log {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

/** Business metrics (Powertools Metrics, EMF, in Lambda). */
export interface Metrics { count(name: string, value?: number): void }

export interface EventPublisher { publish(events: readonly EventOut[]): Promise<void> }

export interface MessageSender {
  /** `to` is an address or E.164 number; `reference` ids let the provider's records be traced back. */
  send(to: string, message: RenderedMessage, reference: { accountId: string; contactId: string }): Promise<void>;
}

export interface WorkflowCallbacks {
  /** Starts the cycle's execution; false when it already exists (a duplicate start). */
  start(name: string, input: Record<string, unknown>): Promise<boolean>;
  /** Resumes a parked execution; false when the token is no longer valid (stale). */
  resume(taskToken: string): Promise<boolean>;
}

export interface DeadLetters { reject(body: string, reason: string): Promise<void> }

export interface WorkflowDeps {
  clock: Clock;
  accounts: AccountRepository;
  playbook: Playbook;
  events: EventPublisher;
  log: Log;
  metrics: Metrics;
}

export type Senders = Record<Exclude<Channel, 'call'>, MessageSender>;
