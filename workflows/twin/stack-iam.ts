// The stack's IAM as the synthesized template writes it (docs/contract.md §10.2.1), and the local twin's one way of
// asking it: may this principal (a function's role, the state machine's, the pipe's, the scheduler's, or a service
// such as EventBridge) take this action on this resource, with this context? Decided by policy-evaluation.ts from the
// role's statements, the resource's policy and, for an encrypted resource, the key policy; each decision kept, since
// a run asks the same few questions millions of times. A request refused fails as AWS fails it: AccessDeniedException,
// which nothing retries.
import {
  conditionKeysOf,
  evaluate,
  type Evaluation,
  type PolicyStatement,
  type Principal,
  type RequestContext,
} from './policy-evaluation';

/** Everything IAM decides with, read from the template with its references resolved to the twin's local ARNs. */
export interface TemplateIam {
  account: string;
  region: string;
  /**
   * Each role the twin acts as, by principal name (a function's handler folder, `state-machine`, `pipe`, `scheduler`):
   * its ARN and the statements of every policy the template attaches to it.
   */
  roles: Record<string, { arn: string; statements: PolicyStatement[] }>;
  /** Resource policies by the ARN of what they are on: the key's, each queue's, each bucket's (for its objects too). */
  resourcePolicies: Record<string, PolicyStatement[]>;
  /** The customer managed key each encrypted resource is encrypted with, by the resource's ARN. */
  keys: Record<string, string>;
  /** Each function's environment, references resolved: the table, queue, bus, secret and bucket its calls name. */
  environments: Record<string, Record<string, string>>;
  /** Each function's ARN, by handler folder. */
  functions: Record<string, string>;
  /** The state machine (whose executions' task tokens the functions send back). */
  stateMachine?: string;
  /** The table's stream (what the pipe reads). */
  stream?: string;
  /** The bus's rule for inbound events: its ARN, the queue it targets and its own dead-letter queue. */
  inboundRule?: { arn: string; queue: string; deadLetters?: string };
  /** The queue the intake's event source mapping polls. */
  intakeQueue?: string;
  /** The outbox pipe: the bus it puts events on. */
  pipe?: { target: string };
  /** The daily report's schedule: the function it invokes and its dead-letter queue. */
  schedule?: { target: string; deadLetters?: string };
}

/** An error as AWS answers a call the caller may not make. */
export class AccessDeniedException extends Error {
  override readonly name = 'AccessDeniedException';
}

/** Who asks: one of the template's roles by principal name, or an AWS service acting for the stack. */
export type Asker = string | { service: string };

const CACHE_LIMIT = 100_000;

/** Resources whose policy and key are their parent's: a bucket's objects, a table's indexes and stream. */
const parentOf = (arn: string): string | undefined => {
  const object = /^(arn:aws:s3:::[^/]+)\//.exec(arn);
  if (object) return object[1];
  const table = /^(arn:aws:dynamodb:[^:]*:[^:]*:table\/[^/]+)\//.exec(arn);
  return table?.[1];
};

interface Scope {
  principal: Principal;
  identity: readonly PolicyStatement[];
  resource?: readonly PolicyStatement[];
  keys: Set<string>;
  decisions: Map<string, Evaluation>;
}

export class StackIam {
  private readonly scopes = new Map<string, Map<string, Scope>>();

  constructor(readonly template: TemplateIam) {}

  /** Whether the principal is one of the template's roles (calls by anyone else are not a role's to refuse). */
  has(principal: string | undefined): principal is string {
    return principal !== undefined && principal in this.template.roles;
  }

  private readonly policies = new Map<string, { arn: string; statements?: PolicyStatement[] }>();
  /** The resource's own policy: its own, or its parent's (a bucket's for its objects). */
  private policyOf(resource: string): { arn: string; statements?: PolicyStatement[] } {
    let policy = this.policies.get(resource);
    if (!policy) {
      const own = this.template.resourcePolicies[resource];
      const parent = parentOf(resource);
      policy = own
        ? { arn: resource, statements: own }
        : parent
          ? { arn: parent, statements: this.template.resourcePolicies[parent] }
          : { arn: resource };
      if (this.policies.size >= CACHE_LIMIT) this.policies.clear();
      this.policies.set(resource, policy);
    }
    return policy;
  }

  private readonly encryptedBy = new Map<string, string | null>();
  /** The customer managed key a resource is encrypted with (its own, or its parent's), if any. */
  keyOf(resource: string): string | undefined {
    let key = this.encryptedBy.get(resource);
    if (key === undefined) {
      const parent = parentOf(resource);
      key = this.template.keys[resource] ?? (parent && this.template.keys[parent]) ?? null;
      if (this.encryptedBy.size >= CACHE_LIMIT) this.encryptedBy.clear();
      this.encryptedBy.set(resource, key);
    }
    return key ?? undefined;
  }

  /**
   * What a principal's decisions on one resource depend on: the policies that apply, the context keys their
   * conditions read, and the decisions made so far (by action and those keys' values).
   */
  private scopeOf(asker: Asker, resource: string): Scope {
    const name = typeof asker === 'string' ? asker : `service:${asker.service}`;
    let byResource = this.scopes.get(name);
    if (!byResource) this.scopes.set(name, (byResource = new Map()));
    let scope = byResource.get(resource);
    if (!scope) {
      const role = typeof asker === 'string' ? this.template.roles[asker] : undefined;
      const policy = this.policyOf(resource);
      scope = {
        principal: typeof asker === 'string' ? { role: role?.arn ?? name } : asker,
        identity: role?.statements ?? [],
        resource: policy.statements,
        keys: conditionKeysOf([...(role?.statements ?? []), ...(policy.statements ?? [])]),
        decisions: new Map(),
      };
      if (byResource.size >= CACHE_LIMIT) byResource.clear();
      byResource.set(resource, scope);
    }
    return scope;
  }

  /** AWS's decision on the request, kept by what it can depend on (the context keys the policies read). */
  decide(asker: Asker, action: string, resource: string, context?: RequestContext, keyPolicy = false): Evaluation {
    const scope = this.scopeOf(asker, resource);
    let id = action;
    if (context && scope.keys.size > 0)
      for (const key in context) {
        const value = context[key]!;
        if (scope.keys.has(key.toLowerCase()))
          id += `\n${key}=${typeof value === 'string' ? value : value.join('\u0001')}`;
      }
    const known = scope.decisions.get(id);
    if (known) return known;
    const { principal } = scope;
    const evaluation = evaluate(
      { identity: scope.identity, resource: scope.resource, keyPolicy, account: this.template.account },
      {
        principal,
        action,
        resource,
        // Every call is made over TLS, and a service acts for this account.
        context: {
          'aws:SecureTransport': 'true',
          ...('role' in principal
            ? { 'aws:PrincipalArn': principal.role }
            : { 'aws:SourceAccount': this.template.account }),
          ...context,
        },
      },
    );
    if (scope.decisions.size >= CACHE_LIMIT) scope.decisions.clear();
    scope.decisions.set(id, evaluation);
    return evaluation;
  }

  /** Throws AccessDeniedException, worded as AWS words it, unless the request is allowed. */
  refuse(asker: Asker, action: string, resource: string, context?: RequestContext): void {
    const evaluation = this.decide(asker, action, resource, context);
    if (evaluation.decision !== 'allow') throw this.denial(asker, action, resource, evaluation);
  }

  /**
   * Refuses a use of the key that encrypts `resource` (nothing to refuse when no customer managed key does), made
   * for the asker by `service` (`kms:ViaService`): the key policy must allow the principal, or allow the account and
   * the principal's own policies allow it.
   */
  refuseKeyUse(asker: Asker, actions: readonly string[], resource: string, service: string, context?: RequestContext) {
    // A use allowed once is allowed again: its context is the service's alone (and `actions`, a caller's constant).
    const use = context ? undefined : this.keyUses(asker, resource, service);
    if (use?.has(actions)) return;
    const key = this.keyOf(resource);
    if (!key) return;
    const via = context ? { ...this.viaService(service), ...context } : this.viaService(service);
    for (const action of actions) {
      const evaluation = this.decide(asker, action, key, via, true);
      if (evaluation.decision !== 'allow') throw this.denial(asker, action, key, evaluation, resource);
    }
    use?.add(actions);
  }

  private readonly allowedKeyUses = new Map<string, Map<string, WeakSet<readonly string[]>>>();
  /** The key uses found allowed for a principal on a resource through a service (by their list of actions). */
  private keyUses(asker: Asker, resource: string, service: string): WeakSet<readonly string[]> {
    const name = `${typeof asker === 'string' ? asker : `service:${asker.service}`}\n${service}`;
    let byResource = this.allowedKeyUses.get(name);
    if (!byResource) this.allowedKeyUses.set(name, (byResource = new Map()));
    let uses = byResource.get(resource);
    if (!uses) {
      if (byResource.size >= CACHE_LIMIT) byResource.clear();
      byResource.set(resource, (uses = new WeakSet()));
    }
    return uses;
  }

  private readonly services = new Map<string, RequestContext>();
  /** The context KMS sees for a request another service makes for the caller. */
  private viaService(service: string): RequestContext {
    let context = this.services.get(service);
    if (!context) {
      context = {
        'kms:ViaService': `${service}.${this.template.region}.amazonaws.com`,
        'kms:CallerAccount': this.template.account,
      };
      this.services.set(service, context);
    }
    return context;
  }

  private denial(asker: Asker, action: string, resource: string, evaluation: Evaluation, encrypted?: string) {
    const who =
      typeof asker === 'string'
        ? `User: arn:aws:sts::${this.template.account}:assumed-role/` +
          `${(this.template.roles[asker]?.arn ?? asker).split('/').at(-1)}/${asker}`
        : `Service ${asker.service}`;
    const why = {
      'identity-deny': 'with an explicit deny in an identity-based policy',
      'resource-deny': 'with an explicit deny in a resource-based policy',
      'no-identity-allow': `because no identity-based policy allows the ${action} action`,
      'no-resource-allow': `because no resource-based policy allows the ${action} action`,
      allowed: '',
    }[evaluation.reason];
    const of = encrypted ? ` (the key of ${encrypted})` : '';
    return new AccessDeniedException(
      `${who} is not authorized to perform: ${action} on resource: ${resource}${of} ${why}`,
    );
  }
}

const stacks = new WeakMap<TemplateIam, StackIam>();
/** The one checker of a template's IAM (its decisions kept), however many parts of the stack ask it. */
export const stackIam = (template: TemplateIam): StackIam => {
  let iam = stacks.get(template);
  if (!iam) stacks.set(template, (iam = new StackIam(template)));
  return iam;
};
