/**
 * Reads from synthesized stacks (`cdk.tf.json`) which Terraform Cloud workspace may assume
 * which IAM role: the `app.terraform.io:sub` values of OIDC trust policies, whether the role
 * is an `aws_iam_role` (its `assume_role_policy` inline or from an `aws_iam_policy_document`)
 * or an `AWS::IAM::Role` in a CloudFormation template (`template_body` of a stack or stack set).
 *
 * The subject format is Terraform Cloud's workload identity token `sub` claim:
 * `organization:<org>:project:<project>:workspace:<workspace>:run_phase:<plan|apply>`
 * (https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/workload-identity-tokens).
 */

/** One trust relation: `workspace` in `phase` may assume `role`. */
export interface TrustEntry {
  /** TFC workspace name (`acme-network`), or `*` for a wildcard subject. */
  readonly workspace: string;
  /** Run phase (`plan`, `apply`, or `*`). */
  readonly phase: string;
  /** Role name, or the Terraform address of what holds the trust if the name is not literal. */
  readonly role: string;
  /** Stack whose JSON holds the trust policy. */
  readonly stack: string;
  /** Provider alias the role is created with (the account it lives in), if not the default. */
  readonly provider?: string;
}

/** A synthesized stack as JSON (the parts read here). */
export type StackJson = {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
};

const SUBJECT = /organization:[^:"\s]+:project:[^:"\s]+:workspace:([^:"\s]+):run_phase:([a-z*]+)/g;

/** Every (workspace, phase) subject in a value (any depth, strings included). */
export function subjectsIn(value: unknown): { workspace: string; phase: string }[] {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  return [...text.matchAll(SUBJECT)].map((m) => ({ workspace: m[1], phase: m[2] }));
}

/** `aws.production` → `production`; undefined for the default provider. */
const alias = (provider: unknown): string | undefined =>
  typeof provider === 'string' && provider.includes('.') ? provider.split('.')[1] : undefined;

/** The roles of a CloudFormation template body, if it is JSON: `[roleName, policy]`. */
function templateRoles(body: unknown): [string, unknown][] {
  if (typeof body !== 'string') return [];
  try {
    type Resource = {
      Type?: string;
      Properties?: { RoleName?: unknown; AssumeRolePolicyDocument?: unknown };
    };
    const t = JSON.parse(body) as { Resources?: Record<string, Resource> };
    return Object.entries(t.Resources ?? {})
      .filter(([, r]) => r.Type === 'AWS::IAM::Role')
      .map(([id, r]) => [
        typeof r.Properties?.RoleName === 'string' ? r.Properties.RoleName : id,
        r.Properties?.AssumeRolePolicyDocument,
      ]);
  } catch {
    return [];
  }
}

/**
 * Every trust entry of the stacks, in stack order, then role order.
 * @param stacks synthesized JSON by stack ID
 */
export function trustEntries(stacks: Readonly<Record<string, StackJson>>): TrustEntry[] {
  const out: TrustEntry[] = [];
  for (const [stack, json] of Object.entries(stacks)) {
    const docs = json.data?.aws_iam_policy_document ?? {};
    const claimed = new Set<string>();
    for (const [key, role] of Object.entries(json.resource?.aws_iam_role ?? {})) {
      const policy = String(role.assume_role_policy ?? '');
      const ref = /\$\{data\.aws_iam_policy_document\.([^.}]+)\.json\}/.exec(policy);
      if (ref) claimed.add(ref[1]);
      const source = ref ? docs[ref[1]] : policy;
      const name = typeof role.name === 'string' ? role.name : `aws_iam_role.${key}`;
      for (const s of subjectsIn(source))
        out.push({ ...s, role: name, stack, provider: alias(role.provider) });
    }
    for (const type of ['aws_cloudformation_stack_set', 'aws_cloudformation_stack']) {
      for (const [key, r] of Object.entries(json.resource?.[type] ?? {})) {
        const roles = templateRoles(r.template_body);
        // A template that is not literal JSON (e.g. built with jsonencode): its subjects, by address.
        if (roles.length === 0) roles.push([`${type}.${key}`, r.template_body]);
        for (const [name, policy] of roles)
          for (const s of subjectsIn(policy))
            out.push({ ...s, role: name, stack, provider: `${type}.${key}` });
      }
    }
    // Trust policies not attached to a role found above (e.g. a role made another way).
    for (const [key, doc] of Object.entries(docs)) {
      if (claimed.has(key)) continue;
      for (const s of subjectsIn(doc))
        out.push({
          ...s,
          role: `data.aws_iam_policy_document.${key}`,
          stack,
          provider: alias(doc.provider),
        });
    }
  }
  return out;
}
