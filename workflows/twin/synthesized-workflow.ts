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
import {
  arnOf,
  localAttribute,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  logicalIdOf,
  resolve,
  resolveAll,
  type CfnValue,
  type Resources,
} from './template-references';
import { writeWholeFile } from './write-whole-file';

export { LOCAL_ACCOUNT, LOCAL_REGION };

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
