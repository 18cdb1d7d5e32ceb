/**
 * The guardrail rule catalog: every rule's ID, what it checks, what it prevents and how to
 * fix a violation. Pure data (no cdktf imports), so the environment schema can validate
 * suppression rule IDs against it; the checks themselves live in `rules.ts`.
 *
 * Rule IDs are stable: a suppression in an environment file names one, and docs/security.md
 * lists them all.
 */

/** Metadata of one guardrail rule. */
export interface RuleInfo {
  /** Stable ID, `LZ-<AREA>-<nnn>`. */
  readonly id: string;
  /** One-line statement of what must hold. */
  readonly title: string;
  /** The risk the rule prevents. */
  readonly prevents: string;
  /** How to fix a violation (printed with every violation). */
  readonly fix: string;
  /** Terraform resource / data source types the rule visits (`variable`: input variables). */
  readonly types: readonly string[];
}

const rule = <const T extends RuleInfo>(r: T): T => r;

/** Every rule, keyed by ID. */
export const RULES = {
  'LZ-IMDS-001': rule({
    id: 'LZ-IMDS-001',
    title: 'EC2 instances and launch templates require IMDSv2 (http_tokens = "required")',
    prevents:
      'SSRF-style theft of instance-role credentials through the unauthenticated IMDSv1 endpoint',
    fix: 'set metadata_options { http_tokens = "required" } (and keep http_endpoint "enabled" or omit it)',
    types: ['aws_instance', 'aws_launch_template'],
  }),
  'LZ-EBS-001': rule({
    id: 'LZ-EBS-001',
    title: 'EBS volumes and every declared block device are encrypted',
    prevents: 'unencrypted data at rest on volumes and snapshots shared from them',
    fix: 'set encrypted = true on aws_ebs_volume / root_block_device / ebs_block_device, or ebs { encrypted = "true" } in launch-template block_device_mappings',
    types: ['aws_ebs_volume', 'aws_instance', 'aws_launch_template'],
  }),
  'LZ-S3-001': rule({
    id: 'LZ-S3-001',
    title: 'every aws_s3_bucket has a server-side encryption configuration in the same stack',
    prevents: 'buckets without an explicit, reviewed encryption setting (SSE-KMS or SSE-S3)',
    fix: 'use constructs/shared/secure-bucket.ts (SecureBucket), or add an aws_s3_bucket_server_side_encryption_configuration whose bucket is this bucket',
    types: ['aws_s3_bucket'],
  }),
  'LZ-S3-002': rule({
    id: 'LZ-S3-002',
    title: 'every aws_s3_bucket has a public access block with all four settings true',
    prevents: 'a bucket made public by an ACL or bucket policy',
    fix: 'use SecureBucket, or add an aws_s3_bucket_public_access_block for this bucket with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets = true',
    types: ['aws_s3_bucket'],
  }),
  'LZ-SQS-001': rule({
    id: 'LZ-SQS-001',
    title: 'SQS queues are encrypted (SSE-SQS or SSE-KMS)',
    prevents: 'messages stored unencrypted at rest',
    fix: 'set sqs_managed_sse_enabled = true or kms_master_key_id',
    types: ['aws_sqs_queue'],
  }),
  'LZ-LOG-001': rule({
    id: 'LZ-LOG-001',
    title: 'CloudWatch log groups are encrypted with a customer-managed KMS key',
    prevents:
      'log data readable by anyone with logs:GetLogEvents, without a key policy as a second gate (CloudWatch Logs always encrypts at rest with a service key; a CMK adds access control and audit)',
    fix: 'set kms_key_id to a KMS key whose policy allows logs.<region>.amazonaws.com, or suppress with the reason the log group holds nothing sensitive',
    types: ['aws_cloudwatch_log_group'],
  }),
  'LZ-EKS-001': rule({
    id: 'LZ-EKS-001',
    title: 'EKS clusters encrypt Kubernetes secrets with a KMS key (envelope encryption)',
    prevents: 'Kubernetes secrets readable from etcd snapshots or backups',
    fix: 'set encryption_config { resources = ["secrets"], provider { key_arn = <KMS key ARN> } }',
    types: ['aws_eks_cluster'],
  }),
  'LZ-EKS-002': rule({
    id: 'LZ-EKS-002',
    title: 'EKS public API endpoint is off or restricted to named CIDRs (never 0.0.0.0/0)',
    prevents:
      'the Kubernetes API exposed to the whole internet (the default when public_access_cidrs is unset)',
    fix: 'set vpc_config.endpoint_public_access = false, or list the allowed public_access_cidrs without 0.0.0.0/0',
    types: ['aws_eks_cluster'],
  }),
  'LZ-EKS-003': rule({
    id: 'LZ-EKS-003',
    title: 'EKS control-plane logs api, audit and authenticator are enabled',
    prevents: 'no record of who did what against the Kubernetes API',
    fix: 'set enabled_cluster_log_types to include "api", "audit" and "authenticator"',
    types: ['aws_eks_cluster'],
  }),
  'LZ-VPC-001': rule({
    id: 'LZ-VPC-001',
    title: 'every VPC has a flow log in the same stack',
    prevents: 'no network record for incident response',
    fix: 'add an aws_flow_log with vpc_id = this VPC (traffic_type ALL) to CloudWatch Logs or S3',
    types: ['aws_vpc'],
  }),
  'LZ-SG-001': rule({
    id: 'LZ-SG-001',
    title:
      'no security-group ingress from 0.0.0.0/0 or ::/0, except on resources marked as public load balancers',
    prevents: 'services reachable from the whole internet by accident',
    fix: 'restrict the source to a CIDR or security group; for an internet-facing load balancer call markPublicLoadBalancer(construct, reason) from constructs/guardrails/markers.ts',
    types: ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
  }),
  'LZ-OIDC-001': rule({
    id: 'LZ-OIDC-001',
    title:
      'OIDC trust policies (sts:AssumeRoleWithWebIdentity) pin the audience and a wildcard-free subject',
    prevents:
      'any workspace, project, organization or service account of the identity provider assuming the role',
    fix: 'add a StringEquals condition on "<issuer>:aud" and a "<issuer>:sub" condition naming the organization, project and workspace (or namespace and service account) without "*" (a TFC run_phase may be "*")',
    types: ['aws_iam_policy_document', 'aws_iam_role'],
  }),
  'LZ-HELM-001': rule({
    id: 'LZ-HELM-001',
    title: 'every helm_release pins an exact chart version',
    prevents:
      'an unreviewed chart upgrade on the next apply (no version, "latest" or a range floats)',
    fix: 'set version to an exact x.y.z from envs/versions.ts',
    types: ['helm_release'],
  }),
  'LZ-IMG-001': rule({
    id: 'LZ-IMG-001',
    title:
      'no container image tag "latest" (or an untagged image) in Helm values or Kubernetes resources',
    prevents: 'an unreviewed image change on every pod restart',
    fix: 'pin the image tag (or digest) in envs/versions.ts and pass it to the values',
    types: [
      'helm_release',
      'kubernetes_manifest',
      'kubernetes_deployment_v1',
      'kubernetes_deployment',
      'kubernetes_job_v1',
      'kubernetes_cron_job_v1',
      'kubernetes_pod_v1',
      'kubernetes_daemon_set_v1',
      'kubernetes_stateful_set_v1',
    ],
  }),
  'LZ-SECRET-001': rule({
    id: 'LZ-SECRET-001',
    title:
      'no plaintext secret-looking values in Helm values, Terraform Cloud variables or Terraform variable defaults',
    prevents: 'secrets committed to the repository and written to cdktf.out and Terraform state',
    fix: 'pass the value as a sensitive Terraform variable set in the workspace (no default), or keep it in AWS Secrets Manager and read it through External Secrets',
    types: ['helm_release', 'tfe_variable', 'variable'],
  }),
  'LZ-PROTECT-001': rule({
    id: 'LZ-PROTECT-001',
    title: 'stateful resources carry lifecycle prevent_destroy or deletion protection',
    prevents: 'an account, key, bucket, database or cluster destroyed by a careless plan',
    fix: 'set lifecycle { prevent_destroy = true } (or deletion_protection = true where the resource has it)',
    types: [
      'aws_organizations_organization',
      'aws_organizations_account',
      'aws_kms_key',
      'aws_s3_bucket',
      'aws_eks_cluster',
      'aws_db_instance',
      'aws_rds_cluster',
      'aws_dynamodb_table',
      'aws_efs_file_system',
      'aws_elasticache_replication_group',
      'aws_docdb_cluster',
      'aws_neptune_cluster',
      'aws_redshift_cluster',
      'kubernetes_manifest',
      'helm_release',
    ],
  }),
  'LZ-IAM-001': rule({
    id: 'LZ-IAM-001',
    title:
      'IAM role names (64), name prefixes (38), paths (512), descriptions (1,000) and trust policies (2,048) fit the provider and IAM limits',
    prevents:
      'a plan or apply that fails only once the organization grows (a role description listing every workspace, a trust policy with a statement per workspace)',
    fix: 'shorten the argument (describe the role, do not enumerate what it serves; split a trust policy across roles), or raise the trust policy quota to at most 4,096 and suppress with the quota request as the reason',
    types: ['aws_iam_role'],
  }),
  'LZ-SCP-001': rule({
    id: 'LZ-SCP-001',
    title: 'service control policies are attached at the organization root',
    prevents:
      'an OU (or a new one) whose accounts escape the guardrails because the SCP was attached to listed OUs only',
    fix: 'attach the SCP to the root (organization.serviceControlPolicies.<name>.targets: [root]); to exempt an OU, give it in exceptions with the reason',
    types: ['aws_organizations_policy'],
  }),
  'LZ-SCP-002': rule({
    id: 'LZ-SCP-002',
    title:
      "the organization's SCPs deny leaving, other regions and changes to the landing zone's roles and OIDC provider, exempting only principals no one can create",
    prevents:
      "a member-account administrator rewriting the pipeline roles' trust, deleting the OIDC provider, or creating an exempt role name to escape every SCP",
    fix: 'use ServiceControlPolicies (constructs/organization/service-control-policies.ts); exempt only role names that the role-protection statement also denies creating',
    types: ['aws_organizations_organization'],
  }),
  'LZ-S3-003': rule({
    id: 'LZ-S3-003',
    title:
      'the log archive bucket has S3 Object Lock or a bucket policy denying version deletion to every principal',
    prevents:
      'organization logs deleted by an administrator of the log archive account or through OrganizationAccountAccessRole',
    fix: 'use LogArchive (constructs/baseline/log-archive.ts) with objectLock (GOVERNANCE or COMPLIANCE) and denyDelete on',
    types: ['aws_s3_bucket'],
  }),
} as const satisfies Record<string, RuleInfo>;

/** A known rule ID. */
export type RuleId = keyof typeof RULES;

/** Every rule ID, in catalog order. */
export const RULE_IDS = Object.keys(RULES) as RuleId[];

/** Whether `id` names a rule of the catalog. */
export function isRuleId(id: string): id is RuleId {
  return Object.prototype.hasOwnProperty.call(RULES, id);
}
