/**
 * Pod Identity roles of the platform add-ons, least privilege, each associated with the
 * service accounts in {@link ADDON_IDENTITIES}:
 * - `aws-load-balancer-controller`: upstream's IAM policy (v2.x `docs/install/iam_policy.json`),
 *   with ELB/EC2 resources narrowed to this region and account;
 * - `external-dns`: record changes in the cluster zone only;
 * - `external-secrets`: read secrets under `<prefix>/<cluster>/` only;
 * - `cloudnative-pg`: read/write the backup bucket only;
 * - `dagster`: read/write the compute-log bucket only;
 * - `dagster-user-code`: read and write objects under the compute-log prefix only (tick logs).
 * S3 access to the SSE-KMS buckets includes `kms:Decrypt`/`kms:GenerateDataKey` on the bucket
 * key, through S3 only (`kms:ViaService`).
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { PodIdentityRole } from './pod-identity-role';
import { serviceAccountsOf, type AddonIdentityName } from './addon-identities';
import { computeLogPrefixStatements } from './compute-log-policy';

type Statement = DataAwsIamPolicyDocumentStatement;

/** Inputs of the policy builders below. */
export interface AddonPolicyContext {
  /** The cluster's region, e.g. `eu-central-1`. */
  readonly region: string;
  /** The cluster's account ID (12 digits, or a token). */
  readonly accountId: string;
  /** ARN partition (default `aws`). */
  readonly partition?: string;
}

const cond = (test: string, variable: string, ...values: string[]) => ({ test, variable, values });
const CLUSTER_TAG = 'elbv2.k8s.aws/cluster';

/**
 * AWS Load Balancer Controller policy.
 * Source: https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/main/docs/install/iam_policy.json
 */
export function loadBalancerControllerStatements(c: AddonPolicyContext): Statement[] {
  const p = c.partition ?? 'aws';
  const elb = (res: string) => `arn:${p}:elasticloadbalancing:${c.region}:${c.accountId}:${res}`;
  const sg = `arn:${p}:ec2:${c.region}:${c.accountId}:security-group/*`;
  const lbAndTg = [
    elb('targetgroup/*/*'),
    elb('loadbalancer/net/*/*'),
    elb('loadbalancer/app/*/*'),
  ];
  return [
    {
      sid: 'CreateElbServiceLinkedRole',
      actions: ['iam:CreateServiceLinkedRole'],
      resources: ['*'],
      condition: [cond('StringEquals', 'iam:AWSServiceName', 'elasticloadbalancing.amazonaws.com')],
    },
    {
      sid: 'Describe',
      actions: [
        'ec2:DescribeAccountAttributes',
        'ec2:DescribeAddresses',
        'ec2:DescribeAvailabilityZones',
        'ec2:DescribeInternetGateways',
        'ec2:DescribeVpcs',
        'ec2:DescribeVpcPeeringConnections',
        'ec2:DescribeSubnets',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeInstances',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeTags',
        'ec2:GetCoipPoolUsage',
        'ec2:DescribeCoipPools',
        'ec2:GetSecurityGroupsForVpc',
        'ec2:DescribeIpamPools',
        'ec2:DescribeRouteTables',
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeLoadBalancerAttributes',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeListenerCertificates',
        'elasticloadbalancing:DescribeSSLPolicies',
        'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetGroupAttributes',
        'elasticloadbalancing:DescribeTargetHealth',
        'elasticloadbalancing:DescribeTags',
        'elasticloadbalancing:DescribeTrustStores',
        'elasticloadbalancing:DescribeListenerAttributes',
        'elasticloadbalancing:DescribeCapacityReservation',
      ],
      resources: ['*'],
    },
    {
      sid: 'IntegrationsReadAndAttach',
      actions: [
        'cognito-idp:DescribeUserPoolClient',
        'acm:ListCertificates',
        'acm:DescribeCertificate',
        'iam:ListServerCertificates',
        'iam:GetServerCertificate',
        'waf-regional:GetWebACL',
        'waf-regional:GetWebACLForResource',
        'waf-regional:AssociateWebACL',
        'waf-regional:DisassociateWebACL',
        'wafv2:GetWebACL',
        'wafv2:GetWebACLForResource',
        'wafv2:AssociateWebACL',
        'wafv2:DisassociateWebACL',
        'shield:GetSubscriptionState',
        'shield:DescribeProtection',
        'shield:CreateProtection',
        'shield:DeleteProtection',
      ],
      resources: ['*'],
    },
    {
      sid: 'SecurityGroupIngress',
      actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
      resources: [sg],
    },
    { sid: 'CreateSecurityGroup', actions: ['ec2:CreateSecurityGroup'], resources: ['*'] },
    {
      sid: 'TagOwnSecurityGroupOnCreate',
      actions: ['ec2:CreateTags'],
      resources: [sg],
      condition: [
        cond('StringEquals', 'ec2:CreateAction', 'CreateSecurityGroup'),
        cond('Null', `aws:RequestTag/${CLUSTER_TAG}`, 'false'),
      ],
    },
    {
      sid: 'TagOwnSecurityGroups',
      actions: ['ec2:CreateTags', 'ec2:DeleteTags'],
      resources: [sg],
      condition: [
        cond('Null', `aws:RequestTag/${CLUSTER_TAG}`, 'true'),
        cond('Null', `aws:ResourceTag/${CLUSTER_TAG}`, 'false'),
      ],
    },
    {
      sid: 'ManageOwnSecurityGroups',
      actions: [
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:DeleteSecurityGroup',
      ],
      resources: [sg],
      condition: [cond('Null', `aws:ResourceTag/${CLUSTER_TAG}`, 'false')],
    },
    {
      sid: 'CreateTaggedLoadBalancers',
      actions: [
        'elasticloadbalancing:CreateLoadBalancer',
        'elasticloadbalancing:CreateTargetGroup',
      ],
      resources: ['*'],
      condition: [cond('Null', `aws:RequestTag/${CLUSTER_TAG}`, 'false')],
    },
    {
      sid: 'ListenersAndRules',
      actions: [
        'elasticloadbalancing:CreateListener',
        'elasticloadbalancing:DeleteListener',
        'elasticloadbalancing:CreateRule',
        'elasticloadbalancing:DeleteRule',
      ],
      resources: ['*'],
    },
    {
      sid: 'TagOwnLoadBalancers',
      actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      resources: lbAndTg,
      condition: [
        cond('Null', `aws:RequestTag/${CLUSTER_TAG}`, 'true'),
        cond('Null', `aws:ResourceTag/${CLUSTER_TAG}`, 'false'),
      ],
    },
    {
      sid: 'TagListenersAndRules',
      actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      resources: [
        elb('listener/net/*/*/*'),
        elb('listener/app/*/*/*'),
        elb('listener-rule/net/*/*/*'),
        elb('listener-rule/app/*/*/*'),
      ],
    },
    {
      sid: 'ModifyOwnLoadBalancers',
      actions: [
        'elasticloadbalancing:ModifyLoadBalancerAttributes',
        'elasticloadbalancing:SetIpAddressType',
        'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets',
        'elasticloadbalancing:DeleteLoadBalancer',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
        'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:ModifyListenerAttributes',
        'elasticloadbalancing:ModifyCapacityReservation',
        'elasticloadbalancing:ModifyIpPools',
      ],
      resources: ['*'],
      condition: [cond('Null', `aws:ResourceTag/${CLUSTER_TAG}`, 'false')],
    },
    {
      sid: 'TagOnCreate',
      actions: ['elasticloadbalancing:AddTags'],
      resources: lbAndTg,
      condition: [
        cond(
          'StringEquals',
          'elasticloadbalancing:CreateAction',
          'CreateTargetGroup',
          'CreateLoadBalancer',
        ),
        cond('Null', `aws:RequestTag/${CLUSTER_TAG}`, 'false'),
      ],
    },
    {
      sid: 'RegisterTargets',
      actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
      resources: [elb('targetgroup/*/*')],
    },
    {
      sid: 'ModifyListenersAndRules',
      actions: [
        'elasticloadbalancing:SetWebAcl',
        'elasticloadbalancing:ModifyListener',
        'elasticloadbalancing:AddListenerCertificates',
        'elasticloadbalancing:RemoveListenerCertificates',
        'elasticloadbalancing:ModifyRule',
        'elasticloadbalancing:SetRulePriorities',
      ],
      resources: ['*'],
    },
  ].map((s) => ({ effect: 'Allow', ...s }));
}

/**
 * external-dns: change records in one zone; list zones (needed for zone discovery) and the
 * zone's records. Source: https://kubernetes-sigs.github.io/external-dns/latest/docs/tutorials/aws/
 */
export function externalDnsStatements(zoneArn: string): Statement[] {
  return [
    {
      sid: 'ChangeClusterZone',
      effect: 'Allow',
      actions: [
        'route53:ChangeResourceRecordSets',
        'route53:ListResourceRecordSets',
        'route53:ListTagsForResources',
      ],
      resources: [zoneArn],
    },
    {
      sid: 'ListZones',
      effect: 'Allow',
      actions: ['route53:ListHostedZones', 'route53:ListTagsForResource'],
      resources: ['*'],
    },
  ];
}

/**
 * External Secrets: read the values and metadata of the secrets whose name starts with
 * `prefix` (e.g. `acme/main-01/`), nothing else: `secretsmanager:GetSecretValue` and
 * `secretsmanager:DescribeSecret` on `secret:<prefix>*` (the ARN ends in `<name>-<6 random
 * characters>`, so the wildcard is needed). No `ListSecrets` (it cannot be scoped by name), no
 * writes. The secrets use Secrets Manager's default key, so no KMS permission is needed.
 * Sources: https://external-secrets.io/latest/provider/aws-secrets-manager/,
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_iam-policies.html
 * @param prefix secret name prefix, ending in `/`
 * @throws Error if `prefix` is empty or does not end in `/` (it would match other clusters' secrets)
 */
export function externalSecretsStatements(c: AddonPolicyContext, prefix: string): Statement[] {
  if (!prefix.endsWith('/') || prefix === '/')
    throw new Error(`External Secrets prefix "${prefix}" must be a path ending in "/"`);
  const p = c.partition ?? 'aws';
  return [
    {
      sid: 'ReadClusterSecrets',
      effect: 'Allow',
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resources: [`arn:${p}:secretsmanager:${c.region}:${c.accountId}:secret:${prefix}*`],
    },
  ];
}

/**
 * Read (and with `write`, put and delete) the objects of one bucket, and use its SSE-KMS key
 * through S3 only (`kms:ViaService = s3.<region>.amazonaws.com`).
 * Source: https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
 * @param bucketArn ARN of the bucket (objects are `<bucketArn>/*`)
 * @param kmsKeyArn the bucket's KMS key; undefined for SSE-S3 buckets (no KMS statement)
 * @param write whether to add `s3:PutObject` and `s3:DeleteObject`
 */
export function bucketStatements(
  c: AddonPolicyContext,
  bucketArn: string,
  kmsKeyArn: string | undefined,
  write: boolean,
): Statement[] {
  const statements: Statement[] = [
    {
      sid: 'ListBucket',
      effect: 'Allow',
      actions: ['s3:ListBucket', 's3:GetBucketLocation'],
      resources: [bucketArn],
    },
    {
      sid: 'Objects',
      effect: 'Allow',
      actions: ['s3:GetObject', ...(write ? ['s3:PutObject', 's3:DeleteObject'] : [])],
      resources: [`${bucketArn}/*`],
    },
  ];
  if (kmsKeyArn) {
    statements.push({
      sid: 'BucketKey',
      effect: 'Allow',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [kmsKeyArn],
      condition: [cond('StringEquals', 'kms:ViaService', `s3.${c.region}.amazonaws.com`)],
    });
  }
  return statements;
}

export interface ClusterAddonRolesProps extends AddonPolicyContext {
  /** Literal cluster name (role names are `<cluster>-<add-on>`). */
  readonly clusterNameLiteral: string;
  /** The cluster resource's `name` (associations wait for the cluster). */
  readonly clusterName: string;
  /** The cluster's ARN (each role's trust is limited to it). */
  readonly clusterArn: string;
  /** ARN of the cluster's Route53 zone. */
  readonly zoneArn: string;
  /** Secrets Manager name prefix External Secrets may read (`<prefix>/<cluster>/`, ends in `/`). */
  readonly secretsPrefix: string;
  /** ARN of the CloudNativePG backup bucket. */
  readonly postgresBackupsBucketArn: string;
  /** ARN of the Dagster compute-log bucket. */
  readonly dagsterComputeLogsBucketArn: string;
  /** KMS key of both buckets (omit for SSE-S3). */
  readonly bucketKmsKeyArn?: string;
  /** Provider (account/region) to create the roles with. */
  readonly provider?: TerraformProvider;
}

/** Short role-name suffixes (role names stay ≤ 64 characters). */
const ROLE_SUFFIX: Record<Exclude<AddonIdentityName, 'karpenter' | 'ebs-csi'>, string> = {
  'aws-load-balancer-controller': 'alb-controller',
  'external-dns': 'external-dns',
  'external-secrets': 'external-secrets',
  'cloudnative-pg': 'cnpg-backups',
  dagster: 'dagster',
  'dagster-user-code': 'dagster-code',
};

/**
 * The Pod Identity roles of the platform add-ons.
 * @throws Error if `secretsPrefix` does not end in `/` or a role name exceeds 64 characters
 */
export class ClusterAddonRoles extends Construct {
  /** The roles by add-on name (the keys of `ClusterOutputs.addonRoleArns` except karpenter and ebs-csi). */
  readonly roles: Record<keyof typeof ROLE_SUFFIX, PodIdentityRole>;

  constructor(scope: Construct, id: string, props: ClusterAddonRolesProps) {
    super(scope, id);
    const role = (name: keyof typeof ROLE_SUFFIX, statements: Statement[]) =>
      new PodIdentityRole(this, name, {
        provider: props.provider,
        roleName: `${props.clusterNameLiteral}-${ROLE_SUFFIX[name]}`,
        description: `${name} on ${props.clusterNameLiteral} (Pod Identity)`,
        clusterName: props.clusterName,
        clusterArn: props.clusterArn,
        accountId: props.accountId,
        policies: { access: statements },
        serviceAccounts: serviceAccountsOf(name),
      });
    this.roles = {
      'aws-load-balancer-controller': role(
        'aws-load-balancer-controller',
        loadBalancerControllerStatements(props),
      ),
      'external-dns': role('external-dns', externalDnsStatements(props.zoneArn)),
      'external-secrets': role(
        'external-secrets',
        externalSecretsStatements(props, props.secretsPrefix),
      ),
      'cloudnative-pg': role(
        'cloudnative-pg',
        bucketStatements(props, props.postgresBackupsBucketArn, props.bucketKmsKeyArn, true),
      ),
      dagster: role(
        'dagster',
        bucketStatements(props, props.dagsterComputeLogsBucketArn, props.bucketKmsKeyArn, true),
      ),
      'dagster-user-code': role(
        'dagster-user-code',
        computeLogPrefixStatements(props, props.dagsterComputeLogsBucketArn, props.bucketKmsKeyArn),
      ),
    };
  }
}
