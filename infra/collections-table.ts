// The single collections table: keys and index from the shared schema, PITR, a customer-managed key,
// the stream the outbox is published from, and TTL for the send-once records.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { CALL_QUEUE_INDEX, STATUS_INDEX, TABLE_KEYS, TTL_ATTRIBUTE } from '../functions/adapters/table-schema';
import { INDEX_QUERIES, TABLE } from '../functions/adapters/table-grants';

/** Query on the indexes a function may read (INDEX_QUERIES), and on no other. */
export const indexQueries = (table: dynamodb.ITable, fn: string) =>
  new iam.PolicyStatement({
    actions: [TABLE.query],
    resources: (INDEX_QUERIES[fn] ?? []).map((index) => `${table.tableArn}/index/${index}`),
  });

export interface CollectionsTableProps {
  /** Customer-managed key for the table and its stream. */
  key: kms.IKey;
  /** RETAIN in production (the default): the record of collections outlives the stack. */
  removalPolicy?: RemovalPolicy;
}

export class CollectionsTable extends Construct {
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: CollectionsTableProps) {
    super(scope, id);
    const string = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: string(TABLE_KEYS.partitionKey),
      sortKey: string(TABLE_KEYS.sortKey),
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(props.key),
      // The outbox: event items are published from the stream (see OutboxPipe).
      dynamoStream: dynamodb.StreamViewType.NEW_IMAGE,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.removalPolicy !== RemovalPolicy.DESTROY,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      globalSecondaryIndexes: [
        {
          indexName: STATUS_INDEX.indexName,
          partitionKey: string(STATUS_INDEX.partitionKey),
          sortKey: string(STATUS_INDEX.sortKey),
          projectionType: dynamodb.ProjectionType.INCLUDE,
          nonKeyAttributes: [...STATUS_INDEX.nonKeyAttributes],
        },
        {
          // Task items are small and the queue reads all of them: project everything.
          indexName: CALL_QUEUE_INDEX.indexName,
          partitionKey: string(CALL_QUEUE_INDEX.partitionKey),
          sortKey: string(CALL_QUEUE_INDEX.sortKey),
          projectionType: dynamodb.ProjectionType.ALL,
        },
      ],
    });
  }
}
