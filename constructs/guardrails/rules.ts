/**
 * The guardrail rule registry: for each rule of the catalog (`catalog.ts`), the check that
 * reads a resource's synthesized configuration and returns what is wrong with it.
 *
 * A check returns one message per problem (empty when the resource complies). Messages say
 * what was found; the rule's `fix` (catalog) says what to do.
 */
import { parse as parseYaml } from 'yaml';
import { RULES, type RuleId, type RuleInfo } from '../../envs/guardrail-catalog';
import {
  VARIABLE_TYPE,
  asList,
  references,
  type ElementView,
  type Json,
  type StackView,
} from './view';
import { publicLoadBalancerReason } from './markers';
import { findSecrets, isExpression, isSecretKey, secretValueKind } from './secrets';

/** A rule: its catalog entry plus the check. */
export interface Rule extends RuleInfo {
  readonly id: RuleId;
  /**
   * Problems of `element` (one of the rule's `types`) in `stack`; `[]` when it complies.
   */
  check(element: ElementView, stack: StackView): string[];
}

const WORLD = ['0.0.0.0/0', '::/0'];
const isTrue = (v: unknown) => v === true || v === 'true';

/** `metadata_options.http_tokens` must be `required` (IMDS off entirely is also fine). */
function checkImds(el: ElementView): string[] {
  const mo = asList(el.config.metadata_options)[0];
  if (mo?.http_endpoint === 'disabled') return [];
  if (mo?.http_tokens === 'required') return [];
  return [
    `metadata_options.http_tokens is ${mo?.http_tokens ? `"${mo.http_tokens}"` : 'not set (IMDSv1 allowed)'}`,
  ];
}

function checkEbs(el: ElementView): string[] {
  const c = el.config;
  switch (el.type) {
    case 'aws_ebs_volume':
      return isTrue(c.encrypted) ? [] : ['encrypted is not true'];
    case 'aws_instance': {
      const out: string[] = [];
      for (const d of asList(c.root_block_device))
        if (!isTrue(d.encrypted)) out.push('root_block_device.encrypted is not true');
      asList(c.ebs_block_device).forEach((d, i) => {
        if (!isTrue(d.encrypted))
          out.push(`ebs_block_device[${i}] (${d.device_name ?? '?'}).encrypted is not true`);
      });
      return out;
    }
    case 'aws_launch_template': {
      const out: string[] = [];
      asList(c.block_device_mappings).forEach((m, i) => {
        if (m.no_device || m.virtual_name) return;
        const ebs = asList(m.ebs)[0];
        if (!isTrue(ebs?.encrypted))
          out.push(
            `block_device_mappings[${i}] (${m.device_name ?? '?'}).ebs.encrypted is not "true"`,
          );
      });
      return out;
    }
    default:
      return [];
  }
}

/** Resources of `type` in the stack whose `bucket` argument is this bucket (by reference or literal name). */
function bucketCompanions(el: ElementView, stack: StackView, type: string): ElementView[] {
  const name = el.config.bucket;
  return stack
    .resources(type)
    .filter(
      (r) =>
        references(r.config.bucket, el) ||
        (typeof name === 'string' && !isExpression(name) && r.config.bucket === name),
    );
}

function checkBucketEncryption(el: ElementView, stack: StackView): string[] {
  const sse = bucketCompanions(el, stack, 'aws_s3_bucket_server_side_encryption_configuration');
  if (sse.length === 0)
    return ['no aws_s3_bucket_server_side_encryption_configuration for this bucket in the stack'];
  const algorithms = sse.flatMap((s) =>
    asList(s.config.rule).map(
      (r) => asList(r.apply_server_side_encryption_by_default)[0]?.sse_algorithm,
    ),
  );
  return algorithms.some((a) => typeof a === 'string' && a.length > 0)
    ? []
    : ['the encryption configuration sets no sse_algorithm'];
}

function checkBucketPublicAccess(el: ElementView, stack: StackView): string[] {
  const blocks = bucketCompanions(el, stack, 'aws_s3_bucket_public_access_block');
  if (blocks.length === 0)
    return ['no aws_s3_bucket_public_access_block for this bucket in the stack'];
  const keys = [
    'block_public_acls',
    'block_public_policy',
    'ignore_public_acls',
    'restrict_public_buckets',
  ];
  const off = keys.filter((k) => !blocks.some((b) => isTrue(b.config[k])));
  return off.length === 0 ? [] : [`public access block leaves ${off.join(', ')} off`];
}

function checkSqs(el: ElementView): string[] {
  const c = el.config;
  return isTrue(c.sqs_managed_sse_enabled) || c.kms_master_key_id
    ? []
    : ['neither sqs_managed_sse_enabled nor kms_master_key_id is set'];
}

function checkLogGroup(el: ElementView): string[] {
  return el.config.kms_key_id ? [] : ['kms_key_id is not set'];
}

function checkEksSecrets(el: ElementView): string[] {
  const ok = asList(el.config.encryption_config).some(
    (e) => asList(e.resources).includes('secrets') && asList(e.provider)[0]?.key_arn,
  );
  return ok ? [] : ['no encryption_config for "secrets" with a provider key_arn'];
}

function checkEksEndpoint(el: ElementView): string[] {
  const vpc = asList(el.config.vpc_config)[0] ?? {};
  // AWS default: public endpoint on, open to 0.0.0.0/0.
  if (vpc.endpoint_public_access === false || vpc.endpoint_public_access === 'false') return [];
  const cidrs = asList<string>(vpc.public_access_cidrs);
  if (cidrs.length === 0)
    return ['the public endpoint is on and public_access_cidrs is unset (defaults to 0.0.0.0/0)'];
  const open = cidrs.filter((c) => WORLD.includes(c));
  return open.length ? [`the public endpoint is open to ${open.join(', ')}`] : [];
}

/** Control-plane log types the baseline requires. */
export const REQUIRED_EKS_LOG_TYPES = ['api', 'audit', 'authenticator'];

function checkEksLogs(el: ElementView): string[] {
  const types = asList<string>(el.config.enabled_cluster_log_types);
  const missing = REQUIRED_EKS_LOG_TYPES.filter((t) => !types.includes(t));
  return missing.length ? [`enabled_cluster_log_types lacks ${missing.join(', ')}`] : [];
}

function checkFlowLogs(el: ElementView, stack: StackView): string[] {
  const logs = stack.resources('aws_flow_log').filter((f) => references(f.config.vpc_id, el));
  return logs.length ? [] : ['no aws_flow_log with vpc_id = this VPC in the stack'];
}

function checkIngress(el: ElementView): string[] {
  if (publicLoadBalancerReason(el.construct)) return [];
  const c = el.config;
  const describe = (r: Json) =>
    `${r.protocol ?? r.ip_protocol ?? '?'} ${r.from_port ?? '?'}-${r.to_port ?? '?'}`;
  const open = (r: Json) =>
    [
      ...asList<string>(r.cidr_blocks),
      ...asList<string>(r.ipv6_cidr_blocks),
      r.cidr_ipv4,
      r.cidr_ipv6,
    ].filter((x) => WORLD.includes(x));
  switch (el.type) {
    case 'aws_security_group':
      return asList(c.ingress).flatMap((r, i) =>
        open(r).map((w) => `ingress[${i}] (${describe(r)}) allows ${w}`),
      );
    case 'aws_security_group_rule':
      return c.type === 'ingress'
        ? open(c).map((w) => `ingress rule (${describe(c)}) allows ${w}`)
        : [];
    case 'aws_vpc_security_group_ingress_rule':
      return open(c).map((w) => `ingress rule (${describe(c)}) allows ${w}`);
    default:
      return [];
  }
}

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

function checkOidcTrust(el: ElementView): string[] {
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

/** An exact SemVer 2 version, optionally with a leading `v`. */
export const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

function checkHelmVersion(el: ElementView): string[] {
  const v = el.config.version;
  if (v === undefined || v === null || v === '')
    return ['version is not set (the newest chart would be installed)'];
  if (typeof v !== 'string' || isExpression(v)) return [];
  return EXACT_VERSION.test(v) ? [] : [`version "${v}" is not an exact x.y.z`];
}

/** Parsed Helm values per release view: three rules read them, YAML is parsed once. */
const PARSED_VALUES = new WeakMap<ElementView, { at: string; values: unknown }[]>();

/**
 * The Helm values of a release as objects: each `values` entry parsed as YAML, once per
 * release (cached), skipping whole-string expressions (`${yamlencode(…)}`) and entries that
 * are not valid YAML.
 * @param el a `helm_release` view
 * @returns one `{ at: "values[i]", values }` per readable entry
 */
export function helmValues(el: ElementView): { at: string; values: unknown }[] {
  let parsed = PARSED_VALUES.get(el);
  if (!parsed) {
    parsed = asList<unknown>(el.config.values).flatMap((v, i) => {
      // A whole-string expression cannot be read; YAML with embedded references can.
      if (typeof v !== 'string' || /^\$\{[\s\S]*\}$/.test(v.trim())) return [];
      try {
        return [{ at: `values[${i}]`, values: parseYaml(v) as unknown }];
      } catch {
        return [];
      }
    });
    PARSED_VALUES.set(el, parsed);
  }
  return parsed;
}

/** Why an image reference is unpinned (tag `latest` or no tag and no digest), or undefined. */
export function unpinnedImage(image: string): string | undefined {
  if (isExpression(image) || image.includes('@sha256:')) return undefined;
  const name = image.slice(image.lastIndexOf('/') + 1);
  const colon = name.indexOf(':');
  if (colon < 0) return `image "${image}" has no tag`;
  return name.slice(colon + 1).toLowerCase() === 'latest'
    ? `image "${image}" uses tag latest`
    : undefined;
}

/** Every unpinned image in a values tree: `tag: latest`, or an `image` string that is unpinned. */
function imageProblems(doc: unknown, at: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}[${i}]`));
    if (!v || typeof v !== 'object') return;
    const obj = v as Record<string, unknown>;
    for (const [k, x] of Object.entries(obj)) {
      const p = `${path}.${k}`;
      if (
        /^(tag|imageTag)$/i.test(k) &&
        typeof x === 'string' &&
        x.trim().toLowerCase() === 'latest'
      )
        out.push(`${p} is "latest"`);
      else if (/^image$/i.test(k) && typeof x === 'string') {
        const hasSiblingTag = ['tag', 'imageTag', 'version'].some(
          (t) => typeof obj[t] === 'string' && obj[t] !== '',
        );
        const bad = unpinnedImage(x);
        if (bad && !(hasSiblingTag && bad.endsWith('has no tag'))) out.push(`${p}: ${bad}`);
      } else walk(x, p);
    }
  };
  walk(doc, at);
  return out;
}

function checkImages(el: ElementView): string[] {
  if (el.type === 'helm_release') {
    const out = helmValues(el).flatMap(({ at, values }) => imageProblems(values, at));
    for (const s of [...asList(el.config.set)]) {
      const name = String(s.name ?? '');
      const value = String(s.value ?? '');
      if (/(^|\.)(tag|imageTag)$/.test(name) && value.toLowerCase() === 'latest')
        out.push(`set ${name} is "latest"`);
      if (/(^|\.)image$/.test(name) && unpinnedImage(value)?.endsWith('latest'))
        out.push(`set ${name}: ${unpinnedImage(value)}`);
    }
    return out;
  }
  const root = el.type === 'kubernetes_manifest' ? el.config.manifest : el.config.spec;
  return imageProblems(root, el.type === 'kubernetes_manifest' ? 'manifest' : 'spec');
}

/** `an AWS access key ID`, `a private key`: the kind with its indefinite article. */
const aKind = (kind: string) => `${/^[AEIOU]/i.test(kind) ? 'an' : 'a'} ${kind}`;

function checkSecrets(el: ElementView): string[] {
  const c = el.config;
  if (el.type === VARIABLE_TYPE) {
    // A default is written to cdktf.out; a secret variable must have none.
    const name = el.construct.friendlyUniqueId;
    const d = c.default;
    if (typeof d === 'string') {
      if (d === '' || isExpression(d)) return [];
      const kind = secretValueKind(d);
      if (kind) return [`default of variable "${name}" looks like ${aKind(kind)}`];
      return isSecretKey(name) ? [`variable "${name}" has a literal default`] : [];
    }
    return findSecrets(d, 'default').map((f) => `${f.path}: ${f.kind} (${f.preview})`);
  }
  if (el.type === 'tfe_variable') {
    const value = c.value;
    if (typeof value !== 'string' || value === '' || isExpression(value)) return [];
    const kind = secretValueKind(value);
    if (kind) return [`value of variable "${c.key}" looks like ${aKind(kind)}`];
    if (isSecretKey(String(c.key ?? '')))
      return [
        `variable "${c.key}" has a literal value${isTrue(c.sensitive) ? ' (sensitive still puts it in the repository and cdktf.out)' : ''}`,
      ];
    return [];
  }
  const out = helmValues(el).flatMap(({ at, values }) =>
    findSecrets(values, at).map((f) => `${f.path}: ${f.kind} (${f.preview})`),
  );
  for (const s of asList(c.set)) {
    const name = String(s.name ?? '');
    const value = s.value;
    if (typeof value !== 'string' || value === '' || isExpression(value)) continue;
    const kind =
      secretValueKind(value) ??
      (isSecretKey(name.split('.').pop() ?? name) ? 'literal under a secret-like key' : undefined);
    if (kind) out.push(`set ${name}: ${kind}`);
  }
  for (const s of asList(c.set_sensitive)) {
    if (typeof s.value === 'string' && s.value !== '' && !isExpression(s.value)) {
      out.push(
        `set_sensitive ${s.name} has a literal value (it is still in the repository and cdktf.out)`,
      );
    }
  }
  return out;
}

/** Whether a `kubernetes_manifest` is a stateful custom resource (a CloudNativePG cluster). */
function statefulManifest(config: Record<string, Json>): string | undefined {
  const m = config.manifest;
  if (!m || typeof m !== 'object') return undefined;
  if (
    m.kind === 'Cluster' &&
    typeof m.apiVersion === 'string' &&
    m.apiVersion.startsWith('postgresql.cnpg.io/')
  )
    return 'CloudNativePG Cluster';
  return undefined;
}

/** Whether a values tree holds a CloudNativePG `Cluster` manifest (a raw-manifests Helm release). */
function holdsStatefulManifest(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(holdsStatefulManifest);
  if (!v || typeof v !== 'object') return false;
  if (statefulManifest({ manifest: v })) return true;
  return Object.values(v).some(holdsStatefulManifest);
}

function checkProtected(el: ElementView): string[] {
  const c = el.config;
  if (el.type === 'kubernetes_manifest' && !statefulManifest(c)) return [];
  if (
    el.type === 'helm_release' &&
    !helmValues(el).some(({ values }) => holdsStatefulManifest(values))
  )
    return [];
  const lifecycle = asList(c.lifecycle)[0] ?? {};
  if (
    isTrue(lifecycle.prevent_destroy) ||
    isTrue(c.deletion_protection) ||
    isTrue(c.deletion_protection_enabled)
  )
    return [];
  return ['neither lifecycle.prevent_destroy nor deletion protection is set'];
}

const CHECKS: Record<RuleId, Rule['check']> = {
  'LZ-IMDS-001': checkImds,
  'LZ-EBS-001': checkEbs,
  'LZ-S3-001': checkBucketEncryption,
  'LZ-S3-002': checkBucketPublicAccess,
  'LZ-SQS-001': checkSqs,
  'LZ-LOG-001': checkLogGroup,
  'LZ-EKS-001': checkEksSecrets,
  'LZ-EKS-002': checkEksEndpoint,
  'LZ-EKS-003': checkEksLogs,
  'LZ-VPC-001': checkFlowLogs,
  'LZ-SG-001': checkIngress,
  'LZ-OIDC-001': checkOidcTrust,
  'LZ-HELM-001': checkHelmVersion,
  'LZ-IMG-001': checkImages,
  'LZ-SECRET-001': checkSecrets,
  'LZ-PROTECT-001': checkProtected,
};

/** Every rule with its check, in catalog order. */
export const RULE_REGISTRY: readonly Rule[] = (Object.keys(RULES) as RuleId[]).map((id) => ({
  ...RULES[id],
  check: CHECKS[id],
}));

/** Rules by the Terraform type they visit. */
export function rulesByType(rules: readonly Rule[] = RULE_REGISTRY): Map<string, Rule[]> {
  const map = new Map<string, Rule[]>();
  for (const r of rules) for (const t of r.types) map.set(t, [...(map.get(t) ?? []), r]);
  return map;
}
