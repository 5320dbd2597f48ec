// Send-once: a message goes to the provider at most once per contactId, whatever retries happen around it.
// Powertools idempotency keeps its records in the collections table, in the account's own partition
// (sk `SEND#<hash>`), so they are read and erased with the account and expire through the table's TTL.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyItemNotFoundError,
  IdempotencyRecordStatus,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { SendInProgressError } from '../../errors';
import type { MessageSender, SendOnceSender, SendReference, SendStatus } from '../../ports';
import { accountPk, TABLE_KEYS, TTL_ATTRIBUTE } from '../table-schema';
import { currentLambdaContext } from './lambda-context';
import { asRetryable } from './transient-errors';

/** A day: far longer than any retry of a step, short enough that the records do not pile up. */
const REMEMBER_SECONDS = 86_400;
/** Outside Lambda (local runs), a send is taken as in progress for as long as a function may run. */
const LOCAL_BUDGET_MS = 20_000;
/** The records' sort keys start so: `SEND#<hash of the contactId>`. */
const KEY_PREFIX = 'SEND';

export const sendOnce = (sender: MessageSender, client: DynamoDBClient, tableName: string): SendOnceSender => {
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'contactId', expiresAfterSeconds: REMEMBER_SECONDS });
  /** Powertools' records of one account, configured as makeIdempotent configures them, so both find one key. */
  const recordsOf = (accountId: string) => {
    const persistenceStore = new DynamoDBPersistenceLayer({
      tableName,
      awsSdkV3Client: client,
      keyAttr: TABLE_KEYS.partitionKey,
      sortKeyAttr: TABLE_KEYS.sortKey,
      staticPkValue: accountPk(accountId),
      expiryAttr: TTL_ATTRIBUTE,
    });
    persistenceStore.configure({ config, keyPrefix: KEY_PREFIX });
    return persistenceStore;
  };
  return {
    send(to, message, reference) {
      // An interrupted send stays "in progress" only until its invocation would have timed out.
      config.registerLambdaContext(
        currentLambdaContext() ?? ({ getRemainingTimeInMillis: () => LOCAL_BUDGET_MS } as Context),
      );
      const send = makeIdempotent((ref: SendReference) => sender.send(to, message, ref), {
        persistenceStore: recordsOf(reference.accountId),
        config,
        keyPrefix: KEY_PREFIX,
      });
      return send(reference).catch((error: unknown) => {
        // Another invocation holds the record: it is sending this message now, so ours waits and is no attempt.
        if (error instanceof IdempotencyAlreadyInProgressError)
          throw new SendInProgressError(reference.contactId, { cause: error });
        // A throttle of the send-once record's table reaches the workflow as a retry, not as a failed cycle.
        throw asRetryable(error, 'send-once record');
      });
    },
    async statusOf(reference): Promise<SendStatus> {
      let record;
      try {
        // The record's key is the hash of `contactId` (eventKeyJmesPath), as the send computes it.
        record = await recordsOf(reference.accountId).getRecord({ ...reference });
      } catch (error) {
        if (error instanceof IdempotencyItemNotFoundError) return 'not-sent';
        throw asRetryable(error, 'send-once record');
      }
      // Read as Powertools' next send would read it: a record past its expiry, or an invocation's record past the
      // time that invocation could still be running, no longer stops a send.
      const status = record.getStatus();
      if (status === IdempotencyRecordStatus.COMPLETED) return 'sent';
      const until = record.inProgressExpiryTimestamp;
      return status === IdempotencyRecordStatus.INPROGRESS && (until === undefined || until > Date.now())
        ? 'in-progress'
        : 'not-sent';
    },
  };
};
