// The document store in AWS: one S3 bucket, encrypted with the stack's customer-managed key.
import { DeleteObjectsCommand, ListObjectVersionsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { DocumentStore } from '../../ports';
import { asRetryable } from './transient-errors';

export const newS3Client = () => new S3Client({});

export const s3Documents = (client: S3Client, bucket: string, kmsKeyArn?: string): DocumentStore => ({
  async put(key, body, contentType) {
    try {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          ...(kmsKeyArn ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: kmsKeyArn, BucketKeyEnabled: true } : {}),
        }),
      );
    } catch (error) {
      // S3 throttles as SlowDown and fails as InternalError, names no Retry lists: SendLetter must try again later.
      throw asRetryable(error, `documents: put ${key}`);
    }
  },
  // The bucket is versioned: erasure removes every version and delete marker, not just the current object.
  async removeAll(prefix) {
    const removed: string[] = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      const page = await client.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          Prefix: prefix,
          KeyMarker: keyMarker,
          VersionIdMarker: versionIdMarker,
        }),
      );
      const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
        .filter((v) => v.Key)
        .map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
      if (objects.length > 0) {
        const result = await client.send(
          new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: false } }),
        );
        const failed = result.Errors ?? [];
        if (failed.length > 0)
          throw new Error(`documents: could not remove ${failed.map((e) => `${e.Key}: ${e.Code}`).join(', ')}`);
        removed.push(...objects.map((o) => `${o.Key}#${o.VersionId ?? 'null'}`));
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
    return removed;
  },
});
