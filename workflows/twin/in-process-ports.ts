// In-process adapters behind the same ports as the AWS ones: no emulator, no HTTP, the same semantics
// (contract-tested). Injected faults fail a share of calls before they act, retried as the SDK would.
import { AwsError } from './aws-endpoint';
import { MemoryAccountStore } from '../../functions/adapters/in-process/memory-account-store';
import type { RequestObserver } from '../../functions/adapters/in-process/memory-items';
import { MemoryPersonStore } from '../../functions/adapters/in-process/memory-person-store';
import { memorySendOnce } from '../../functions/adapters/in-process/memory-send-once';
import { MESSAGE_CHANNELS, perMessageChannel, type MessageChannel } from '../../functions/domain/channels';
import { PermanentSendError } from '../../functions/errors';
import type {
  DeadLetters,
  EventPublisher,
  MessageSender,
  ResumeResult,
  WorkflowCallbacks,
} from '../../functions/ports';
import { noFaults, type Faults } from './faults';
import { SENDER, type Ports, type StackParts } from './local-ports';
import { OutboxRelay } from './outbox-relay';
import { pipePublisher, pipeSource } from './service-iam';
import { noteDailyWritesOf, notePersonWritesOf, noteWrite, recordRequest } from './usage';

/** Every local client retries quickly; in-process adapters retry injected faults the way the SDK would. */
const IN_PROCESS_ATTEMPTS = 10;

/** Wraps each async method so a share of calls fail before acting, retried as the SDK would retry them. */
const withFaults = <T extends object>(target: T, faults: Faults): T => {
  if (faults === noFaults) return target;
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        for (let attempt = 1; attempt < IN_PROCESS_ATTEMPTS && faults.next(); attempt += 1);
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
};

export const inProcessPorts = ({ outputs, usage, iam, engine }: StackParts, faults: Faults): Ports => {
  const observe: RequestObserver = (operation, kind, units, outbox, request = {}) => {
    const { actions, daily = [], index, partitions } = request;
    const invocation = recordRequest(usage, iam, operation, actions, index, partitions);
    if (!invocation) return;
    usage.dynamoUnits[kind] += units;
    // The in-process store prices a write refused by its condition at zero units: it did not take effect.
    if (kind === 'write' && units > 0) noteWrite(invocation, outbox);
    noteDailyWritesOf(usage, invocation, daily);
    if (kind === 'write' && units > 0) notePersonWritesOf(usage, invocation, partitions);
  };
  const memory = new MemoryAccountStore(observe);
  // One provider per channel of the registry, each taking what it is handed into the outputs: a channel added to the
  // registry is sent here with no code of its own.
  const provider = (channel: MessageChannel): MessageSender => ({
    async send(to, message, reference) {
      if (outputs.refuses(channel, to))
        throw new PermanentSendError('ConflictException (DESTINATION_PHONE_NUMBER_OPTED_OUT): Conflict Occurred', {
          optedOut: true,
        });
      outputs.acceptMessage(channel, to, message, reference.accountId);
      return { messageId: `${reference.accountId}/${reference.contactId}` };
    },
  });
  const callbacks: WorkflowCallbacks = {
    async start(name, input) {
      return engine().start(name, input);
    },
    async resume(token): Promise<ResumeResult> {
      try {
        engine().resume(token);
        return { resumed: true };
      } catch (error) {
        if (error instanceof AwsError) return { resumed: false, reason: `${error.code}: ${error.message}` };
        throw error;
      }
    },
  };
  const publisher: EventPublisher = { publish: async (events) => outputs.acceptEvents(events) };
  // Each send-once record request counts as the DynamoDB request (and one read or write unit) it would be.
  const sendRecord = (operation: string, partition: string) => {
    const invocation = recordRequest(usage, iam, operation, [operation], undefined, [partition]);
    if (!invocation) return;
    if (operation === 'GetItem') {
      usage.dynamoUnits.read += 1;
      return;
    }
    usage.dynamoUnits.write += 1;
    noteWrite(invocation, false);
  };
  const senders = perMessageChannel((c) => memorySendOnce(withFaults(provider(c), faults), sendRecord));
  return {
    store: withFaults(memory, faults),
    persons: withFaults(new MemoryPersonStore(observe), faults),
    senders,
    release: (accountId) => {
      memory.releaseRecord(accountId);
      for (const c of MESSAGE_CHANNELS) senders[c].forget(accountId);
    },
    callbacks: withFaults(callbacks, faults),
    deadLetters: withFaults<DeadLetters>(
      { reject: async (body, reason) => outputs.acceptDeadLetter(body, reason) },
      faults,
    ),
    // The outbox as the pipe's role may read and publish it.
    relay: new OutboxRelay(
      pipeSource(iam, async () => memory.takeChanges()),
      pipePublisher(iam, withFaults(publisher, faults)),
    ),
    emails: async () =>
      outputs.messages.email.map(({ at, to, subject = '', text }) => ({
        from: SENDER,
        to: [to],
        subject,
        text,
        at: Date.parse(at),
      })),
    messagesSent: async () => ({ ...outputs.messagesSent }),
    faults,
    close: async () => {},
  };
};
