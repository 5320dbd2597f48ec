// The ports a local stack binds its handlers to (in-process-ports.ts or aws-local-ports.ts), and the few parts of
// the stack their adapters hand their work to: the outputs, the usage meter, IAM, the engine and the inbound path.
import type { MessageChannel } from '../../functions/domain/channels';
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
import type { SentMessage, StackOutputs } from './outputs';
import type { TemplateIam } from './stack-iam';
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
  /** How many messages each channel's provider took (kept or not). */
  messagesSent(): Promise<Record<MessageChannel, number>>;
  faults: Faults;
  /** Where the local services listen (the DynamoDB path only): what `npm run serve` hands out. */
  addresses?: LocalAddresses;
  /** Lets a finished account's record go from process memory (nothing to do where DynamoDB Local holds it). */
  release(accountId: string): void;
  close(): Promise<void>;
}

/** What the message providers took: local SES's inbox of emails, the other providers' messages, counts by channel. */
export interface Inboxes {
  emails(): Promise<SentEmail[]>;
  /** Messages each provider took while the stack keeps outputs (email only on the in-process path). */
  readonly messages: Readonly<Record<MessageChannel, readonly SentMessage[]>>;
  messagesSent(): Promise<Record<MessageChannel, number>>;
}

/** What port adapters hand their work to. The engine and the inbound path exist only once the ports do. */
export interface StackParts {
  outputs: StackOutputs;
  usage: Usage;
  /** The stack's IAM as the template writes it: what every call a principal makes is held to (stack-iam.ts). */
  iam: TemplateIam;
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
  tableName: string;
}

/** Each stack sends from its own address: local SES keeps one store per process, shared by every stack in it. */
export const senderFor = (tableName: string) => `collections+${tableName}@example.com`;
export const SENDER = 'collections@example.com';
export const SMS_FROM = '+15550100000';
