/**
 * Guardrail checks of the organization: where SCPs are attached, which protective statements
 * they carry (and that no exempt principal is a name anyone could create), and the log
 * archive's lock. Registered in `rules.ts`; each check returns one message per problem.
 */
import { TerraformDataSource } from 'cdktf';
import { asList, references, type ElementView, type Json, type StackView } from './view';
import { isLogArchive, scpExceptionReason } from './markers';

/** A target ID that is the organization root: `roots[0].id` of the organization, or `r-…`. */
const ROOT_TARGET = /(aws_organizations_organization\.[\w-]+\.roots\[0\]\.id|^r-[0-9a-z]{4,32}$)/;

/** SCPs must be attached at the root (OUs created later are then covered), unless marked. */
export function checkScpAttachment(el: ElementView, stack: StackView): string[] {
  if ((el.config.type ?? 'SERVICE_CONTROL_POLICY') !== 'SERVICE_CONTROL_POLICY') return [];
  if (scpExceptionReason(el.construct)) return [];
  const targets = stack
    .resources('aws_organizations_policy_attachment')
    .filter((a) => references(a.config.policy_id, el))
    .map((a) => String(a.config.target_id ?? ''));
  if (targets.some((t) => ROOT_TARGET.test(t))) return [];
  return targets.length === 0
    ? ['the SCP is attached to no target in the stack']
    : [`the SCP is attached to ${targets.join(', ')} but not to the organization root`];
}

/** Policy documents (`aws_iam_policy_document`) referenced by an element's `attribute`. */
function documentsOf(stack: StackView, elements: ElementView[], attribute: string): Json[] {
  const docs = stack.stack.node
    .findAll()
    .filter(
      (c): c is TerraformDataSource =>
        TerraformDataSource.isTerraformDataSource(c) &&
        c.terraformResourceType === 'aws_iam_policy_document',
    )
    .map((c) => stack.of(c));
  return docs
    .filter((d) => elements.some((e) => references(e.config[attribute], d)))
    .flatMap((d) => asList(d.config.statement));
}

const has = (s: Json, field: string, values: string[]) =>
  values.every((v) => asList<string>(s[field]).includes(v));
const denies = (s: Json) => s.effect === 'Deny';

/** Actions the role-protection statement must deny (create included: no name can be recreated). */
export const REQUIRED_ROLE_DENIES = [
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:AttachRolePolicy',
  'iam:PutRolePolicy',
  'iam:TagRole',
];

/** An IAM ARN pattern (`*`, `?`) as a regular expression. */
const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

/** Principal conditions that exempt principals from a Deny statement. */
const EXEMPTING = ['ArnNotLike', 'ArnNotEquals', 'StringNotLike', 'StringNotEquals'];

/**
 * The organization's SCPs (in the stack that has the organization) deny leaving the
 * organization, regions outside the allow-list, changes to the landing zone's roles (create
 * included) and to its OIDC provider; every principal a Deny exempts is a role name the role
 * protection covers (else an administrator creates that role and escapes every SCP).
 */
export function checkScpStatements(_el: ElementView, stack: StackView): string[] {
  const statements = documentsOf(stack, stack.resources('aws_organizations_policy'), 'content');
  const out: string[] = [];
  const denyStatements = statements.filter(denies);
  if (!denyStatements.some((s) => has(s, 'actions', ['organizations:LeaveOrganization'])))
    out.push('no SCP denies organizations:LeaveOrganization');
  if (
    !denyStatements.some(
      (s) =>
        asList(s.not_actions).length > 0 &&
        asList(s.condition).some((c) => c.variable === 'aws:RequestedRegion'),
    )
  )
    out.push('no SCP denies requests outside the allowed regions (aws:RequestedRegion)');
  const roleProtection = denyStatements.filter((s) => has(s, 'actions', REQUIRED_ROLE_DENIES));
  if (roleProtection.length === 0)
    out.push(`no SCP denies ${REQUIRED_ROLE_DENIES.join(', ')} on the landing zone's roles`);
  if (!denyStatements.some((s) => has(s, 'actions', ['iam:DeleteOpenIDConnectProvider'])))
    out.push('no SCP denies iam:DeleteOpenIDConnectProvider on the OIDC provider');
  const protectedRoles = roleProtection
    .flatMap((s) => asList<string>(s.resources))
    .filter((r) => /:role\//.test(r))
    .map(glob);
  denyStatements.forEach((s) => {
    for (const c of asList(s.condition)) {
      if (!EXEMPTING.includes(c.test) || String(c.variable).toLowerCase() !== 'aws:principalarn')
        continue;
      for (const v of asList<string>(c.values)) {
        if (/:root$/.test(v)) continue;
        if (!protectedRoles.some((re) => re.test(v)))
          out.push(
            `statement ${s.sid ?? '?'} exempts "${v}", a principal no SCP forbids creating (anyone could create it and escape the policy)`,
          );
      }
    }
  });
  return out;
}

/** The log archive bucket has Object Lock or a bucket policy denying version deletion to everyone. */
export function checkLogArchiveLock(el: ElementView, stack: StackView): string[] {
  if (!isLogArchive(el.construct)) return [];
  const companion = (type: string) =>
    stack.resources(type).filter((r) => references(r.config.bucket, el));
  const locked = companion('aws_s3_bucket_object_lock_configuration').some(
    (l) => asList(asList(asList(l.config.rule)[0]?.default_retention)[0]?.mode).length > 0,
  );
  if (locked) return [];
  const statements = documentsOf(stack, companion('aws_s3_bucket_policy'), 'policy');
  const denyDelete = statements.some(
    (s) =>
      denies(s) &&
      has(s, 'actions', ['s3:DeleteObjectVersion']) &&
      asList(s.principals).some((p) => asList(p.identifiers).includes('*')) &&
      asList(s.condition).length === 0,
  );
  return denyDelete
    ? []
    : [
        'the log archive has neither an Object Lock default retention nor a bucket policy denying s3:DeleteObjectVersion to every principal',
      ];
}
