// The single collections table: keys and index from the shared schema, PITR, encryption at rest.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { STATUS_INDEX, TABLE_KEYS } from '../functions/adapters/table-schema';

export interface CollectionsTableProps {
  /** RETAIN in production (the default): the record of collections outlives the stack. */
  removalPolicy?: RemovalPolicy;
}

export class CollectionsTable extends Construct {
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: CollectionsTableProps = {}) {
    super(scope, id);
    const string = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: string(TABLE_KEYS.partitionKey),
      sortKey: string(TABLE_KEYS.sortKey),
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.removalPolicy !== RemovalPolicy.DESTROY,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      globalSecondaryIndexes: [{
        indexName: STATUS_INDEX.indexName,
        partitionKey: string(STATUS_INDEX.partitionKey),
        sortKey: string(STATUS_INDEX.sortKey),
        projectionType: dynamodb.ProjectionType.INCLUDE,
        nonKeyAttributes: [...STATUS_INDEX.nonKeyAttributes],
      }],
    });
  }
}
