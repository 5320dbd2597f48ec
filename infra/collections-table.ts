// The single collections table: keys and index from the shared schema, PITR, a customer-managed key,
// the stream the outbox is published from, and TTL for the send-once records.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { CALL_QUEUE_INDEX, STATUS_INDEX, TABLE_KEYS, TTL_ATTRIBUTE } from '../functions/adapters/table-schema';
import {
  INDEX_QUERIES,
  PERSON_ACTIONS,
  PERSON_PARTITIONS,
  SCOPED_WRITES,
  TABLE,
  TABLE_ACTIONS,
} from '../functions/adapters/table-grants';

/**
 * A function's table actions (TABLE_ACTIONS) as statements on the table, each scoped by the partitions it may reach
 * (`dynamodb:LeadingKeys`): those it may take on a person's partition (PERSON_ACTIONS) anywhere; the rest anywhere
 * but there; and writes of only some item kinds (SCOPED_WRITES) on those alone.
 */
export const tableStatements = (table: dynamodb.ITable, fn: string): iam.PolicyStatement[] => {
  const actions = TABLE_ACTIONS[fn] ?? [];
  const scoped = SCOPED_WRITES[fn];
  const person = PERSON_ACTIONS[fn] ?? [];
  const free = actions.filter((a) => !scoped?.actions.includes(a));
  const statement = (granted: readonly string[], leadingKeys?: Record<string, Record<string, string[]>>) =>
    new iam.PolicyStatement({
      actions: [...granted],
      resources: [table.tableArn],
      ...(leadingKeys ? { conditions: leadingKeys } : {}),
    });
  return [
    ...(free.some((a) => person.includes(a)) ? [statement(free.filter((a) => person.includes(a)))] : []),
    ...(free.some((a) => !person.includes(a))
      ? [
          statement(
            free.filter((a) => !person.includes(a)),
            { 'ForAllValues:StringNotLike': { 'dynamodb:LeadingKeys': [...PERSON_PARTITIONS] } },
          ),
        ]
      : []),
    ...(scoped
      ? [statement(scoped.actions, { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...scoped.leadingKeys] } })]
      : []),
  ];
};

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
