// What each function is handed, assembled in one place for every runtime: the AWS composition root (aws.ts), the
// twin's handler table and its live stack each say only where the ports come from. Ports are made when a function
// asks for them, so a Lambda builds (and its bundle keeps) only the clients its own function uses; a builder whose
// ports were not given does not compile.
import type { ApiDeps } from '../api/deps';
import type { DeskSignIn } from '../api/pages/desk-text';
import type { Playbook } from '../domain/next-step';
import type { AwaitDeps } from '../handlers/await-event/handler';
import type { EraseDeps } from '../handlers/erase/handler';
import type { LetterDeps } from '../handlers/letter/handler';
import type { ReportDeps } from '../handlers/report/handler';
import type {
  AccountStore,
  AgentAuth,
  CallQueue,
  Clock,
  CustomerLinks,
  DeadLetterErasure,
  DeadLetters,
  DocumentStore,
  EventBus,
  LetterRenderer,
  Log,
  Metrics,
  PersonStore,
  PortfolioReader,
  Senders,
  WorkflowCallbacks,
  WorkflowDeps,
} from '../ports';
import type { ContactDeps } from '../use-cases/contact-step';
import type { IntakeDeps } from '../use-cases/receive-event';

/** Where a runtime's ports come from, each made when a function asks for it (logs and metrics by service). */
export interface PortSource {
  clock: Clock;
  playbook: () => Playbook;
  accounts: () => AccountStore;
  /** People's partitions: their accounts, person-wide facts and contact ledger (docs/contract.md §11.1). */
  persons: () => PersonStore;
  log: (service: string) => Log;
  metrics: (service: string) => Metrics;
  senders: () => Senders;
  links: () => CustomerLinks;
  documents: () => DocumentStore;
  render: LetterRenderer;
  callbacks: () => WorkflowCallbacks;
  deadLetters: () => DeadLetters;
  /** The collectors' side (the HTTP API): the call queue, the bus actions go on, who signs in and how. */
  queue: () => CallQueue;
  bus: () => EventBus;
  agents: () => AgentAuth;
  deskSignIn: () => DeskSignIn;
  reader: () => PortfolioReader;
  erasure: () => DeadLetterErasure;
}

type WorkflowPorts = 'clock' | 'playbook' | 'accounts' | 'log' | 'metrics';
/** `build` where `P` gives the ports `K`; otherwise `never`, which cannot be called. */
type Needs<P, K extends keyof PortSource, Build> = P extends Pick<PortSource, K> ? Build : never;

/** Each function's dependencies, by what the workflow, its queue and its API call it. */
export interface Builders<P> {
  /** Diagnose, Escalate, Close. */
  workflow: Needs<P, WorkflowPorts, (service: string) => WorkflowDeps>;
  /** Remind and OfferPlan. */
  contact: Needs<P, WorkflowPorts | 'persons' | 'senders' | 'links', (service: string) => ContactDeps>;
  letter: Needs<P, WorkflowPorts | 'documents' | 'render' | 'links', () => LetterDeps>;
  awaitEvent: Needs<P, 'clock' | 'accounts' | 'callbacks' | 'log' | 'metrics', () => AwaitDeps>;
  intake: Needs<P, WorkflowPorts | 'persons' | 'callbacks' | 'deadLetters', () => IntakeDeps>;
  api: Needs<
    P,
    'clock' | 'accounts' | 'persons' | 'queue' | 'bus' | 'links' | 'agents' | 'playbook' | 'log' | 'deskSignIn',
    () => ApiDeps
  >;
  report: Needs<P, 'clock' | 'reader' | 'documents' | 'log', () => ReportDeps>;
  erase: Needs<P, 'clock' | 'accounts' | 'documents' | 'erasure' | 'log', () => EraseDeps>;
}

export const buildDeps = <P extends Partial<PortSource>>(ports: P): Builders<P> => {
  // Builders<P> lets a builder be called only where P gives its ports, so each port read here was given.
  const p = ports as Partial<PortSource> as PortSource;
  const workflow = (service: string): WorkflowDeps => ({
    clock: p.clock,
    accounts: p.accounts(),
    playbook: p.playbook(),
    log: p.log(service),
    metrics: p.metrics(service),
  });
  const builders: Builders<PortSource> = {
    workflow,
    contact: (service) => ({ ...workflow(service), persons: p.persons(), senders: p.senders(), links: p.links() }),
    letter: () => ({ ...workflow('letter'), documents: p.documents(), render: p.render, links: p.links() }),
    awaitEvent: () => ({
      clock: p.clock,
      accounts: p.accounts(),
      callbacks: p.callbacks(),
      log: p.log('await-event'),
      metrics: p.metrics('await-event'),
    }),
    intake: () => ({
      clock: p.clock,
      accounts: p.accounts(),
      persons: p.persons(),
      pack: p.playbook().pack,
      callbacks: p.callbacks(),
      deadLetters: p.deadLetters(),
      log: p.log('intake'),
      metrics: p.metrics('intake'),
    }),
    api: () => ({
      clock: p.clock,
      accounts: p.accounts(),
      persons: p.persons(),
      queue: p.queue(),
      bus: p.bus(),
      links: p.links(),
      agents: p.agents(),
      playbook: p.playbook(),
      log: p.log('api'),
      deskSignIn: p.deskSignIn(),
    }),
    report: () => ({ clock: p.clock, reader: p.reader(), documents: p.documents(), log: p.log('report') }),
    erase: () => ({
      clock: p.clock,
      accounts: p.accounts(),
      documents: p.documents(),
      deadLetters: p.erasure(),
      log: p.log('erase'),
    }),
  };
  return builders as unknown as Builders<P>;
};
