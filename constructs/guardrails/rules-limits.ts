/**
 * Guardrail check of argument limits Terraform or IAM would reject only at plan or apply time,
 * and only at the sizes a grown organization reaches (rule `LZ-IAM-001`).
 *
 * Limits, with their sources:
 * - hashicorp/aws `internal/service/iam/role.go` (v5.x, the pinned 5.100.0 included):
 *   `name` `validResourceName(roleNameMaxLen)` with `roleNameMaxLen = 64`; `name_prefix`
 *   `roleNameMaxLen - id.UniqueIDSuffixLength` = 38; `description`
 *   `validation.StringLenBetween(0, 1000)` and not matching `[“‘]`; `path`
 *   `validation.StringLenBetween(0, 512)`.
 * - IAM quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html):
 *   "Role trust policy length | 2048 characters" (default; adjustable to 4,096) and "IAM
 *   doesn't count white space when calculating the size of a policy".
 *
 * Values that hold Terraform expressions (`${…}`) are measured without them: a lower bound,
 * so the check never fires on a value that fits, and always on literal text that does not.
 */
import { asList, type ElementView, type Json, type StackView } from './view';

/** Maximum lengths of `aws_iam_role` arguments (characters). */
export const IAM_ROLE_LIMITS = {
  name: 64,
  name_prefix: 38,
  path: 512,
  description: 1000,
  /** The default quota (no whitespace counted). */
  assume_role_policy: 2048,
} as const;

/** `value` without its `${…}` expressions (a lower bound of its rendered length). */
function literal(value: string): string {
  return value.replace(/\$\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}/g, '');
}

/** `x` as a JSON string or list the way the provider renders policy document fields. */
const one = (xs: unknown[]): unknown => (xs.length === 1 ? xs[0] : xs);

/**
 * The JSON an `aws_iam_policy_document` renders (the fields hashicorp/aws
 * `data_source_policy_document.go` emits: Version, Statement[Sid, Effect, Action, NotAction,
 * Resource, NotResource, Principal, NotPrincipal, Condition]), expressions dropped.
 */
function renderDocument(config: Json): string {
  const principals = (ps: Json[]) =>
    ps.length ? Object.fromEntries(ps.map((p) => [p.type, one(asList(p.identifiers))])) : undefined;
  const statements = asList(config.statement).map((s: Json) => {
    const condition: Record<string, Record<string, unknown>> = {};
    for (const c of asList(s.condition))
      (condition[c.test] ??= {})[c.variable] = one(asList(c.values));
    return {
      Sid: s.sid,
      Effect: s.effect ?? 'Allow',
      Action: s.actions ? one(asList(s.actions)) : undefined,
      NotAction: s.not_actions ? one(asList(s.not_actions)) : undefined,
      Resource: s.resources ? one(asList(s.resources)) : undefined,
      NotResource: s.not_resources ? one(asList(s.not_resources)) : undefined,
      Principal: principals(asList(s.principals)),
      NotPrincipal: principals(asList(s.not_principals)),
      Condition: Object.keys(condition).length ? condition : undefined,
    };
  });
  return literal(
    JSON.stringify({ Version: config.version ?? '2012-10-17', Statement: statements }),
  );
}

/** The trust policy's length lower bound: a literal JSON, or a same-stack policy document. */
function trustPolicyLength(el: ElementView, stack: StackView): number | undefined {
  const raw = el.config.assume_role_policy;
  if (typeof raw !== 'string') return undefined;
  const ref = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/.exec(raw.trim());
  if (ref) {
    const doc = stack
      .dataSources('aws_iam_policy_document')
      .find((d) => d.address.endsWith(`.${ref[1]}`));
    return doc ? renderDocument(doc.config).length : undefined;
  }
  return literal(raw).replace(/\s/g, '').length;
}

/** `LZ-IAM-001`: `aws_iam_role` name, name prefix, path, description and trust policy within IAM's limits. */
export function checkIamRoleLimits(el: ElementView, stack: StackView): string[] {
  const out: string[] = [];
  for (const key of ['name', 'name_prefix', 'path', 'description'] as const) {
    const v = el.config[key];
    if (typeof v !== 'string') continue;
    const n = literal(v).length;
    if (n > IAM_ROLE_LIMITS[key])
      out.push(`${key} has ${n} characters (at least), more than ${IAM_ROLE_LIMITS[key]}`);
  }
  const d = el.config.description;
  // (escapes: esbuild writes a regular expression's characters as they are, bin/app.js)
  if (typeof d === 'string' && /[\u201C\u2018]/.test(d))
    out.push('description contains “ or ‘, which the provider rejects');
  const trust = trustPolicyLength(el, stack);
  if (trust !== undefined && trust > IAM_ROLE_LIMITS.assume_role_policy)
    out.push(
      `assume_role_policy renders to ${trust} characters (at least, without whitespace), more than the ${IAM_ROLE_LIMITS.assume_role_policy}-character trust policy quota`,
    );
  return out;
}
