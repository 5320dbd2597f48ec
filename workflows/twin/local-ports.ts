// The ports a local stack binds its handlers to (in-process-ports.ts or aws-local-ports.ts), and the few parts of
// the stack their adapters hand their work to: the outputs, the usage meter, the engine and the inbound path.
import type {
  AccountStore,
  CallQueue,
  DeadLetters,
  PersonStore,
  PortfolioReader,
  Senders,
  WorkflowCallbacks,
} from '../../functions/ports';
import type { LocalEngine } from './engine';
import type { Faults } from './faults';
import type { InboundPath } from './inbound-path';
import type { SentEmail } from './local-ses';
import type { OutboxRelay } from './outbox-relay';
import type { StackOutputs } from './outputs';
import type { Usage } from './usage';

export interface Ports {
  store: AccountStore & CallQueue & PortfolioReader;
  /** The people behind the accounts (docs/contract.md §11.1), on the same table. */
  persons: PersonStore;
  senders: Senders;
  callbacks: WorkflowCallbacks;
  deadLetters: DeadLetters;
  relay: OutboxRelay;
  emails(): Promise<SentEmail[]>;
  /** How many emails the provider took (kept or not). */
  emailsSent(): Promise<number>;
  faults: Faults;
  tableName: string;
  /** Where the local services listen (the DynamoDB path only): what `npm run serve` hands out. */
  addresses?: LocalAddresses;
  /** Lets a finished account's record go from process memory (nothing to do where DynamoDB Local holds it). */
  release(accountId: string): void;
  close(): Promise<void>;
}

/** What port adapters hand their work to. The engine and the inbound path exist only once the ports do. */
export interface StackParts {
  outputs: StackOutputs;
  usage: Usage;
  engine(): LocalEngine;
  inbound(): InboundPath;
}

/** Where the local AWS endpoint lists the texts sent, as JSON. */
export const SMS_INBOX_PATH = '/sms';

export interface LocalAddresses {
  awsEndpoint: string;
  ses: string;
  dynamodb: string;
  /** The dead-letter queue's URL on the local AWS endpoint (SQS: what `npm run erase` reads). */
  deadLetterQueue: string;
}

/** Each stack sends from its own address: local SES keeps one store per process, shared by every stack in it. */
export const senderFor = (tableName: string) => `collections+${tableName}@example.com`;
export const SENDER = 'collections@example.com';
export const SMS_FROM = '+15550100000';
