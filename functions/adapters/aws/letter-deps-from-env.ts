// Production wiring of the letter step: the workflow ports, the S3 document store, the PDF renderer and links.
import type { LetterDeps } from '../../handlers/letter/handler';
import { hmacCustomerLinks } from '../hmac-customer-links';
import { renderLetterPdf } from '../pdf-letters';
import { env, workflowDepsFromEnv } from './from-env';
import { linkKeyFromSecret } from './link-key';
import { newS3Client, s3Documents } from './s3-documents';

export const letterDepsFromEnv = (): LetterDeps => ({
  ...workflowDepsFromEnv('letter'),
  documents: s3Documents(newS3Client(), env('DOCUMENT_BUCKET'), process.env.DOCUMENT_KEY_ARN),
  render: renderLetterPdf,
  links: hmacCustomerLinks(env('API_URL'), linkKeyFromSecret(env('LINK_SECRET_ARN'))),
});
