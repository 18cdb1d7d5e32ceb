/**
 * The guardrail rule registry: for each rule of the catalog (`envs/guardrail-catalog.ts`), the check that
 * reads a resource's synthesized configuration and returns what is wrong with it.
 *
 * A check returns one message per problem (empty when the resource complies). Messages say
 * what was found; the rule's `fix` (catalog) says what to do.
 */
import { RULES, type RuleId, type RuleInfo } from '../../envs/guardrail-catalog';
import { asList, isTrue, references, type ElementView, type Json, type StackView } from './view';
import { publicLoadBalancerReason } from './markers';
import { isExpression } from './secrets';

import { checkOidcTrust } from './rules-identity';
import { checkHelmVersion, checkImages, checkProtected, checkSecrets } from './rules-workloads';
import { checkIamRoleLimits } from './rules-limits';
import { checkLogArchiveLock, checkScpAttachment, checkScpStatements } from './rules-organization';

export { wildcardSubject } from './rules-identity';
export { EXACT_VERSION, helmValues, unpinnedImage } from './rules-workloads';

/** A rule: its catalog entry plus the check. */
export interface Rule extends RuleInfo {
  readonly id: RuleId;
  /**
   * Problems of `element` (one of the rule's `types`) in `stack`; `[]` when it complies.
   */
  check(element: ElementView, stack: StackView): string[];
}

const WORLD = ['0.0.0.0/0', '::/0'];

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
  'LZ-IAM-001': checkIamRoleLimits,
  'LZ-SCP-001': checkScpAttachment,
  'LZ-SCP-002': checkScpStatements,
  'LZ-S3-003': checkLogArchiveLock,
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
