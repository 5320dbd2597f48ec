// The document store in AWS: one S3 bucket, encrypted with the stack's customer-managed key.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { DocumentStore } from '../../ports';

export const newS3Client = () => new S3Client({});

export const s3Documents = (client: S3Client, bucket: string, kmsKeyArn?: string): DocumentStore => ({
  async put(key, body, contentType) {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        ...(kmsKeyArn ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: kmsKeyArn, BucketKeyEnabled: true } : {}),
      }),
    );
  },
});
