// The AWS composition root: where every Lambda's ports come from, AWS clients from its environment (build-deps.ts
// assembles them). Handlers never import this module; each function's entry (functions/handlers/<name>/lambda.ts)
// hands what it builds here to the handler's factory. Each builder asks only for the clients its function uses, so
// bundles stay small; every client is built here, and traced here (adapters/aws/tracer.ts).
import type { ApiDeps } from '../api/deps';
import { cognitoAgentAuth } from '../adapters/aws/cognito-agent-auth';
import { documentClient, newDynamoClient } from '../adapters/aws/dynamo-client';
import { DynamoAccountStore } from '../adapters/aws/dynamodb-account-store';
import { DynamoPersonStore } from '../adapters/aws/dynamodb-person-store';
import { eventBridgeBus, newEventBridgeClient } from '../adapters/aws/eventbridge-publisher';
import { linkKeyFromSecret, newSecretsClient } from '../adapters/aws/link-key';
import { powertoolsLog, powertoolsMetrics } from '../adapters/aws/powertools';
import { newS3Client, s3Documents } from '../adapters/aws/s3-documents';
import { sendOnce } from '../adapters/aws/send-once';
import { newSesClient, sesEmailSender } from '../adapters/aws/ses-email-sender';
import { endUserSmsSender, newSmsClient } from '../adapters/aws/sms-sender';
import { newSqsClient, sqsDeadLetterErasure, sqsDeadLetters } from '../adapters/aws/sqs-dead-letters';
import { newSfnClient, stepFunctionsCallbacks } from '../adapters/aws/step-functions-callbacks';
import { traced } from '../adapters/aws/tracer';
import { systemClock } from '../adapters/clock';
import { hmacCustomerLinks } from '../adapters/hmac-customer-links';
import { renderLetterPdf } from '../adapters/pdf-letters';
import { parsePolicyPack, type PolicyPack } from '../domain/policy-packs';
import { DEFAULT_STRATEGY } from '../domain/strategy';
import type { AwaitDeps } from '../handlers/await-event/handler';
import type { EraseDeps } from '../handlers/erase/handler';
import type { LetterDeps } from '../handlers/letter/handler';
import type { ReportDeps } from '../handlers/report/handler';
import type { Playbook } from '../domain/next-step';
import type { CustomerLinks, WorkflowDeps } from '../ports';
import type { ContactDeps } from '../use-cases/contact-step';
import type { IntakeDeps } from '../use-cases/receive-event';
import { buildDeps } from './build-deps';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`environment: ${name} is not set`);
  return value;
};

let pack: PolicyPack | undefined;
/** The pack the stack was synthesized with, as JSON in POLICY_PACK; validated again on a cold start. */
const packFromEnv = (): PolicyPack =>
  (pack ??= parsePolicyPack(JSON.parse(env('POLICY_PACK')) as unknown, 'environment POLICY_PACK'));

let dynamo: ReturnType<typeof newDynamoClient> | undefined;
/** One DynamoDB client per container, shared by the store and the send-once records. */
const dynamoClient = () => (dynamo ??= traced(newDynamoClient()));

const accountStore = () => new DynamoAccountStore(documentClient(dynamoClient()), env('TABLE_NAME'));
const personStore = () => new DynamoPersonStore(documentClient(dynamoClient()), env('TABLE_NAME'));

/** Links are signed with the key in Secrets Manager; the API only verifies them, so it may lack its own URL. */
const customerLinks = (apiUrl = env('API_URL')): CustomerLinks =>
  hmacCustomerLinks(apiUrl, linkKeyFromSecret(env('LINK_SECRET_ARN'), traced(newSecretsClient())));

const documents = () => s3Documents(traced(newS3Client()), env('DOCUMENT_BUCKET'), process.env.DOCUMENT_KEY_ARN);

// Functions, not constants, so that a bundle whose function does not use them leaves them (and their imports) out.
/** What every function has: the clock, the table, Powertools' logs and metrics. */
const base = () => ({ clock: systemClock, accounts: accountStore, log: powertoolsLog, metrics: powertoolsMetrics });
const playbook = (): Playbook => ({ pack: packFromEnv(), strategy: DEFAULT_STRATEGY });
/** The functions that decide: base, and the pack the stack was synthesized with. */
const deciding = () => ({ ...base(), playbook });

/** Diagnose, Escalate, Close: the store, the playbook, logs and metrics. */
export const workflowDeps = (service: string): WorkflowDeps => buildDeps(deciding()).workflow(service);

/** Remind and OfferPlan: the workflow's ports plus email and SMS, each sent once, and the customer's link. */
export const contactDeps = (service: string): ContactDeps => {
  const once = (sender: Parameters<typeof sendOnce>[0]) => sendOnce(sender, dynamoClient(), env('TABLE_NAME'));
  return buildDeps({
    ...deciding(),
    senders: () => ({
      // The senders' clients are not traced: X-Ray records a failed call's message, and a provider's refusal quotes
      // the address it refused.
      email: once(sesEmailSender(newSesClient(), env('SENDER_EMAIL'))),
      sms: once(endUserSmsSender(newSmsClient(), env('SMS_ORIGINATION_IDENTITY'))),
    }),
    links: () => customerLinks(),
    persons: personStore,
  }).contact(service);
};

/** SendLetter: the workflow's ports, the S3 document store, the PDF renderer and the link. */
export const letterDeps = (): LetterDeps =>
  buildDeps({ ...deciding(), documents, render: renderLetterPdf, links: () => customerLinks() }).letter();

/** AwaitEvent: the store and the callbacks it resumes itself with. */
export const awaitDeps = (): AwaitDeps =>
  buildDeps({ ...base(), callbacks: () => stepFunctionsCallbacks(traced(newSfnClient())) }).awaitEvent();

/** Intake: the store, the workflow callbacks and the dead-letter queue. */
export const intakeDeps = (): IntakeDeps =>
  buildDeps({
    ...deciding(),
    persons: personStore,
    callbacks: () => stepFunctionsCallbacks(traced(newSfnClient()), env('STATE_MACHINE_ARN')),
    deadLetters: () => sqsDeadLetters(traced(newSqsClient()), env('DEAD_LETTER_QUEUE_URL')),
  }).intake();

/** The HTTP API: the table, the bus it puts actions on, the link key and the Cognito pool of the collectors. */
export const apiDeps = (): ApiDeps => {
  const store = accountStore();
  return buildDeps({
    clock: systemClock,
    playbook,
    log: powertoolsLog,
    accounts: () => store,
    persons: personStore,
    queue: () => store,
    bus: () => eventBridgeBus(traced(newEventBridgeClient()), env('BUS_NAME')),
    links: () => customerLinks(process.env.API_URL ?? ''),
    agents: () => cognitoAgentAuth(env('USER_POOL_ID'), env('USER_POOL_CLIENT_ID')),
    deskSignIn: () => ({ kind: 'cognito', domain: env('COGNITO_DOMAIN'), clientId: env('USER_POOL_CLIENT_ID') }),
  }).api();
};

/** The daily report: reads the table's index and per-day figures, writes to the documents bucket. */
export const reportDeps = (): ReportDeps =>
  buildDeps({ clock: systemClock, reader: accountStore, documents, log: powertoolsLog }).report();

/** Right to erasure. */
export const eraseDeps = (): EraseDeps =>
  buildDeps({
    clock: systemClock,
    accounts: accountStore,
    log: powertoolsLog,
    documents,
    erasure: () => sqsDeadLetterErasure(traced(newSqsClient()), env('DEAD_LETTER_QUEUE_URL')),
  }).erase();
