// The deployable stack: data, encryption, the outbox and intake, functions, documents, alarms and the HTTP API's
// limits (CDK assertions). IAM and cdk-nag: collections-stack-iam.test.ts; the workflow: collections-stack-workflow.
import { parsePolicyPack } from '../../functions/domain/policy-packs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CALL_QUEUE_INDEX, STATUS_INDEX, TTL_ATTRIBUTE } from '../../functions/adapters/table-schema';
import { OUTBOX_FILTER, OUTBOX_TARGET } from '../../functions/adapters/aws/outbox';
import { COLLECTOR_THROTTLE, CUSTOMER_THROTTLE } from '../../infra/collections-api';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import {
  actionsOf,
  allStatements,
  build,
  json,
  logicalIdOf,
  statementsOf,
  template,
  useStackTemplate,
} from '../support/stack-template';

useStackTemplate();

describe('data', () => {
  it(
    'keeps the table encrypted with the customer-managed key, point-in-time recoverable, retained, with the ' +
      'report and call-queue indexes',
    () => {
      const key = logicalIdOf('AWS::KMS::Key');
      template.hasResource('AWS::DynamoDB::GlobalTable', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
          StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
          TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
          Replicas: [
            Match.objectLike({
              PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
              DeletionProtectionEnabled: true,
              SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] } },
            }),
          ],
          GlobalSecondaryIndexes: [
            Match.objectLike({
              IndexName: STATUS_INDEX.indexName,
              Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...STATUS_INDEX.nonKeyAttributes] },
            }),
            Match.objectLike({
              IndexName: CALL_QUEUE_INDEX.indexName,
              KeySchema: [
                { AttributeName: CALL_QUEUE_INDEX.partitionKey, KeyType: 'HASH' },
                { AttributeName: CALL_QUEUE_INDEX.sortKey, KeyType: 'RANGE' },
              ],
            }),
          ],
        }),
      });
    },
  );
});

describe('encryption at rest', () => {
  it('uses one customer-managed key, rotated, for the bus, the queues and every log group', () => {
    const key = logicalIdOf('AWS::KMS::Key');
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ EnableKeyRotation: true }),
    });
    const keyArn = { 'Fn::GetAtt': [key, 'Arn'] };
    template.hasResourceProperties('AWS::Events::EventBus', { KmsKeyIdentifier: keyArn });
    const queues = Object.values(template.findResources('AWS::SQS::Queue')) as any[];
    // Inbound and its DLQ, the outbox pipe's DLQ, the daily report schedule's DLQ.
    expect(queues).toHaveLength(4);
    for (const q of queues) expect(q.Properties.KmsMasterKeyId).toEqual(keyArn);
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup')) as any[];
    expect(logGroups.length).toBeGreaterThan(9);
    for (const g of logGroups) expect(g.Properties.KmsKeyId).toEqual(keyArn);
  });

  it('lets CloudWatch and CloudWatch Logs use the key only for this account and region (source conditions)', () => {
    const key = Object.values(template.findResources('AWS::KMS::Key'))[0] as any;
    const services = (key.Properties.KeyPolicy.Statement as any[]).filter((s) => s.Principal?.Service);
    const logs = services.find((s) => String(s.Principal.Service).startsWith('logs.'));
    expect(Object.keys(logs.Condition.ArnLike)).toEqual(['kms:EncryptionContext:aws:logs:arn']);
    const cloudwatch = services.find((s) => s.Principal.Service === 'cloudwatch.amazonaws.com');
    expect(cloudwatch.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': expect.anything() },
      ArnLike: { 'aws:SourceArn': expect.anything() },
    });
    expect(JSON.stringify(cloudwatch.Condition.ArnLike)).toContain(':alarm:*');
  });
});

describe('outbox', () => {
  it('publishes event items from the table stream to the bus through a pipe with the shared filter', () => {
    const pipe = Object.values(template.findResources('AWS::Pipes::Pipe'))[0] as any;
    expect(pipe).toBeDefined();
    const { Properties: p } = pipe;
    expect(p.Source).toEqual({ 'Fn::GetAtt': [logicalIdOf('AWS::DynamoDB::GlobalTable'), 'StreamArn'] });
    expect(JSON.parse(p.SourceParameters.FilterCriteria.Filters[0].Pattern)).toEqual(OUTBOX_FILTER);
    expect(p.SourceParameters.DynamoDBStreamParameters).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      DeadLetterConfig: { Arn: expect.anything() },
    });
    expect(p.TargetParameters).toEqual({
      InputTemplate: OUTBOX_TARGET.inputTemplate,
      EventBridgeEventBusParameters: { Source: 'collections.workflow', DetailType: OUTBOX_TARGET.detailTypePath },
    });
    expect(p.Target).toEqual({ 'Fn::GetAtt': [logicalIdOf('AWS::Events::EventBus'), 'Arn'] });
  });

  it('lets the pipe publish events out and the API put only customer and agent actions on the bus', () => {
    const putEvents = allStatements().filter((s) => actionsOf(s).includes('events:PutEvents'));
    expect(putEvents).toHaveLength(2);
    for (const statement of putEvents) expect(JSON.stringify(statement.Resource)).toContain('Bus');
    const api = putEvents.find((s) => s.Condition);
    expect(api?.Condition).toEqual({
      StringEquals: { 'events:source': ['collections.customer', 'collections.agent'] },
    });
    const stream = statementsOf('OutboxRole').filter((s) => actionsOf(s).includes('dynamodb:GetRecords'));
    expect(stream).toHaveLength(1);
    expect(JSON.stringify(stream[0]!.Resource)).toContain('StreamArn');
  });
});

describe('event intake', () => {
  it('routes the bank, customer and agent sources from the collections bus to an encrypted queue', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'collections' });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['bank.core', 'collections.customer', 'collections.agent'] },
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
  });

  it('gives the inbound queue a dead-letter queue, and every queue TLS only', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const withRedrive = Object.values(queues).filter((q: any) => q.Properties.RedrivePolicy);
    expect(withRedrive).toHaveLength(1);
    // 18 minutes of receives: an event is held 15 for its cycle (docs/contract.md §10.1)
    expect((withRedrive[0] as any).Properties.RedrivePolicy.maxReceiveCount).toBe(10);
    template.resourceCountIs('AWS::SQS::QueuePolicy', 4);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('consumes with partial batch failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
  });
});

describe('functions', () => {
  it('runs eleven handlers on Node 22, arm64, traced, each with a retained log group', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    expect(
      Object.values(functions)
        .map((f: any) => f.Metadata['collections:handler'])
        .sort(),
    ).toEqual([
      'api',
      'await-event',
      'close',
      'diagnose',
      'erase',
      'escalate',
      'intake',
      'letter',
      'offer-plan',
      'remind',
      'report',
    ]);
    for (const f of Object.values(functions) as any[]) {
      expect(f.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON' },
      });
    }
    // One per function, the workflow's, and the API's access log.
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 90 }, 14);
  });

  it('traces every function under its own service name, keeping responses and errors out of the traces', () => {
    for (const f of Object.values(template.findResources('AWS::Lambda::Function')) as any[]) {
      expect(f.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(f.Properties.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: f.Metadata['collections:handler'],
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
      });
      expect(f.Properties.Environment.Variables).not.toHaveProperty('POWERTOOLS_TRACE_ENABLED');
    }
  });

  it('passes no contact data in any function environment', () => {
    const envs = JSON.stringify(
      Object.values(template.findResources('AWS::Lambda::Function')).map((f: any) => f.Properties.Environment),
    );
    expect(envs).toContain('POLICY_PACK');
    expect(envs).not.toMatch(/@example\.com(?!")|\+1312/);
  });

  it(
    "gives every function the whole pack it was synthesized with, and refuses one too big for Lambda's 4 KB " +
      'of variables',
    () => {
      const own = { ...POLICY_PACKS['us-regf'], id: 'acme-us', maxContactsPerDay: 2 };
      const functions = Object.values(
        Template.fromStack(build({ pack: own }).stack).findResources('AWS::Lambda::Function'),
      ) as any[];
      const packs = functions.map((f) => f.Properties.Environment?.Variables?.POLICY_PACK).filter(Boolean);
      expect(packs.length).toBeGreaterThanOrEqual(7);
      for (const pack of packs) expect(parsePolicyPack(JSON.parse(pack))).toEqual(own);
      const wordy = { ...own, citation: 'x'.repeat(3000) };
      expect(() => build({ pack: wordy })).toThrow(/environment: \d+ bytes of variables, more than Lambda's 4096/);
    },
  );
});

describe('documents bucket (letters and reports)', () => {
  it('is private, versioned, TLS-only, encrypted with the stack key, logged, expiring old objects', () => {
    const buckets = Object.values(template.findResources('AWS::S3::Bucket')) as any[];
    const letters = buckets.find(
      (b) =>
        b.Properties.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault
          ?.SSEAlgorithm === 'aws:kms',
    );
    expect(letters.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { LogFilePrefix: 'documents/' },
      LifecycleConfiguration: {
        Rules: expect.arrayContaining([
          expect.objectContaining({
            Prefix: 'letters/',
            ExpirationInDays: 2555,
            NoncurrentVersionExpiration: { NoncurrentDays: 90 },
            Status: 'Enabled',
          }),
          expect.objectContaining({ Prefix: 'reports/', ExpirationInDays: 400, Status: 'Enabled' }),
        ]),
      },
    });
    expect(
      letters.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
        .KMSMasterKeyID,
    ).toBeDefined();
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as any[];
    expect(policies.length).toBe(2);
    for (const p of policies)
      expect(p.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
  });

  it('lets the letter function put letters and the report function put reports, and nothing else in S3', () => {
    for (const [fn, prefix] of [
      ['Letter', 'letters/*'],
      ['Report', 'reports/*'],
    ]) {
      const s3 = statementsOf(fn!).filter((s) => JSON.stringify(s.Action).includes('s3:'));
      expect(s3.map((s) => s.Action)).toEqual(['s3:PutObject']);
      expect(JSON.stringify(s3[0]!.Resource)).toContain(prefix);
    }
  });

  it('lets the erase function list and delete letters, every version, and nothing else in S3 (§10.7)', () => {
    const s3 = statementsOf('Erase').filter((s) => JSON.stringify(s.Action).includes('s3:'));
    expect(s3.map((s) => s.Action)).toEqual(['s3:ListBucketVersions', ['s3:DeleteObject', 's3:DeleteObjectVersion']]);
    expect(s3[0]!.Condition).toEqual({ StringLike: { 's3:prefix': ['letters/*'] } });
    expect(JSON.stringify(s3[1]!.Resource)).toContain('letters/*');
  });

  it("lets the erase function read the inbound dead letters through and delete, and no other queue's (§10.7)", () => {
    const sqs = statementsOf('Erase').filter((s) => JSON.stringify(s.Action).includes('sqs:'));
    expect(sqs.map((s) => s.Action)).toEqual([
      ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'],
    ]);
    const queues = Object.keys(template.findResources('AWS::SQS::Queue'));
    const inboundDeadLetters = queues.filter((id) => id.startsWith('InboundDeadLetters'));
    expect(inboundDeadLetters).toHaveLength(1);
    expect(sqs[0]!.Resource).toEqual({ 'Fn::GetAtt': [inboundDeadLetters[0], 'Arn'] });
    const [erase, ...others] = Object.entries(template.findResources('AWS::Lambda::Function'))
      .filter(([id]) => id.startsWith('Erase'))
      .map(([, f]) => f);
    expect(others).toEqual([]);
    expect(erase?.Properties.Environment.Variables.DEAD_LETTER_QUEUE_URL).toEqual({ Ref: inboundDeadLetters[0] });
    expect(erase?.Properties.Timeout).toBe(300);
  });

  it('runs the report each morning from EventBridge Scheduler, with retries and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 6 * * ? *)',
      State: 'ENABLED',
      Target: Match.objectLike({
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 3 }),
        DeadLetterConfig: { Arn: Match.anyValue() },
      }),
    });
    // The report reads the per-day figures by key and queries the status index: never a scan.
    const dynamo = statementsOf('Report')
      .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
      .filter((a) => a.startsWith('dynamodb:'));
    expect(dynamo.sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:Query']);
    // Its dead letters are encrypted with the stack's key: the schedule's role may use the key to send them.
    const kms = statementsOf('DailyReportScheduleRole').filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')));
    expect(kms.flatMap(actionsOf).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(statementsOf('DailyReportScheduleRole').flatMap(actionsOf)).toContain('sqs:SendMessage');
  });
});

describe('alarms', () => {
  it('alarms on failed executions, dead letters, and function errors and throttles, to an encrypted topic', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExecutionsFailed',
      Namespace: 'AWS/States',
      AlarmActions: [Match.anyValue()],
    });
    template.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      { MetricName: 'ApproximateNumberOfMessagesVisible', AlarmActions: [Match.anyValue()] },
      3,
    );
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'Errors' }, 11);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'Throttles' }, 11);
  });
});

describe('HTTP API rate limits (docs/contract.md §10.7)', () => {
  it("gives customers' routes and collectors' routes separate limits, each route after it exists", () => {
    const [id, stage] = Object.entries(template.findResources('AWS::ApiGatewayV2::Stage'))[0]!;
    const settings = stage.Properties.RouteSettings as Record<string, Record<string, number>>;
    expect(Object.keys(settings).sort()).toEqual([
      'ANY /api/agent/{proxy+}',
      'GET /api/customer/{proxy+}',
      'GET /c/{proxy+}',
      'GET /desk',
      'POST /api/customer/{proxy+}',
      'POST /c/{proxy+}',
    ]);
    expect(settings['ANY /api/agent/{proxy+}']).toEqual({
      ThrottlingRateLimit: COLLECTOR_THROTTLE.rateLimit,
      ThrottlingBurstLimit: COLLECTOR_THROTTLE.burstLimit,
    });
    expect(settings['POST /api/customer/{proxy+}']).toEqual({
      ThrottlingRateLimit: CUSTOMER_THROTTLE.rateLimit,
      ThrottlingBurstLimit: CUSTOMER_THROTTLE.burstLimit,
    });
    expect(COLLECTOR_THROTTLE.rateLimit).not.toBe(CUSTOMER_THROTTLE.rateLimit);
    // Route settings name route keys: the stage must be created after its routes.
    const routes = Object.keys(template.findResources('AWS::ApiGatewayV2::Route'));
    expect(routes).toHaveLength(6);
    expect(json.Resources[id].DependsOn).toEqual(expect.arrayContaining(routes));
  });
});
