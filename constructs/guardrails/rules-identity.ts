/**
 * Guardrail checks of identity: web-identity (OIDC) trust policies of IAM roles, in policy documents and in raw IAM JSON.
 * Registered in `rules.ts`; each check returns one message per problem.
 */
import { asList, type ElementView, type Json } from './view';
import { isExpression } from './secrets';

/** One trust condition, normalized from a policy document or IAM JSON. */
interface Condition {
  readonly test: string;
  readonly variable: string;
  readonly values: string[];
}

/** Problems of one web-identity trust statement given its conditions. */
function webIdentityProblems(where: string, conditions: Condition[]): string[] {
  const out: string[] = [];
  const aud = conditions.filter((c) => /(^|:)aud$/.test(c.variable));
  if (aud.length === 0) out.push(`${where}: no audience (":aud") condition`);
  for (const c of aud) {
    if (c.values.length === 0 || c.values.some((v) => /[*?]/.test(v)))
      out.push(`${where}: audience condition ${c.variable} has a wildcard or no value`);
  }
  const sub = conditions.filter((c) => /(^|:)sub$/.test(c.variable));
  if (sub.length === 0)
    out.push(
      `${where}: no subject (":sub") condition: any identity of the provider may assume the role`,
    );
  for (const c of sub) {
    if (c.values.length === 0) out.push(`${where}: subject condition ${c.variable} has no value`);
    for (const v of c.values) {
      const bad = wildcardSubject(v);
      if (bad) out.push(`${where}: subject "${v}" ${bad}`);
    }
  }
  return out;
}

/**
 * Why an OIDC subject is too broad, or undefined. Terraform Cloud subjects
 * (`organization:O:project:P:workspace:W:run_phase:R`) must name organization, project and
 * workspace without wildcards (`run_phase:*` is allowed); any other subject must not contain
 * `*` or `?`.
 * Source: https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/workload-identity-tokens
 */
export function wildcardSubject(subject: string): string | undefined {
  if (/(^|:)organization:/.test(subject)) {
    const parts = subject.split(':');
    for (const field of ['organization', 'project', 'workspace']) {
      const i = parts.indexOf(field);
      if (i < 0 || i + 1 >= parts.length) return `does not name the ${field}`;
      if (/[*?]/.test(parts[i + 1])) return `has a wildcard ${field}`;
    }
    return undefined;
  }
  return /[*?]/.test(subject) ? 'has a wildcard' : undefined;
}

const WEB_IDENTITY = (actions: string[]) =>
  actions.some((a) => a === 'sts:AssumeRoleWithWebIdentity' || a === 'sts:*' || a === '*');

export function checkOidcTrust(el: ElementView): string[] {
  if (el.type === 'aws_iam_policy_document') {
    return asList(el.config.statement).flatMap((s, i) => {
      if (s.effect === 'Deny' || !WEB_IDENTITY(asList(s.actions))) return [];
      const conditions = asList(s.condition).map((c) => ({
        test: c.test,
        variable: String(c.variable ?? ''),
        values: asList<string>(c.values),
      }));
      return webIdentityProblems(`statement[${i}]${s.sid ? ` (${s.sid})` : ''}`, conditions);
    });
  }
  // aws_iam_role with a literal JSON trust policy (documents should come from aws_iam_policy_document).
  const raw = el.config.assume_role_policy;
  if (typeof raw !== 'string' || isExpression(raw)) return [];
  let doc: Json;
  try {
    doc = JSON.parse(raw);
  } catch {
    return [];
  }
  return asList(doc.Statement).flatMap((s: Json, i) => {
    if (s.Effect === 'Deny' || !WEB_IDENTITY(asList(s.Action))) return [];
    const conditions: Condition[] = Object.entries(s.Condition ?? {}).flatMap(([test, vars]) =>
      Object.entries(vars as Record<string, unknown>).map(([variable, values]) => ({
        test,
        variable,
        values: asList<string>(values),
      })),
    );
    return webIdentityProblems(`assume_role_policy Statement[${i}]`, conditions);
  });
}
