// IAM on the local stack's other services (docs/contract.md §10.2.1): each function's calls through the ports (sends,
// Step Functions callbacks, the dead-letter queue, documents) are checked against the actions the synthesized template
// grants its role (SynthesizedWorkflow.serviceGrants), on both stacks alike, before they reach the service. A call the
// role is not granted fails as AWS fails it: AccessDeniedException, which nothing retries. The table's requests are
// table-iam.ts's.
import type { MessageChannel } from '../../functions/domain/channels';
import type {
  DeadLetterErasure,
  DeadLetters,
  DocumentStore,
  EventBus,
  MessageSender,
  Senders,
  WorkflowCallbacks,
} from '../../functions/ports';
import { AccessDeniedException } from './table-iam';
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

/**
 * Refuses the call when it is made for one of the stack's functions whose role lacks one of its actions (for objects,
 * on `objectKey`). Calls made outside a function (the runner, a test setting up) are not a role's.
 */
export const refuseUngrantedCall = (
  grants: Record<string, readonly string[]>,
  call: PortCall,
  objectKey?: string,
): void => refuseUngranted(grants, PORT_ACTIONS[call], objectKey);

const refuseUngranted = (
  grants: Record<string, readonly string[]>,
  actions: readonly string[],
  objectKey?: string,
): void => {
  const name = currentFunction();
  const granted = name === undefined ? undefined : grants[name];
  if (!granted) return;
  // An action granted outright, or (on a bucket's objects) for a key pattern the object's key matches.
  const allows = (action: string) => (grant: string) => {
    if (grant === action) return true;
    const [granted, pattern] = grant.split(' ');
    return granted === action && objectKey !== undefined && pattern !== undefined && keyMatches(objectKey, pattern);
  };
  const action = actions.find((a) => !granted.some(allows(a)));
  if (action !== undefined)
    throw new AccessDeniedException(
      `User: arn:aws:sts::000000000000:assumed-role/${name}/local is not authorized to perform: ${action}` +
        `${objectKey === undefined ? '' : ` on ${objectKey}`} because no identity-based policy allows the ` +
        `${action} action`,
    );
};

/** IAM's wildcard match of an object key against a resource's key pattern (`*` any run of characters). */
const keyMatches = (key: string, pattern: string): boolean =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(key);

const checkedSender = (
  grants: Record<string, readonly string[]>,
  actions: readonly string[],
  sender: MessageSender,
) => ({
  send: (...args: Parameters<MessageSender['send']>) => {
    refuseUngranted(grants, actions);
    return sender.send(...args);
  },
});

/** The ports as a function's role may use them: every call checked first. */
export const withServiceGrants = <
  P extends { senders: Senders; callbacks: WorkflowCallbacks; deadLetters: DeadLetters },
>(
  grants: Record<string, readonly string[]>,
  ports: P,
  providerActions: ProviderActions = {},
): P => ({
  ...ports,
  senders: Object.fromEntries(
    Object.entries(ports.senders).map(([channel, sender]) => {
      const call = `senders.${channel}.send`;
      const actions = call in PORT_ACTIONS ? PORT_ACTIONS[call as PortCall] : providerActions[channel];
      if (!actions) throw new Error(`service-iam: no IAM action for ${call} in PORT_ACTIONS`);
      return [channel, checkedSender(grants, actions, sender)];
    }),
  ) as Senders,
  callbacks: {
    start: (name, input) => {
      refuseUngrantedCall(grants, 'callbacks.start');
      return ports.callbacks.start(name, input);
    },
    resume: (token) => {
      refuseUngrantedCall(grants, 'callbacks.resume');
      return ports.callbacks.resume(token);
    },
  },
  deadLetters: {
    reject: (body, reason) => {
      refuseUngrantedCall(grants, 'deadLetters.reject');
      return ports.deadLetters.reject(body, reason);
    },
  },
});

/** The document store as a function's role may use it (writing letters and reports). */
export const documentsWithGrants = (grants: Record<string, readonly string[]>, documents: DocumentStore) => ({
  put: (...args: Parameters<DocumentStore['put']>) => {
    refuseUngrantedCall(grants, 'documents.put', args[0]);
    return documents.put(...args);
  },
  removeAll: (prefix: string) => {
    refuseUngrantedCall(grants, 'documents.removeAll', prefix);
    return documents.removeAll(prefix);
  },
});

/** Dead-letter erasure as the Erase function's role may do it. */
export const deadLetterErasureWithGrants = (
  grants: Record<string, readonly string[]>,
  erasure: DeadLetterErasure,
): DeadLetterErasure => ({
  removeAccount: (accountId) => {
    refuseUngrantedCall(grants, 'deadLetters.removeAccount');
    return erasure.removeAccount(accountId);
  },
});

/** The bus as the API's role may put events on it. */
export const busWithGrants = (grants: Record<string, readonly string[]>, bus: EventBus): EventBus => ({
  put: (entry) => {
    refuseUngrantedCall(grants, 'bus.put');
    return bus.put(entry);
  },
});

/** A secret read (the link key) as the caller's role may read it. */
export const secretWithGrants =
  <T>(grants: Record<string, readonly string[]>, read: () => Promise<T>) =>
  (): Promise<T> => {
    refuseUngrantedCall(grants, 'links.key');
    return read();
  };
