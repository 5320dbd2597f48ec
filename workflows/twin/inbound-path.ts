// The inbound path as the stack deploys it: the `collections` bus's rule → the inbound SQS queue → the intake,
// with the queue's redelivery after its visibility timeout and its dead-letter queue after the last receive. IAM as the
// template writes it: the rule may send to the queue only as the queue's policy and the key policy allow EventBridge
// (else the event goes to the rule's dead-letter queue, as EventBridge sends an event it has no permission to deliver),
// and the intake's event source mapping polls the queue with the intake's role.
import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { OUTBOX_SOURCE } from '../../functions/adapters/aws/outbox';
import { INBOUND_SOURCES } from '../../functions/domain/inbound-events';
import { INBOUND_MAX_RECEIVES } from '../definition/shared-settings';
import { keyOf, type StackOutputs } from './outputs';
import type { Scheduler } from './scheduler';
import { stackIam, type TemplateIam } from './stack-iam';
import { LOCAL_ACCOUNT } from './synthesized-workflow';

/** One entry of an EventBridge PutEvents request, as the SDK sends it. */
export interface PutEventsEntry {
  EventBusName?: string;
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: string[];
}

/**
 * How the inbound queue treats a message the intake failed on: it comes back after the visibility
 * timeout (six times the intake's 20 s timeout) and goes to the dead-letter queue after the last receive.
 */
export const INBOUND_REDELIVERY = { afterMs: 2 * 60_000, maxReceives: INBOUND_MAX_RECEIVES } as const;

const BUS_NAME = 'collections';
/** The bus's ARN in the local account: a bus named by ARN must be this one, not one of another account or region. */
const BUS_ARN = `arn:aws:events:us-east-1:${LOCAL_ACCOUNT}:event-bus/${BUS_NAME}`;
/** Lambda's answer to an invocation it throttled, and how often the queue's poller tries one batch before giving up. */
const THROTTLED = 'Lambda.TooManyRequestsException';
const THROTTLED_TRIES = 10;

/** The inbound path as its senders see it: a delivery now, a batch, one at an account's time, PutEvents. */
export type Inbound = Pick<InboundPath, 'deliver' | 'deliverBatch' | 'enqueue' | 'putEvent'>;

/** The intake for an account's clock. */
export type IntakeFor = (key: string) => (event: SQSEvent) => Promise<SQSBatchResponse>;

const EVENTS = { service: 'events.amazonaws.com' };

export class InboundPath {
  private deliveries = 0;
  /** Events the rule could deliver neither to the queue nor to its dead-letter queue: lost, as in AWS. */
  eventsDropped = 0;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly intake: IntakeFor,
    private readonly outputs: StackOutputs,
    private readonly iam: TemplateIam,
  ) {}

  /** Why EventBridge may not send the rule's event to `queue` (the queue's policy, its key's), if it may not. */
  private refusedToRule(queue: string): string | undefined {
    const rule = this.iam.inboundRule!;
    const stack = stackIam(this.iam);
    const source = { 'aws:SourceArn': rule.arn };
    try {
      stack.refuse(EVENTS, 'sqs:SendMessage', queue, source);
      stack.refuseKeyUse(EVENTS, ['kms:GenerateDataKey', 'kms:Decrypt'], queue, 'sqs', source);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  /** Why the intake's role may not receive from the queue it polls (and decrypt what it receives), if it may not. */
  private refusedToPoller(): string | undefined {
    const stack = stackIam(this.iam);
    const queue = this.iam.intakeQueue;
    if (!queue || !stack.has('intake')) return undefined;
    try {
      for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage']) stack.refuse('intake', action, queue);
      stack.refuseKeyUse('intake', ['kms:Decrypt'], queue, 'sqs');
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  /**
   * Whether the rule's delivery to the queue goes through. A permission error is not retried: the event goes to
   * the rule's dead-letter queue if EventBridge may send there, and is lost if not. A queue whose messages the
   * intake may not receive keeps them until its retention ends: here they are dead letters at once, with the reason.
   */
  private delivered(body: Record<string, unknown>, receive: number): boolean {
    const rule = this.iam.inboundRule;
    const refused = rule && receive === 1 ? this.refusedToRule(rule.queue) : undefined;
    if (refused) {
      if (rule!.deadLetters && !this.refusedToRule(rule!.deadLetters))
        this.outputs.acceptDeadLetter(JSON.stringify(body), `NO_PERMISSIONS: ${refused}`);
      else this.eventsDropped += 1;
      return false;
    }
    const unpolled = this.refusedToPoller();
    if (unpolled) this.outputs.acceptDeadLetter(JSON.stringify(body), `never received: ${unpolled}`);
    return unpolled === undefined;
  }

  /** Delivers an EventBridge envelope the way the inbound queue would: one SQS record to the intake. */
  deliver(envelope: Record<string, unknown>): Promise<SQSBatchResponse> {
    return this.deliverBatch([envelope]);
  }

  /**
   * Delivers envelopes as one SQS batch (up to 10) to the intake, which reports the records that failed.
   * A function error fails the whole batch: SQS then redelivers every message in it.
   */
  async deliverBatch(
    envelopes: readonly Record<string, unknown>[],
  ): Promise<SQSBatchResponse & { messageIds: string[] }> {
    const records = envelopes.map((envelope) => {
      const messageId = `local-${++this.deliveries}`;
      return {
        messageId,
        receiptHandle: messageId,
        body: JSON.stringify(envelope),
        attributes: {} as never,
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:inbound',
        awsRegion: 'us-east-1',
      };
    });
    const messageIds = records.map((r) => r.messageId);
    const invoke = this.intake(keyOf(envelopes[0] ?? {}));
    const failedBatch = { batchItemFailures: messageIds.map((itemIdentifier) => ({ itemIdentifier })) };
    // The event source mapping tries a throttled invocation again itself, with the batch still in flight; only
    // an invocation that ran and failed (or one throttled past those tries) leaves the batch to the queue.
    for (let attempt = 1; ; attempt += 1) {
      try {
        return { ...(await invoke({ Records: records })), messageIds };
      } catch (error) {
        if ((error as Error).name !== THROTTLED || attempt >= THROTTLED_TRIES) return { ...failedBatch, messageIds };
      }
    }
  }

  /**
   * Delivers at the account's time of arrival, redelivers a message the intake failed on after the visibility
   * timeout, and moves it to the dead-letter queue after the last receive. `envelope` may be worked out at
   * delivery (the scenario runner's `latest` plan).
   */
  enqueue(
    key: string,
    envelope: Record<string, unknown> | (() => Promise<Record<string, unknown> | null>),
    at = this.scheduler.arrivalTime(key),
    receive = 1,
  ): void {
    this.scheduler.schedule(
      at,
      key,
      () => {
        this.scheduler.enter(key);
        return (async () => {
          const body = typeof envelope === 'function' ? await envelope() : envelope;
          if (!body || !this.delivered(body, receive)) return;
          const response = await this.deliver(body);
          if (response.batchItemFailures.length === 0) return;
          if (receive < INBOUND_REDELIVERY.maxReceives)
            this.enqueue(key, envelope, this.scheduler.timeOf(key) + INBOUND_REDELIVERY.afterMs, receive + 1);
          else
            this.outputs.acceptDeadLetter(
              JSON.stringify(body),
              `processing failed ${receive} times; moved to the dead-letter queue`,
            );
        })().finally(() => this.scheduler.leave(key));
      },
      true,
    );
  }

  /**
   * One PutEvents entry on the `collections` bus, as EventBridge takes it: the inbound rule's sources go to
   * the inbound queue, the workflow's own events out to their listeners; anything else matches no rule.
   */
  putEvent(entry: PutEventsEntry): { EventId: string } | { ErrorCode: string; ErrorMessage: string } {
    const bus = entry.EventBusName ?? 'default';
    if (bus !== BUS_NAME && bus !== BUS_ARN) {
      return {
        ErrorCode: 'ResourceNotFoundException',
        ErrorMessage:
          `Event bus ${bus} does not exist here: this endpoint serves the ${BUS_NAME} bus ` + '(set EventBusName).',
      };
    }
    for (const field of ['Source', 'DetailType', 'Detail'] as const) {
      if (typeof entry[field] !== 'string' || entry[field] === '')
        return {
          ErrorCode: 'InvalidArgument',
          ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
        };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail!);
    } catch {
      /* checked below */
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail))
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const id = randomUUID();
    const fields = detail as Record<string, unknown>;
    if ((INBOUND_SOURCES as readonly string[]).includes(entry.Source!)) {
      const envelope = {
        version: '0',
        id,
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: LOCAL_ACCOUNT,
        region: 'us-east-1',
        resources: entry.Resources ?? [],
        detail: fields,
      };
      const key = keyOf(envelope);
      this.enqueue(key, {
        ...envelope,
        time: new Date(this.scheduler.arrivalTime(key)).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      });
    } else if (entry.Source === OUTBOX_SOURCE) {
      this.outputs.acceptEvents([{ detailType: entry.DetailType!, detail: fields }]);
    }
    return { EventId: id };
  }
}
