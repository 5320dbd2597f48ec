// Reading a policy pack for the stack (`-c policy=…` / `-c policyFile=…`) and every local command
// (`--policy` / `--policy-file`): a built-in pack by name, or the bank's own JSON file, validated.
import { readFileSync } from 'node:fs';
import { isPolicyId, POLICY_IDS, policyPack } from './built-in-packs';
import { InvalidPolicyError, parsePolicyPack, type PolicyPack } from '../functions/domain/policy-packs';

export const readPackFile = (file: string): PolicyPack => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidPolicyError(
      `${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidPolicyError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  return parsePolicyPack(json, file);
};

/** The pack a command runs on: the file when one is given, else the named built-in pack (default us-regf). */
export const choosePack = ({ policy, policyFile }: { policy?: string; policyFile?: string }): PolicyPack => {
  if (policyFile) return readPackFile(policyFile);
  const name = policy ?? 'us-regf';
  if (!isPolicyId(name))
    throw new InvalidPolicyError(`policy: expected one of ${POLICY_IDS.join(', ')} (or a pack file), got ${name}`);
  return policyPack(name);
};
