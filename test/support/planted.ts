// A wrong grant planted in the synthesized template, as a mistake in the stack would put it there: the template is
// patched, then read by the twin exactly as the real one is (extractWorkflow). No module of ours is mocked.
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { extractWorkflow, loadTemplate, type SynthesizedWorkflow } from '../../workflows/twin/synthesized-workflow';

type Json = any;
export type Resources = Record<string, { Type: string; Properties: Json }>;
export type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: Json;
  Condition?: Json;
  Principal?: Json;
};

/** The workflow of the us-regf stack with `plant` applied to a copy of its template's resources. */
export const plantedWorkflow = async (plant: (resources: Resources) => void): Promise<SynthesizedWorkflow> => {
  const template = structuredClone(await loadTemplate(POLICY_PACKS['us-regf'])) as { Resources: Resources };
  plant(template.Resources);
  return extractWorkflow(template);
};

/** The logical id of the one resource of `type` whose id starts with `prefix`. */
export const idOf = (resources: Resources, type: string, prefix = ''): string => {
  const ids = Object.keys(resources).filter((id) => resources[id]!.Type === type && id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`planted: expected one ${type} ${prefix}…, found ${ids.join(', ') || 'none'}`);
  return ids[0]!;
};

/** The statements of the policy attached to the role whose logical id starts with `rolePrefix` (its default policy). */
export const statementsOf = (resources: Resources, rolePrefix: string): Statement[] =>
  resources[idOf(resources, 'AWS::IAM::Policy', rolePrefix)]!.Properties.PolicyDocument.Statement;

export const actionsOf = (statement: Statement): string[] => [statement.Action].flat();

/** Takes `action` out of every statement of the role's policy that grants it (a statement left with none goes). */
export const withoutAction = (resources: Resources, rolePrefix: string, action: string): void => {
  const policy = resources[idOf(resources, 'AWS::IAM::Policy', rolePrefix)]!.Properties.PolicyDocument;
  const before = JSON.stringify(policy.Statement);
  policy.Statement = (policy.Statement as Statement[])
    .map((s) => ({ ...s, Action: actionsOf(s).filter((a) => a !== action) }))
    .filter((s) => s.Action.length > 0);
  if (JSON.stringify(policy.Statement) === before) throw new Error(`planted: ${rolePrefix} had no ${action} to take`);
};

/** The statement of the role's policy granting `action`: the one a test plants a wrong resource or condition in. */
export const grantOf = (resources: Resources, rolePrefix: string, action: string): Statement => {
  const found = statementsOf(resources, rolePrefix).filter((s) => actionsOf(s).includes(action));
  if (found.length !== 1) throw new Error(`planted: expected one statement granting ${action} to ${rolePrefix}`);
  return found[0]!;
};

/**
 * AWS's words for a refusal, as a pattern: `<who> is not authorized to perform: <action> on resource: <resource>
 * <rest>`, where `*` stands for any run of characters but spaces (a role's generated name, a logical id's hash).
 */
export const denial = (who: string, action: string, resource: string, rest = ''): RegExp => {
  const pattern = (text: string) => text.replace(/[.+?^${}()|[\]\\/]/g, '\\$&').replaceAll('*', '\\S*');
  return new RegExp(
    `${pattern(who)} is not authorized to perform: ${pattern(action)} on resource: ${pattern(resource)}` +
      (rest ? ` ${pattern(rest)}` : ' '),
  );
};
