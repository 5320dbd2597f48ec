// The synthesized template's references resolved as the twin names things: pseudo parameters, `Ref` and `Fn::GetAtt`
// to ARNs in the local account and region, `Fn::Join` and `Fn::Sub`, so that what the twin's calls name and what the
// policies' statements say are read alike (synthesized-workflow.ts, stack-iam.ts).
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

export type CfnValue = string | number | boolean | null | CfnValue[] | { [key: string]: CfnValue };
export type Resources = Record<
  string,
  { Type: string; Properties?: Record<string, CfnValue>; Metadata?: Record<string, unknown> }
>;

/** Is `value` one intrinsic function (`{ Ref }`, `{ "Fn::…" }`)? */
const isIntrinsic = (value: CfnValue): value is { [key: string]: CfnValue } =>
  !!value &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  /^(Ref|Fn::.+)$/.test(Object.keys(value)[0]!);

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'Collections',
};

/**
 * The local name (`Ref`) and attributes (`Fn::GetAtt`) of a resource: ARNs as AWS forms them, in the local account
 * and region, named by the resource's name property or else its logical id. What the twin's calls name and what the
 * policies' statements are read against.
 */
export const localAttribute = (logicalId: string, attribute: string | null, resources: Resources): string => {
  const resource = resources[logicalId];
  if (!resource) throw new Error(`template: no resource ${logicalId}`);
  const props = resource.Properties ?? {};
  const named = (property: string) =>
    props[property] === undefined ? logicalId : resolve(props[property]!, resources);
  const at = `${LOCAL_REGION}:${LOCAL_ACCOUNT}`;
  const table = () => {
    const arn = `arn:aws:dynamodb:${at}:table/${named('TableName')}`;
    return { Ref: named('TableName'), Arn: arn, StreamArn: `${arn}/stream/local` };
  };
  const forms: Record<string, () => Record<string, string>> = {
    'AWS::Lambda::Function': () => {
      const arn = `arn:aws:lambda:${at}:function:${named('FunctionName')}`;
      return { Ref: named('FunctionName'), Arn: arn };
    },
    'AWS::IAM::Role': () => ({
      Ref: named('RoleName'),
      Arn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/${named('RoleName')}`,
    }),
    'AWS::DynamoDB::GlobalTable': () => table(),
    'AWS::DynamoDB::Table': () => table(),
    'AWS::SQS::Queue': () => ({
      Ref: `https://sqs.${LOCAL_REGION}.amazonaws.com/${LOCAL_ACCOUNT}/${named('QueueName')}`,
      Arn: `arn:aws:sqs:${at}:${named('QueueName')}`,
      QueueName: named('QueueName'),
    }),
    'AWS::Events::EventBus': () => ({
      Ref: named('Name'),
      Name: named('Name'),
      Arn: `arn:aws:events:${at}:event-bus/${named('Name')}`,
    }),
    'AWS::Events::Rule': () => {
      const bus = props.EventBusName === undefined ? 'default' : resolve(props.EventBusName, resources);
      const path = bus === 'default' ? named('Name') : `${bus.split('/').at(-1)}/${named('Name')}`;
      return { Ref: named('Name'), Arn: `arn:aws:events:${at}:rule/${path}` };
    },
    'AWS::S3::Bucket': () => {
      const name = props.BucketName === undefined ? logicalId.toLowerCase() : named('BucketName');
      return { Ref: name, Arn: `arn:aws:s3:::${name}` };
    },
    'AWS::SecretsManager::Secret': () => {
      const arn = `arn:aws:secretsmanager:${at}:secret:${named('Name')}`;
      return { Ref: arn, Id: arn };
    },
    'AWS::KMS::Key': () => ({ Ref: logicalId, KeyId: logicalId, Arn: `arn:aws:kms:${at}:key/${logicalId}` }),
    'AWS::StepFunctions::StateMachine': () => {
      const arn = `arn:aws:states:${at}:stateMachine:${named('StateMachineName')}`;
      return { Ref: arn, Arn: arn, Name: named('StateMachineName') };
    },
    'AWS::Logs::LogGroup': () => ({
      Ref: named('LogGroupName'),
      Arn: `arn:aws:logs:${at}:log-group:${named('LogGroupName')}:*`,
    }),
    'AWS::SNS::Topic': () => ({
      Ref: `arn:aws:sns:${at}:${named('TopicName')}`,
      TopicArn: `arn:aws:sns:${at}:${named('TopicName')}`,
    }),
    'AWS::Pipes::Pipe': () => ({ Ref: named('Name'), Arn: `arn:aws:pipes:${at}:pipe/${named('Name')}` }),
    'AWS::Scheduler::Schedule': () => ({
      Ref: named('Name'),
      Arn: `arn:aws:scheduler:${at}:schedule/default/${named('Name')}`,
    }),
  };
  const known = forms[resource.Type]?.();
  // Resources the twin never calls (the user pool, the HTTP API) still have a name, if only a local one.
  const value = known ? known[attribute ?? 'Ref'] : `local:${logicalId}${attribute ? `.${attribute}` : ''}`;
  if (value === undefined)
    throw new Error(`template: no local ${attribute ?? 'Ref'} for ${logicalId} (${resource.Type})`);
  return value;
};

/** Resolves the intrinsic functions CDK writes (Ref, Fn::GetAtt, Fn::Join, Fn::Sub) to the twin's local values. */
export const resolve = (value: CfnValue, resources: Resources): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isIntrinsic(value)) {
    if ('Ref' in value) {
      const ref = String(value.Ref);
      return PSEUDO[ref] ?? localAttribute(ref, null, resources);
    }
    if ('Fn::GetAtt' in value) {
      const [logicalId, attribute] = value['Fn::GetAtt'] as [string, string];
      return localAttribute(logicalId, attribute, resources);
    }
    if ('Fn::Join' in value) {
      const [separator, parts] = value['Fn::Join'] as [string, CfnValue[]];
      return parts.map((part) => resolve(part, resources)).join(separator);
    }
    if ('Fn::Sub' in value) {
      const [text, names] = (Array.isArray(value['Fn::Sub']) ? value['Fn::Sub'] : [value['Fn::Sub'], {}]) as [
        string,
        Record<string, CfnValue>,
      ];
      return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
        if (name in names) return resolve(names[name]!, resources);
        const [logicalId, attribute] = name.split('.');
        return PSEUDO[name] ?? localAttribute(logicalId!, attribute ?? null, resources);
      });
    }
  }
  throw new Error(`template: unsupported intrinsic ${JSON.stringify(value).slice(0, 120)}`);
};

/** A value with every intrinsic in it resolved: a policy document, a condition block. */
export const resolveAll = (value: CfnValue, resources: Resources): CfnValue => {
  if (isIntrinsic(value)) return resolve(value, resources);
  if (Array.isArray(value)) return value.map((v) => resolveAll(v, resources));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveAll(v as CfnValue, resources)]));
  return value;
};

/** The logical id of the resource a reference (`{ Ref }` or `{ "Fn::GetAtt": [id, …] }`) points at. */
export const logicalIdOf = (value: CfnValue | undefined): string | undefined => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  return Array.isArray(getAtt) ? String(getAtt[0]) : undefined;
};

/** A resource's ARN by logical id, whatever its `Ref` gives (a queue's URL, a bucket's name). */
export const arnOf = (logicalId: string, resources: Resources) =>
  localAttribute(
    logicalId,
    ['AWS::SNS::Topic', 'AWS::SecretsManager::Secret'].includes(resources[logicalId]!.Type) ? null : 'Arn',
    resources,
  );
