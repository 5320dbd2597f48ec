// The documents bucket: letters waiting for the print vendor (letters/) and the daily portfolio reports
// (reports/). Private, versioned, encrypted with the stack's customer-managed key, TLS only, access logged,
// each prefix expiring on its own schedule.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Letters are kept as long as a collection record is (seven years); a daily report for 400 days. */
const LETTERS_RETENTION = Duration.days(7 * 365);
const REPORTS_RETENTION = Duration.days(400);

export class DocumentsBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: { key: kms.IKey }) {
    super(scope, id);
    // Server access logs go to a bucket of their own; S3 log delivery needs S3-managed encryption there.
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      versioned: true,
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'documents/',
      lifecycleRules: [
        {
          id: 'letters',
          prefix: 'letters/',
          expiration: LETTERS_RETENTION,
          noncurrentVersionExpiration: Duration.days(90),
        },
        {
          id: 'reports',
          prefix: 'reports/',
          expiration: REPORTS_RETENTION,
          noncurrentVersionExpiration: Duration.days(30),
        },
        { id: 'uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
