// The state machine exactly as the stack synthesizes it: the ASL taken from the template (tokens
// resolved to local ARNs) and each Task state bound to the handler its function deploys.
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { HANDLER_METADATA } from '../definition/shared-settings';
import type { PolicyPack } from '../../functions/domain/policy-packs';
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
}

export interface SynthesizedWorkflow {
  definition: Record<string, unknown> & { States: Record<string, Record<string, unknown>> };
  stateMachineArn: string;
  bindings: Record<string, TaskBinding>;
  /**
   * The actions each function's role is granted on services other than DynamoDB (its logs, traces and keys aside),
   * by handler folder name: what the local stack holds each function's calls to (service-iam.ts).
   */
  serviceGrants: Record<string, string[]>;
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

const localArn = (logicalId: string, resources: Resources): string => {
  const type = resources[logicalId]?.Type;
  if (type === 'AWS::Lambda::Function') return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${logicalId}`;
  throw new Error(`template: cannot give a local ARN to ${logicalId} (${type ?? 'missing'})`);
};

/** Resolves the intrinsic functions CDK puts in a state machine definition. */
const resolve = (value: CfnValue, resources: Resources): string => {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    if ('Ref' in value) {
      const pseudo: Record<string, string> = {
        'AWS::Partition': 'aws',
        'AWS::Region': LOCAL_REGION,
        'AWS::AccountId': LOCAL_ACCOUNT,
        'AWS::URLSuffix': 'amazonaws.com',
      };
      const ref = String(value.Ref);
      if (ref in pseudo) return pseudo[ref]!;
      throw new Error(`template: unresolvable Ref ${ref} in the state machine definition`);
    }
    if ('Fn::GetAtt' in value) {
      const [logicalId, attribute] = value['Fn::GetAtt'] as [string, string];
      if (attribute === 'Arn') return localArn(logicalId, resources);
    }
    if ('Fn::Join' in value) {
      const [separator, parts] = value['Fn::Join'] as [string, CfnValue[]];
      return parts.map((part) => resolve(part, resources)).join(separator);
    }
  }
  throw new Error(`template: unsupported intrinsic ${JSON.stringify(value).slice(0, 120)}`);
};

/** Services whose grants the table IAM (DynamoDB) or nothing local (logs, X-Ray, KMS) stands for. */
const NOT_SERVICE_CALLS = /^(dynamodb|logs|xray|kms):/;

/**
 * The object keys a statement's resources allow in a bucket, as patterns (`letters/*`): the part after the bucket's
 * ARN of each `Fn::Join` with one. None for a resource that is not an object ARN.
 */
const objectPrefixesOf = (resource: CfnValue): string[] =>
  [resource].flat().flatMap((r) => {
    const parts = (r as { 'Fn::Join'?: [string, CfnValue[]] } | null)?.['Fn::Join']?.[1] ?? [];
    const bucketArn = parts[0] as { 'Fn::GetAtt'?: string[] } | undefined;
    const rest = parts[1];
    return parts.length === 2 && bucketArn?.['Fn::GetAtt']?.[1] === 'Arn' && typeof rest === 'string'
      ? [rest.replace(/^\//, '')]
      : [];
  });

/**
 * Each function's granted actions on other services, from the policies attached to its role; an action on objects
 * of a bucket as `<action> <key pattern>` (`s3:PutObject letters/*`).
 */
const serviceGrantsOf = (resources: Resources): Record<string, string[]> => {
  const policies = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy');
  const grants: Record<string, string[]> = {};
  for (const fn of Object.values(resources)) {
    const handler = fn.Type === 'AWS::Lambda::Function' ? fn.Metadata?.[HANDLER_METADATA] : undefined;
    if (!handler) continue;
    const role = ((fn.Properties?.Role as { 'Fn::GetAtt'?: string[] } | undefined)?.['Fn::GetAtt'] ?? [])[0];
    type Statement = { Effect: string; Action: CfnValue; Resource: CfnValue };
    const actions = policies
      .filter((p) => (p.Properties?.Roles as { Ref?: string }[] | undefined)?.some((r) => r.Ref === role))
      .flatMap((p) => (p.Properties!.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((statement) => statement.Effect === 'Allow')
      .flatMap((statement) => {
        const prefixes = objectPrefixesOf(statement.Resource);
        return [statement.Action]
          .flat()
          .map(String)
          .flatMap((action) => (prefixes.length ? prefixes.map((p) => `${action} ${p}`) : [action]));
      })
      .filter((action) => !NOT_SERVICE_CALLS.test(action));
    grants[String(handler)] = [...new Set(actions)].sort();
  }
  return grants;
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
      .map(([id, r]) => [localArn(id, resources), String(r.Metadata![HANDLER_METADATA])]),
  );
  const bindings: Record<string, TaskBinding> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Task') continue;
    const resource = String(state.Resource);
    const functionArn = String((state.Parameters as Record<string, unknown> | undefined)?.FunctionName ?? resource);
    if (resource === 'arn:aws:states:::states:startExecution')
      bindings[name] = { handler: 'start-execution', pattern: 'start-execution' };
    else if (resource.endsWith(':lambda:invoke.waitForTaskToken'))
      bindings[name] = { handler: handlerOf.get(functionArn)!, pattern: 'wait-for-token' };
    else bindings[name] = { handler: handlerOf.get(resource)!, pattern: 'invoke' };
    if (!bindings[name]!.handler)
      throw new Error(`template: Task state ${name} calls ${functionArn}, which is not a collections function`);
  }
  const name = String(machine.Properties!.StateMachineName);
  return {
    definition,
    bindings,
    serviceGrants: serviceGrantsOf(resources),
    stateMachineArn: `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`,
  };
};

/**
 * The synthesized workflow, cached by a hash of everything that shapes the template (infra, the
 * workflow construct, the functions and the lockfile): synthesizing the CDK app takes seconds,
 * reading the cache milliseconds. Any source change makes a new hash, so the cache is never stale.
 */
export const loadWorkflow = async (pack: PolicyPack, maxLoopsPerExecution?: number): Promise<SynthesizedWorkflow> => {
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
    path.join(root, 'workflows/twin/synthesized-workflow.ts'),
    path.join(root, 'package-lock.json'),
  ].sort();
  for (const file of files) hash.update(file).update(await readFile(file));
  const cache = path.join(root, 'node_modules/.cache/collections', `workflow-${hash.digest('hex').slice(0, 16)}.json`);
  try {
    return JSON.parse(await readFile(cache, 'utf8')) as SynthesizedWorkflow;
  } catch {
    const workflow = extractWorkflow(await synthesizeTemplate(pack, maxLoopsPerExecution));
    // Written whole: parallel test workers never read half a file.
    await writeWholeFile(cache, JSON.stringify(workflow));
    return workflow;
  }
};
