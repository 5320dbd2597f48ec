// Send-once: a message goes to the provider at most once per contactId, whatever retries happen around it.
// Powertools idempotency keeps its records in the collections table, in the account's own partition
// (sk `SEND#<hash>`), so they are read and erased with the account and expire through the table's TTL.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { SendInProgressError } from '../../errors';
import type { MessageSender, SendReference } from '../../ports';
import { accountPk, TABLE_KEYS, TTL_ATTRIBUTE } from '../table-schema';
import { currentLambdaContext } from './lambda-context';
import { asRetryable } from './transient-errors';

/** A day: far longer than any retry of a step, short enough that the records do not pile up. */
const REMEMBER_SECONDS = 86_400;
/** Outside Lambda (local runs), a send is taken as in progress for as long as a function may run. */
const LOCAL_BUDGET_MS = 20_000;

export const sendOnce = (sender: MessageSender, client: DynamoDBClient, tableName: string): MessageSender => {
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'contactId', expiresAfterSeconds: REMEMBER_SECONDS });
  return {
    send(to, message, reference) {
      // An interrupted send stays "in progress" only until its invocation would have timed out.
      config.registerLambdaContext(
        currentLambdaContext() ?? ({ getRemainingTimeInMillis: () => LOCAL_BUDGET_MS } as Context),
      );
      const persistenceStore = new DynamoDBPersistenceLayer({
        tableName,
        awsSdkV3Client: client,
        keyAttr: TABLE_KEYS.partitionKey,
        sortKeyAttr: TABLE_KEYS.sortKey,
        staticPkValue: accountPk(reference.accountId),
        expiryAttr: TTL_ATTRIBUTE,
      });
      const send = makeIdempotent((ref: SendReference) => sender.send(to, message, ref), {
        persistenceStore,
        config,
        keyPrefix: 'SEND',
      });
      return send(reference).catch((error: unknown) => {
        // Another invocation holds the record: it is sending this message now, so ours waits and is no attempt.
        if (error instanceof IdempotencyAlreadyInProgressError)
          throw new SendInProgressError(reference.contactId, { cause: error });
        // A throttle of the send-once record's table reaches the workflow as a retry, not as a failed cycle.
        throw asRetryable(error, 'send-once record');
      });
    },
  };
};
