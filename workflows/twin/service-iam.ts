// IAM on the local stack's other services (docs/contract.md §10.2.1): each function's calls through the ports (sends,
// Step Functions callbacks, the dead-letter queue, documents, the bus, the link key) and the pipe's (the table's stream
// read, events put on the bus) are evaluated against the template's statements (stack-iam.ts) before they reach the
// service, on both stacks alike: the action, on the resource the call names (the queue, bus, secret, state machine,
// sender identity or object its function's environment names), with the context keys AWS gives it (`events:source`,
// `s3:prefix`), and the customer managed key an encrypted resource needs (the role's policy and the key policy). A call
// not allowed fails as AWS fails it: AccessDeniedException, which nothing retries. The table's requests are
// table-iam.ts's.
import { assertNever } from '../../functions/domain/assert-never';
import type { MessageChannel } from '../../functions/domain/channels';
import type {
  DeadLetterErasure,
  DeadLetters,
  DocumentStore,
  EventBus,
  EventPublisher,
  MessageSender,
  Senders,
  SendOnceSender,
  WorkflowCallbacks,
} from '../../functions/ports';
import { OUTBOX_SOURCE } from '../../functions/adapters/aws/outbox';
import type { ChangeSource } from './outbox-relay';
import type { RequestContext } from './policy-evaluation';
import { stackIam, type StackIam, type TemplateIam } from './stack-iam';
import { currentFunction } from './usage';

/**
 * The IAM actions each port call needs, as AWS evaluates them: one table, pinned to the template by a test. Every
 * channel a provider sends on has its line (the compiler asks for a new channel's).
 */
export const PORT_ACTIONS = {
  'senders.email.send': ['ses:SendEmail'],
  'senders.sms.send': ['sms-voice:SendTextMessage'],
  'callbacks.start': ['states:StartExecution'],
  'callbacks.resume': ['states:SendTaskSuccess'],
  'deadLetters.reject': ['sqs:SendMessage'],
  'documents.put': ['s3:PutObject'],
  // Erasure: every version of every object under the prefix, listed then deleted.
  'documents.removeAll': ['s3:ListBucketVersions', 's3:DeleteObject', 's3:DeleteObjectVersion'],
  // Erasure: the queue read through, the account's messages deleted, the rest handed back.
  'deadLetters.removeAccount': ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'],
  'bus.put': ['events:PutEvents'],
  'links.key': ['secretsmanager:GetSecretValue'],
} as const satisfies Record<`senders.${MessageChannel}.send`, readonly string[]> & Record<string, readonly string[]>;
export type PortCall = keyof typeof PORT_ACTIONS;

/** The actions of a channel's provider that the table does not know: a channel a test adds at run time. */
export type ProviderActions = Readonly<Record<string, readonly string[]>>;

/** The key actions a call on an encrypted resource needs, and the service that takes them for the caller. */
const KEY_USE: Partial<Record<PortCall, { actions: readonly string[]; service: string }>> = {
  // SQS encrypts a message with a data key, and decrypts the one it keeps.
  'deadLetters.reject': { actions: ['kms:GenerateDataKey', 'kms:Decrypt'], service: 'sqs' },
  'deadLetters.removeAccount': { actions: ['kms:Decrypt'], service: 'sqs' },
  // S3 encrypts each object it is given under the bucket's key.
  'documents.put': { actions: ['kms:GenerateDataKey'], service: 's3' },
  'links.key': { actions: ['kms:Decrypt'], service: 'secretsmanager' },
};

/** A value of the function's environment: what its calls name, as in AWS, where it is its configuration. */
const named = (iam: TemplateIam, fn: string, variable: string): string => {
  const value = iam.environments[fn]?.[variable];
  if (value === undefined) throw new Error(`service-iam: ${fn}'s environment names nothing as ${variable}`);
  return value;
};

const queueArnOf = (iam: TemplateIam, url: string) =>
  `arn:aws:sqs:${iam.region}:${iam.account}:${url.split('/').at(-1)}`;

/**
 * The resource a port call names, and its context keys: `detail` is the object's key (documents), the prefix
 * (erasure) or the event's source (the bus).
 */
const resourceOf = (
  iam: TemplateIam,
  fn: string,
  call: PortCall,
  action: string,
  detail: string | undefined,
): { resource: string; context?: RequestContext } => {
  const here = `${iam.region}:${iam.account}`;
  switch (call) {
    case 'senders.email.send':
      return { resource: `arn:aws:ses:${here}:identity/${named(iam, fn, 'SENDER_EMAIL')}` };
    case 'senders.sms.send': {
      const identity = named(iam, fn, 'SMS_ORIGINATION_IDENTITY');
      return {
        resource: identity.startsWith('arn:') ? identity : `arn:aws:sms-voice:${here}:phone-number/${identity}`,
      };
    }
    case 'callbacks.start':
      return { resource: named(iam, fn, 'STATE_MACHINE_ARN') };
    case 'callbacks.resume':
      // A task token belongs to the state machine whose execution issued it.
      return { resource: iam.stateMachine ?? '' };
    case 'deadLetters.reject':
    case 'deadLetters.removeAccount':
      return { resource: queueArnOf(iam, named(iam, fn, 'DEAD_LETTER_QUEUE_URL')) };
    case 'documents.put':
      return { resource: `arn:aws:s3:::${named(iam, fn, 'DOCUMENT_BUCKET')}/${detail ?? ''}` };
    case 'documents.removeAll': {
      const bucket = `arn:aws:s3:::${named(iam, fn, 'DOCUMENT_BUCKET')}`;
      // The versions are listed with the prefix; each object under it is deleted (named here by the prefix).
      return action === 's3:ListBucketVersions'
        ? { resource: bucket, context: { 's3:prefix': detail ?? '' } }
        : { resource: `${bucket}/${detail ?? ''}` };
    }
    case 'bus.put':
      return {
        resource: `arn:aws:events:${here}:event-bus/${named(iam, fn, 'BUS_NAME')}`,
        context: { 'events:source': detail ?? '' },
      };
    case 'links.key':
      return { resource: named(iam, fn, 'LINK_SECRET_ARN') };
    default:
      return assertNever(call, 'port call');
  }
};

/** EventBridge's use of the bus's key for an event put on it (the key policy must allow the service). */
const refuseBusKey = (stack: StackIam, bus: string) =>
  stack.refuseKeyUse({ service: 'events.amazonaws.com' }, ['kms:GenerateDataKey'], bus, 'events', {
    'aws:SourceArn': bus,
    'kms:EncryptionContext:aws:events:event-bus:arn': bus,
  });

/**
 * Refuses the call when it is made for one of the template's functions whose role may not make it: each of its
 * actions on the resource it names, and the key of an encrypted resource. Calls made outside a function (the runner,
 * a test setting up) are not a role's.
 */
export const refuseUngrantedCall = (iam: TemplateIam, call: PortCall, detail?: string): void => {
  const fn = currentFunction();
  const stack = stackIam(iam);
  if (!stack.has(fn)) return;
  let resource = '';
  for (const action of PORT_ACTIONS[call]) {
    const target = resourceOf(iam, fn, call, action, detail);
    stack.refuse(fn, action, target.resource, target.context);
    resource = target.resource;
  }
  const key = KEY_USE[call];
  if (key) stack.refuseKeyUse(fn, key.actions, resource, key.service);
  if (call === 'bus.put') refuseBusKey(stack, resource);
};

/**
 * Refuses a send on a channel the table does not know (added at run time) unless the function's role may take each of
 * its provider's actions; the provider names no resource of the stack's, so any resource the role is granted it on.
 */
const refuseUngrantedProviderCall = (iam: TemplateIam, actions: readonly string[]): void => {
  const fn = currentFunction();
  const stack = stackIam(iam);
  if (!stack.has(fn)) return;
  for (const action of actions) stack.refuse(fn, action, '*');
};

/** The provider call checked; the send-once record's read is a table request, checked as the table's are. */
const checkedSender = (refuse: () => void, sender: SendOnceSender): SendOnceSender => ({
  send: (...args: Parameters<MessageSender['send']>) => {
    refuse();
    return sender.send(...args);
  },
  statusOf: (reference) => sender.statusOf(reference),
});

/** The ports as a function's role may use them: every call checked first. */
export const withServiceGrants = <
  P extends { senders: Senders; callbacks: WorkflowCallbacks; deadLetters: DeadLetters },
>(
  iam: TemplateIam,
  ports: P,
  providerActions: ProviderActions = {},
): P => ({
  ...ports,
  senders: Object.fromEntries(
    Object.entries(ports.senders).map(([channel, sender]) => {
      const call = `senders.${channel}.send`;
      if (call in PORT_ACTIONS)
        return [channel, checkedSender(() => refuseUngrantedCall(iam, call as PortCall), sender)];
      const actions = providerActions[channel];
      if (!actions) throw new Error(`service-iam: no IAM action for ${call} in PORT_ACTIONS`);
      return [channel, checkedSender(() => refuseUngrantedProviderCall(iam, actions), sender)];
    }),
  ) as Senders,
  callbacks: {
    start: (name, input) => {
      refuseUngrantedCall(iam, 'callbacks.start');
      return ports.callbacks.start(name, input);
    },
    resume: (token) => {
      refuseUngrantedCall(iam, 'callbacks.resume');
      return ports.callbacks.resume(token);
    },
  },
  deadLetters: {
    reject: (body, reason) => {
      refuseUngrantedCall(iam, 'deadLetters.reject');
      return ports.deadLetters.reject(body, reason);
    },
  },
});

/** The document store as a function's role may use it (writing letters and reports, erasing letters). */
export const documentsWithGrants = (iam: TemplateIam, documents: DocumentStore) => ({
  put: (...args: Parameters<DocumentStore['put']>) => {
    refuseUngrantedCall(iam, 'documents.put', args[0]);
    return documents.put(...args);
  },
  removeAll: (prefix: string) => {
    refuseUngrantedCall(iam, 'documents.removeAll', prefix);
    return documents.removeAll(prefix);
  },
});

/** Dead-letter erasure as the Erase function's role may do it. */
export const deadLetterErasureWithGrants = (iam: TemplateIam, erasure: DeadLetterErasure): DeadLetterErasure => ({
  removeAccount: (accountId) => {
    refuseUngrantedCall(iam, 'deadLetters.removeAccount');
    return erasure.removeAccount(accountId);
  },
});

/** The bus as the API's role may put events on it (`events:source`, each entry's). */
export const busWithGrants = (iam: TemplateIam, bus: EventBus): EventBus => ({
  put: (entry) => {
    refuseUngrantedCall(iam, 'bus.put', entry.source);
    return bus.put(entry);
  },
});

/** A secret read (the link key) as the caller's role may read it. */
export const secretWithGrants =
  <T>(iam: TemplateIam, read: () => Promise<T>) =>
  (): Promise<T> => {
    refuseUngrantedCall(iam, 'links.key');
    return read();
  };

/**
 * The table's stream as the outbox pipe's role may read it: the stream's records, decrypted with the table's key.
 * Nothing to check when the template has no pipe.
 */
export const pipeSource =
  (iam: TemplateIam, source: ChangeSource): ChangeSource =>
  async () => {
    const stack = stackIam(iam);
    if (stack.has('pipe') && iam.stream) {
      for (const action of ['dynamodb:DescribeStream', 'dynamodb:GetShardIterator', 'dynamodb:GetRecords'])
        stack.refuse('pipe', action, iam.stream);
      stack.refuseKeyUse('pipe', ['kms:Decrypt'], iam.stream, 'dynamodb');
    }
    return source();
  };

/** Events put on the bus as the outbox pipe's role may put them (its target, `collections.workflow`), and the key. */
export const pipePublisher = (iam: TemplateIam, publisher: EventPublisher): EventPublisher => ({
  publish: async (events) => {
    const stack = stackIam(iam);
    if (stack.has('pipe') && iam.pipe) {
      stack.refuse('pipe', 'events:PutEvents', iam.pipe.target, { 'events:source': OUTBOX_SOURCE });
      refuseBusKey(stack, iam.pipe.target);
    }
    return publisher.publish(events);
  },
});
