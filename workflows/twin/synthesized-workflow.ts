// The state machine exactly as the stack synthesizes it: the ASL taken from the template (tokens
// resolved to local ARNs) and each Task state bound to the handler its function deploys; and the stack's IAM, every
// policy statement of the template with its references resolved the same way (stack-iam.ts).
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { HANDLER_METADATA } from '../definition/shared-settings';
import type { PolicyPack } from '../../functions/domain/policy-packs';
import type { PolicyStatement } from './policy-evaluation';
import type { TemplateIam } from './stack-iam';
import { writeWholeFile } from './write-whole-file';

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

type CfnValue = string | number | boolean | null | CfnValue[] | { [key: string]: CfnValue };
type Resources = Record<
  string,
  { Type: string; Properties?: Record<string, CfnValue>; Metadata?: Record<string, unknown> }
>;

export interface TaskBinding {
  /** Handler folder the state's function deploys, e.g. `diagnose`; or `start-execution`. */
  handler: string;
  /** How the state calls it: plain Lambda, Lambda with a task token, or StartExecution. */
  pattern: 'invoke' | 'wait-for-token' | 'start-execution';
  /** The function a Lambda task invokes (what the state machine's role must be allowed to invoke). */
  functionArn?: string;
}

export interface SynthesizedWorkflow {
  definition: Record<string, unknown> & { States: Record<string, Record<string, unknown>> };
  stateMachineArn: string;
  bindings: Record<string, TaskBinding>;
  /** The stack's IAM, read whole from the template: what the twin holds every call to (stack-iam.ts). */
  iam: TemplateIam;
}

/**
 * Synthesizes the real stack (without bundling assets: the local engine runs the TypeScript). The CDK is
 * loaded here only: a process that finds the workflow cached (every simulation worker, most test files)
 * never pays the second it takes to load.
 */
export const synthesizeTemplate = async (
  pack: PolicyPack,
  maxLoopsPerExecution?: number,
): Promise<Record<string, unknown>> => {
  const { synthesize } = await import('../../infra/synthesize');
  return synthesize({ pack, maxLoopsPerExecution, account: LOCAL_ACCOUNT, region: LOCAL_REGION });
};

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
const localAttribute = (logicalId: string, attribute: string | null, resources: Resources): string => {
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
const resolve = (value: CfnValue, resources: Resources): string => {
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
const resolveAll = (value: CfnValue, resources: Resources): CfnValue => {
  if (isIntrinsic(value)) return resolve(value, resources);
  if (Array.isArray(value)) return value.map((v) => resolveAll(v, resources));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveAll(v as CfnValue, resources)]));
  return value;
};

/** The logical id of the resource a reference (`{ Ref }` or `{ "Fn::GetAtt": [id, …] }`) points at. */
const logicalIdOf = (value: CfnValue | undefined): string | undefined => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  return Array.isArray(getAtt) ? String(getAtt[0]) : undefined;
};

/** A resource's ARN by logical id, whatever its `Ref` gives (a queue's URL, a bucket's name). */
const arnOf = (logicalId: string, resources: Resources) =>
  localAttribute(
    logicalId,
    ['AWS::SNS::Topic', 'AWS::SecretsManager::Secret'].includes(resources[logicalId]!.Type) ? null : 'Arn',
    resources,
  );

type Document = { Statement: CfnValue[] };
/** The statements of a policy document, every reference resolved. */
const statementsOf = (document: CfnValue | undefined, resources: Resources): PolicyStatement[] =>
  ((document as Document | undefined)?.Statement ?? []).map(
    (statement) => resolveAll(statement, resources) as unknown as PolicyStatement,
  );

/**
 * The stack's IAM as the template writes it: every statement of every policy attached to the roles the twin acts as
 * (`AWS::IAM::Policy`, a role's inline policies, managed policies defined in the template; AWS managed policies are not
 * in it: the functions' one, AWSLambdaBasicExecutionRole, grants logs only), the resource policies (the key's, the
 * queues', the buckets', the topic's), which key encrypts what, and what each function's environment names.
 */
const templateIamOf = (resources: Resources): TemplateIam => {
  const entries = Object.entries(resources);
  const ofType = (type: string) => entries.filter(([, r]) => r.Type === type);
  const props = (r: Resources[string]) => r.Properties ?? {};
  const refsTo = (list: CfnValue | undefined, id: string) => [list ?? []].flat().some((ref) => logicalIdOf(ref) === id);
  const roleStatements = (roleId: string): PolicyStatement[] => {
    const role = props(resources[roleId]!);
    const inline = [role.Policies ?? []]
      .flat()
      .flatMap((p) => statementsOf((p as { PolicyDocument?: CfnValue }).PolicyDocument, resources));
    const attached = [...ofType('AWS::IAM::Policy'), ...ofType('AWS::IAM::ManagedPolicy')]
      .filter(([id, p]) => refsTo(props(p).Roles, roleId) || refsTo(role.ManagedPolicyArns, id))
      .flatMap(([, p]) => statementsOf(props(p).PolicyDocument, resources));
    return [...inline, ...attached];
  };
  const roles: TemplateIam['roles'] = {};
  const addRole = (name: string, roleRef: CfnValue | undefined) => {
    const roleId = logicalIdOf(roleRef);
    if (!roleId || resources[roleId]?.Type !== 'AWS::IAM::Role')
      throw new Error(`template: ${name} has no role of the stack`);
    roles[name] = { arn: localAttribute(roleId, 'Arn', resources), statements: roleStatements(roleId) };
  };
  const one = (type: string) => {
    const found = ofType(type);
    if (found.length > 1) throw new Error(`template: expected at most one ${type}, found ${found.length}`);
    return found[0];
  };
  const functions: TemplateIam['functions'] = {};
  const environments: TemplateIam['environments'] = {};
  for (const [id, fn] of ofType('AWS::Lambda::Function')) {
    const handler = fn.Metadata?.[HANDLER_METADATA];
    if (typeof handler !== 'string') continue;
    functions[handler] = localAttribute(id, 'Arn', resources);
    addRole(handler, props(fn).Role);
    const variables = (props(fn).Environment as { Variables?: Record<string, CfnValue> } | undefined)?.Variables ?? {};
    // The pack is the functions' configuration, not a resource they call.
    environments[handler] = Object.fromEntries(
      Object.entries(variables)
        .filter(([name]) => name !== 'POLICY_PACK')
        .map(([name, value]) => [name, resolve(value, resources)]),
    );
  }
  const machine = one('AWS::StepFunctions::StateMachine');
  if (machine) addRole('state-machine', props(machine[1]).RoleArn);
  const pipe = one('AWS::Pipes::Pipe');
  if (pipe) addRole('pipe', props(pipe[1]).RoleArn);
  const schedule = one('AWS::Scheduler::Schedule');
  const scheduleTarget = schedule && (props(schedule[1]).Target as Record<string, CfnValue>);
  if (scheduleTarget) addRole('scheduler', scheduleTarget.RoleArn);

  const resourcePolicies: TemplateIam['resourcePolicies'] = {};
  const addPolicy = (arn: string, document: CfnValue | undefined) =>
    (resourcePolicies[arn] ??= []).push(...statementsOf(document, resources));
  for (const [id, key] of ofType('AWS::KMS::Key'))
    addPolicy(localAttribute(id, 'Arn', resources), props(key).KeyPolicy);
  for (const [type, targets] of [
    ['AWS::SQS::QueuePolicy', 'Queues'],
    ['AWS::S3::BucketPolicy', 'Bucket'],
    ['AWS::SNS::TopicPolicy', 'Topics'],
  ] as const)
    for (const [, policy] of ofType(type))
      for (const target of [props(policy)[targets] ?? []].flat())
        addPolicy(arnOf(logicalIdOf(target)!, resources), props(policy).PolicyDocument);

  // Which customer managed key encrypts what: a key named by reference is one of the template's.
  const keys: TemplateIam['keys'] = {};
  const encrypt = (arn: string, key: CfnValue | undefined) => {
    const keyId = logicalIdOf(key);
    if (keyId && resources[keyId]?.Type === 'AWS::KMS::Key') keys[arn] = localAttribute(keyId, 'Arn', resources);
  };
  for (const [id, table] of ofType('AWS::DynamoDB::GlobalTable')) {
    const replicas = (props(table).Replicas ?? []) as {
      Region?: string;
      SSESpecification?: Record<string, CfnValue>;
    }[];
    const here = replicas.find((r) => r.Region === undefined || resolve(r.Region, resources) === LOCAL_REGION);
    encrypt(localAttribute(id, 'Arn', resources), here?.SSESpecification?.KMSMasterKeyId);
  }
  for (const [id, table] of ofType('AWS::DynamoDB::Table'))
    encrypt(
      localAttribute(id, 'Arn', resources),
      (props(table).SSESpecification as Record<string, CfnValue>)?.KMSMasterKeyId,
    );
  for (const [id, queue] of ofType('AWS::SQS::Queue')) encrypt(arnOf(id, resources), props(queue).KmsMasterKeyId);
  for (const [id, secret] of ofType('AWS::SecretsManager::Secret'))
    encrypt(arnOf(id, resources), props(secret).KmsKeyId);
  for (const [id, bus] of ofType('AWS::Events::EventBus')) encrypt(arnOf(id, resources), props(bus).KmsKeyIdentifier);
  for (const [id, bucket] of ofType('AWS::S3::Bucket')) {
    const rules = ((props(bucket).BucketEncryption as Record<string, CfnValue> | undefined)
      ?.ServerSideEncryptionConfiguration ?? []) as { ServerSideEncryptionByDefault?: Record<string, CfnValue> }[];
    for (const rule of rules) encrypt(arnOf(id, resources), rule.ServerSideEncryptionByDefault?.KMSMasterKeyID);
  }

  const intakeId = entries.find(([, r]) => r.Metadata?.[HANDLER_METADATA] === 'intake')?.[0];
  const intake = ofType('AWS::Lambda::EventSourceMapping').find(
    ([, m]) => logicalIdOf(props(m).FunctionName) === intakeId,
  );
  const intakeQueue = intake && resolve(props(intake[1]).EventSourceArn!, resources);
  const rule = ofType('AWS::Events::Rule')
    .map(([id, r]) => ({ id, target: ((props(r).Targets ?? []) as Record<string, CfnValue>[])[0] }))
    .find(({ target }) => target && resolve(target.Arn!, resources) === intakeQueue);
  const deadLetters = (config: CfnValue | undefined) =>
    config === undefined ? undefined : resolve((config as Record<string, CfnValue>).Arn!, resources);
  const [table] = [...ofType('AWS::DynamoDB::GlobalTable'), ...ofType('AWS::DynamoDB::Table')];
  return {
    account: LOCAL_ACCOUNT,
    region: LOCAL_REGION,
    roles,
    resourcePolicies,
    keys,
    environments,
    functions,
    ...(machine ? { stateMachine: localAttribute(machine[0], 'Arn', resources) } : {}),
    ...(table ? { stream: localAttribute(table[0], 'StreamArn', resources) } : {}),
    ...(intakeQueue ? { intakeQueue } : {}),
    ...(rule
      ? {
          inboundRule: {
            arn: localAttribute(rule.id, 'Arn', resources),
            queue: intakeQueue!,
            ...(rule.target!.DeadLetterConfig ? { deadLetters: deadLetters(rule.target!.DeadLetterConfig) } : {}),
          },
        }
      : {}),
    ...(pipe ? { pipe: { target: resolve(props(pipe[1]).Target!, resources) } } : {}),
    ...(scheduleTarget
      ? {
          schedule: {
            target: resolve(scheduleTarget.Arn!, resources),
            ...(scheduleTarget.DeadLetterConfig ? { deadLetters: deadLetters(scheduleTarget.DeadLetterConfig) } : {}),
          },
        }
      : {}),
  };
};

export const extractWorkflow = (template: Record<string, unknown>): SynthesizedWorkflow => {
  const resources = template.Resources as Resources;
  const machines = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine');
  if (machines.length !== 1) throw new Error(`template: expected one state machine, found ${machines.length}`);
  const [, machine] = machines[0]!;
  const definition = JSON.parse(
    resolve(machine.Properties!.DefinitionString!, resources),
  ) as SynthesizedWorkflow['definition'];
  const handlerOf = new Map(
    Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.[HANDLER_METADATA])
      .map(([id, r]) => [localAttribute(id, 'Arn', resources), String(r.Metadata![HANDLER_METADATA])]),
  );
  const bindings: Record<string, TaskBinding> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Task') continue;
    const resource = String(state.Resource);
    const functionArn = String((state.Parameters as Record<string, unknown> | undefined)?.FunctionName ?? resource);
    if (resource === 'arn:aws:states:::states:startExecution')
      bindings[name] = { handler: 'start-execution', pattern: 'start-execution' };
    else if (resource.endsWith(':lambda:invoke.waitForTaskToken'))
      bindings[name] = { handler: handlerOf.get(functionArn)!, pattern: 'wait-for-token', functionArn };
    else bindings[name] = { handler: handlerOf.get(resource)!, pattern: 'invoke', functionArn: resource };
    if (!bindings[name]!.handler)
      throw new Error(`template: Task state ${name} calls ${functionArn}, which is not a collections function`);
  }
  const name = String(machine.Properties!.StateMachineName);
  return {
    definition,
    bindings,
    iam: templateIamOf(resources),
    stateMachineArn: `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`,
  };
};

/** Where a synthesized artefact is cached: by a hash of the pack, the loop limit and every file that shapes it. */
const cachePath = async (kind: string, pack: PolicyPack, maxLoopsPerExecution: number | undefined, extra: string[]) => {
  const root = path.resolve(import.meta.dirname, '../..');
  const hash = createHash('sha256').update(`${JSON.stringify(pack)}/${maxLoopsPerExecution ?? 'default'}`);
  const sources = async (dir: string) =>
    (await readdir(path.join(root, dir), { recursive: true, withFileTypes: true }))
      .filter((d) => d.isFile())
      .map((d) => path.join(d.parentPath, d.name));
  const files = [
    ...(await sources('infra')),
    ...(await sources('functions')),
    ...(await sources('workflows/definition')),
    ...extra.map((file) => path.join(root, file)),
    path.join(root, 'package-lock.json'),
  ].sort();
  for (const file of files) hash.update(file).update(await readFile(file));
  return path.join(root, 'node_modules/.cache/collections', `${kind}-${hash.digest('hex').slice(0, 16)}.json`);
};

/** Reads a cached artefact, or makes it and caches it, written whole: parallel test workers never read half a file. */
const cached = async <T>(file: string, make: () => Promise<T>): Promise<T> => {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    const made = await make();
    await writeWholeFile(file, JSON.stringify(made));
    return made;
  }
};

/**
 * The synthesized template, cached like the workflow (below): what a test plants a wrong grant in before extracting
 * the workflow from it, as a mistake in the stack would put it there.
 */
export const loadTemplate = async (pack: PolicyPack, maxLoopsPerExecution?: number): Promise<Record<string, unknown>> =>
  cached(await cachePath('template', pack, maxLoopsPerExecution, []), () =>
    synthesizeTemplate(pack, maxLoopsPerExecution),
  );

/**
 * The synthesized workflow, cached by a hash of everything that shapes the template (infra, the
 * workflow construct, the functions and the lockfile) and of this file, which reads it: synthesizing the CDK app takes
 * seconds, reading the cache milliseconds. Any source change makes a new hash, so the cache is never stale.
 */
export const loadWorkflow = async (pack: PolicyPack, maxLoopsPerExecution?: number): Promise<SynthesizedWorkflow> =>
  cached(
    await cachePath('workflow', pack, maxLoopsPerExecution, ['workflows/twin/synthesized-workflow.ts']),
    async () => extractWorkflow(await loadTemplate(pack, maxLoopsPerExecution)),
  );
