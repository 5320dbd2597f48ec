// What a local run sends out and leaves behind, as the bus, the dead-letter queue, the message providers and the logs
// would hold it: kept for reading back while the run keeps outputs, counted always, and handed to listeners.
import { randomUUID } from 'node:crypto';
import { perMessageChannel, type MessageChannel } from '../../functions/domain/channels';
import type { Clock, Log, PublishedEvent } from '../../functions/ports';
import { recordingLog, type LogLine } from './recorders';

export interface OutboundEvent {
  at: string;
  detailType: string;
  detail: Record<string, unknown>;
}
export interface DeadLetter {
  messageId: string;
  at: string;
  body: string;
  reason: string;
}
/** A message a provider took, as its inbox lists it (the local SMS endpoint's carry no subject). */
export interface SentMessage {
  at: string;
  to: string;
  subject?: string;
  text: string;
}

/** The account (clock) an envelope belongs to: its detail's accountId, or the envelope id if it has none. */
export const keyOf = (envelope: Record<string, unknown>): string => {
  const detail = envelope.detail as { accountId?: unknown; customerId?: unknown } | undefined;
  // An event naming the person (docs/contract.md §11.1) runs on the person's clock.
  const id = detail?.accountId ?? detail?.customerId;
  return typeof id === 'string' ? id : String(envelope.id ?? 'unknown');
};

export interface OutputOptions {
  /** Keep what was sent and logged for reading back (tests, scenarios); a long simulation only listens. */
  keepOutputs: boolean;
  /** The virtual time now on an account's clock. */
  timeOf: (accountId: string) => number;
  onEventOut?: (event: OutboundEvent) => void;
  onLog?: (line: LogLine) => void;
  /** Contact points a channel's provider refuses as opted out with it, e.g. at the carrier (a permanent failure). */
  optedOutAtProvider?: Partial<Record<MessageChannel, readonly string[]>>;
}

/** What a run sent out and left, as those who read it back see it (the stack's parts write it). */
export interface RunOutputs {
  readonly eventsOut: readonly OutboundEvent[];
  readonly deadLetters: readonly DeadLetter[];
  readonly logs: readonly LogLine[];
  readonly metrics: Readonly<Record<string, number>>;
  /** Whether the lists above are kept: a long simulation only listens and counts. */
  readonly keepOutputs: boolean;
  /** A log on this stack, kept and passed on as the handlers' are (the live stack's API logs here). */
  logFor(service: string, clock: Clock): Log;
  /** Hands every event out from now on to `listener` too, at its virtual time (a collector working the queue). */
  listen(listener: (event: OutboundEvent) => void): void;
}

export class StackOutputs implements RunOutputs {
  readonly eventsOut: OutboundEvent[] = [];
  readonly deadLetters: DeadLetter[] = [];
  /** Dead letters read and held out of view (the queue's visibility timeout), by message id: until when (ms). */
  private readonly heldUntil = new Map<string, number>();
  /** Messages each provider took, by channel, while outputs are kept (local SES keeps its own inbox of emails). */
  readonly messages: Record<MessageChannel, SentMessage[]> = perMessageChannel(() => []);
  /** How many messages each provider took, kept or not (local SES counts the emails it took itself). */
  readonly messagesSent: Record<MessageChannel, number> = perMessageChannel(() => 0);
  readonly logs: LogLine[] = [];
  readonly metrics: Record<string, number> = {};
  readonly keepOutputs: boolean;
  private readonly optedOut: Record<MessageChannel, ReadonlySet<string>>;
  private readonly listeners: ((event: OutboundEvent) => void)[] = [];

  constructor(private readonly options: OutputOptions) {
    this.keepOutputs = options.keepOutputs;
    this.optedOut = perMessageChannel((c) => new Set(options.optedOutAtProvider?.[c] ?? []));
  }

  /** Whether a channel's provider refuses this contact point as opted out with it. */
  refuses(channel: MessageChannel, to: string): boolean {
    return this.optedOut[channel].has(to);
  }

  timeOf(accountId: string): number {
    return this.options.timeOf(accountId);
  }

  listen(listener: (event: OutboundEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Events out reaching the bus: kept, and handed to whoever listens (the simulated customers). */
  acceptEvents(events: readonly PublishedEvent[]): void {
    for (const { detailType, detail } of events) {
      const event = { at: new Date(this.timeOf(String(detail.accountId))).toISOString(), detailType, detail };
      if (this.keepOutputs) this.eventsOut.push(event);
      this.options.onEventOut?.(event);
      for (const listener of this.listeners) listener(event);
    }
  }

  acceptDeadLetter(body: string, reason: string): void {
    let key = 'unknown';
    try {
      key = keyOf(JSON.parse(body) as Record<string, unknown>);
    } catch {
      /* a body that is not JSON belongs to no account */
    }
    this.deadLetters.push({ messageId: randomUUID(), at: new Date(this.timeOf(key)).toISOString(), body, reason });
  }

  /**
   * The dead-letter queue read as SQS reads it: up to `max` messages in view, each then held out of view for
   * `holdSeconds`. The hold runs on the wall clock: whoever reads the queue (an erasure) works in real time.
   */
  receiveDeadLetters(max: number, holdSeconds: number, now = Date.now()): DeadLetter[] {
    const inView = this.deadLetters.filter((d) => (this.heldUntil.get(d.messageId) ?? 0) <= now).slice(0, max);
    for (const d of inView) this.heldUntil.set(d.messageId, now + holdSeconds * 1000);
    return inView;
  }

  /** Deletes a dead letter (SQS DeleteMessage); false when there is no such message. */
  deleteDeadLetter(messageId: string): boolean {
    const at = this.deadLetters.findIndex((d) => d.messageId === messageId);
    if (at < 0) return false;
    this.deadLetters.splice(at, 1);
    this.heldUntil.delete(messageId);
    return true;
  }

  /** Holds a dead letter out of view for `seconds` more from now (0: back in view at once). */
  holdDeadLetter(messageId: string, seconds: number, now = Date.now()): boolean {
    if (!this.deadLetters.some((d) => d.messageId === messageId)) return false;
    this.heldUntil.set(messageId, now + seconds * 1000);
    return true;
  }

  /** A message a channel's provider took, at its account's time. */
  acceptMessage(channel: MessageChannel, to: string, message: { subject?: string; text: string }, accountId: string) {
    this.messagesSent[channel] += 1;
    if (!this.keepOutputs) return;
    const at = new Date(this.timeOf(accountId)).toISOString();
    this.messages[channel].push({ at, to, ...message });
  }

  /** A handler's log: its lines kept (while outputs are kept) and passed to `onLog`. */
  logFor(service: string, clock: Clock): Log {
    return recordingLog(service, clock, (line) => {
      if (this.keepOutputs) this.logs.push(line);
      this.options.onLog?.(line);
    });
  }
}
