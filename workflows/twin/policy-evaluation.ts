// IAM's policy evaluation as AWS documents it for a request inside one account, from plain values: the statements of
// the principal's identity policies and of the resource's policy, the action, the resource's ARN and the request's
// context keys, in; allow, implicit deny or explicit deny, out. An explicit deny in either policy wins; otherwise an
// allow in either does, except on a KMS key, whose key policy must allow the principal itself, or allow the account
// (which lets the principal's identity policies decide). No template, no AWS: what the local twin asks of it
// (stack-iam.ts).

/** A statement as a policy document holds it (tokens resolved): one value or a list wherever IAM allows both. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  /** Resource policies only: who the statement is about. */
  Principal?: '*' | { AWS?: string | string[]; Service?: string | string[] };
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  /** `{ operator: { key: value(s) } }`: every operator, every key, and any one of a key's values. */
  Condition?: Record<string, Record<string, string | boolean | (string | boolean)[]>>;
}

/** Who makes a request: a role (its session), or an AWS service acting for a resource of the account. */
export type Principal = { role: string } | { service: string };

/** The request context's keys (`aws:SourceArn`, `dynamodb:LeadingKeys`, …): one value or, multivalued, a list. */
export type RequestContext = Readonly<Record<string, string | readonly string[]>>;

export interface PolicyRequest {
  principal: Principal;
  action: string;
  resource: string;
  context?: RequestContext;
}

export type Decision = 'allow' | 'implicit-deny' | 'explicit-deny';

export interface Evaluation {
  decision: Decision;
  /** For a deny, where it came from: the statement that denied, or which policy failed to allow. */
  reason: 'identity-deny' | 'resource-deny' | 'no-identity-allow' | 'no-resource-allow' | 'allowed';
}

const list = (value: string | boolean | (string | boolean)[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];

const patterns = new Map<string, RegExp>();
/** IAM's wildcards: `*` any run of characters, `?` any one; `ignoreCase` for action names. */
const glob = (pattern: string, value: string, ignoreCase = false): boolean => {
  if (!pattern.includes('*') && !pattern.includes('?'))
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  const id = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regex = patterns.get(id);
  if (!regex) {
    const body = pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    regex = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    patterns.set(id, regex);
  }
  return regex.test(value);
};

/** ARNs compared part by part (`arn:partition:service:region:account:resource`), wildcards inside each part. */
const arnMatches = (pattern: string, arn: string): boolean => {
  const split = (s: string) => {
    const parts = s.split(':');
    return [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const [p, a] = [split(pattern), split(arn)];
  if (arn.split(':').length < 6 || pattern.split(':').length < 6) return false;
  return p.every((part, i) => glob(part, a[i]!));
};

type Match = (conditionValue: string, contextValue: string) => boolean;
/** The base operators (without a set prefix or IfExists) and whether each is a negated one. */
const OPERATORS: Record<string, { match: Match; negated: boolean }> = {
  StringEquals: { match: (c, v) => c === v, negated: false },
  StringNotEquals: { match: (c, v) => c === v, negated: true },
  StringEqualsIgnoreCase: { match: (c, v) => c.toLowerCase() === v.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { match: (c, v) => c.toLowerCase() === v.toLowerCase(), negated: true },
  StringLike: { match: (c, v) => glob(c, v), negated: false },
  StringNotLike: { match: (c, v) => glob(c, v), negated: true },
  ArnEquals: { match: arnMatches, negated: false },
  ArnLike: { match: arnMatches, negated: false },
  ArnNotEquals: { match: arnMatches, negated: true },
  ArnNotLike: { match: arnMatches, negated: true },
  Bool: { match: (c, v) => c.toLowerCase() === v.toLowerCase(), negated: false },
};

/**
 * One operator on one key. A key the request lacks matches nothing, except under `…IfExists`, a negated operator or
 * `ForAllValues` (all of none), and `Null` asks exactly that. `ForAllValues`: every value of the request's key matches;
 * `ForAnyValue` and a plain operator: one does.
 */
const conditionHolds = (operator: string, key: string, expected: string[], context: RequestContext): boolean => {
  const found = Object.keys(context).find((k) => k.toLowerCase() === key.toLowerCase());
  const present = found === undefined ? undefined : context[found]!;
  const values = present === undefined ? [] : typeof present === 'string' ? [present] : [...present];
  if (operator === 'Null') return expected.some((e) => (e.toLowerCase() === 'true') === (values.length === 0));
  const parsed = /^(ForAllValues:|ForAnyValue:)?([A-Za-z]+?)(IfExists)?$/.exec(operator);
  const base = parsed && OPERATORS[parsed[2]!];
  if (!parsed || !base) throw new Error(`policy-evaluation: condition operator ${operator} is not supported`);
  const [, set, , ifExists] = parsed;
  const one = (value: string) => expected.some((e) => base.match(e, value)) !== base.negated;
  if (set === 'ForAllValues:') return values.every(one);
  if (values.length === 0) return ifExists !== undefined || (base.negated && set === undefined);
  return set === 'ForAnyValue:' || !base.negated ? values.some(one) : values.every(one);
};

/** Whether a statement covers the request: its action, its resource and every condition (the principal aside). */
export const statementCovers = (statement: PolicyStatement, request: PolicyRequest): boolean => {
  const { action, resource, context = {} } = request;
  const actions = statement.Action === undefined ? null : list(statement.Action);
  if (
    actions ? !actions.some((a) => glob(a, action, true)) : list(statement.NotAction).some((a) => glob(a, action, true))
  )
    return false;
  const resources = statement.Resource === undefined ? null : list(statement.Resource);
  if (
    resources ? !resources.some((r) => glob(r, resource)) : list(statement.NotResource).some((r) => glob(r, resource))
  )
    return false;
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => conditionHolds(operator, key, list(expected), context)),
  );
};

/**
 * Whom a resource policy's statement names: the principal itself (`direct`: a role's ARN, a service, everyone), the
 * account (`account`: its root, which hands the decision to the principal's identity policies), or someone else.
 */
const namedBy = (statement: PolicyStatement, principal: Principal, account: string): 'direct' | 'account' | null => {
  const named = statement.Principal;
  if (named === undefined) return null;
  const aws = named === '*' ? ['*'] : list(named.AWS);
  // Everyone (`*`, `{ AWS: '*' }`) includes services.
  if (aws.includes('*')) return 'direct';
  if ('service' in principal)
    return list((named as { Service?: string }).Service).includes(principal.service) ? 'direct' : null;
  if (aws.includes(principal.role)) return 'direct';
  return aws.includes(`arn:aws:iam::${account}:root`) || aws.includes(account) ? 'account' : null;
};

export interface PolicySet {
  /** The statements of every identity policy the principal's role has (none for a service). */
  identity: readonly PolicyStatement[];
  /** The resource's own policy: a queue's, a bucket's, a key's. */
  resource?: readonly PolicyStatement[];
  /** The resource is a KMS key: its key policy must allow, itself or through the account. */
  keyPolicy?: boolean;
  /** The account the principal and the resource are in. */
  account: string;
}

/** AWS's decision on a request within one account (docs: "Policy evaluation logic", "Key policies"). */
export const evaluate = (policies: PolicySet, request: PolicyRequest): Evaluation => {
  const identity = 'role' in request.principal ? policies.identity.filter((s) => statementCovers(s, request)) : [];
  const resource = (policies.resource ?? [])
    .map((s) => ({ s, named: namedBy(s, request.principal, policies.account) }))
    .filter(({ s, named }) => named !== null && statementCovers(s, request));
  if (identity.some((s) => s.Effect === 'Deny')) return { decision: 'explicit-deny', reason: 'identity-deny' };
  // A deny naming the account is about everyone in it.
  if (resource.some(({ s }) => s.Effect === 'Deny')) return { decision: 'explicit-deny', reason: 'resource-deny' };
  const identityAllows = identity.some((s) => s.Effect === 'Allow');
  const resourceAllows = resource.some(({ s, named }) => s.Effect === 'Allow' && named === 'direct');
  const accountAllows = resource.some(({ s, named }) => s.Effect === 'Allow' && named === 'account');
  if (policies.keyPolicy) {
    if (resourceAllows || (accountAllows && identityAllows)) return { decision: 'allow', reason: 'allowed' };
    // Allowed to the account, the principal's own policies had to allow it; else the key policy did.
    return { decision: 'implicit-deny', reason: accountAllows ? 'no-identity-allow' : 'no-resource-allow' };
  }
  if (identityAllows || resourceAllows) return { decision: 'allow', reason: 'allowed' };
  return { decision: 'implicit-deny', reason: 'role' in request.principal ? 'no-identity-allow' : 'no-resource-allow' };
};

/** The context keys a set of statements' conditions read (lower case): what a decision may depend on. */
export const conditionKeysOf = (statements: readonly PolicyStatement[]): Set<string> =>
  new Set(
    statements
      .flatMap((s) => Object.values(s.Condition ?? {}).flatMap((keys) => Object.keys(keys)))
      .map((k) => k.toLowerCase()),
  );
