// The packs this project ships (policies/*.json), by name. Local commands and the stack start from one of
// these unless given the bank's own file; the Lambdas get theirs from their environment instead.
import usRegf from './us-regf.json';
import cn from './cn.json';
import { parsePolicyPack, type PolicyPack } from '../functions/domain/policy-packs';

export const POLICY_IDS = ['us-regf', 'cn'] as const;
export type PolicyId = (typeof POLICY_IDS)[number];

export const POLICY_PACKS: Readonly<Record<PolicyId, PolicyPack>> = {
  'us-regf': parsePolicyPack(usRegf, 'policies/us-regf.json'),
  cn: parsePolicyPack(cn, 'policies/cn.json'),
};

export const isPolicyId = (name: string): name is PolicyId => (POLICY_IDS as readonly string[]).includes(name);

export const policyPack = (id: PolicyId): PolicyPack => POLICY_PACKS[id];
