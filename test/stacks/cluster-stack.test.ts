/**
 * Unit tier: the cluster stack of the example (`main-01`, stub network), synthesized once per
 * jest worker (test/support/cluster-fixtures.ts): the control plane, DNS and certificate,
 * buckets and the outputs for the platform stack. Access entries and Pod Identity roles:
 * cluster-stack.access.test.ts; the system node group and EKS add-ons:
 * cluster-stack.nodes.test.ts; the variant (AL2023, restricted public endpoint, root zone not
 * managed here) and the constructs' guards: cluster-stack.options.test.ts.
 */
import type {} from 'cdktf/lib/testing/adapters/jest';
import { EksCluster as AwsEksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { KmsKey as AwsKmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import {
  STUB_NETWORK,
  exampleCluster,
  one,
  principalsOf,
  statementsIn,
  values,
} from '../support/cluster-fixtures';
import { dataOf, resourcesOf } from '../support/synth';
import { ADDON_IDENTITIES } from '../../constructs/eks/addon-identities';
import type { ClusterStack } from '../../stacks/cluster-stack';

describe('cluster stack (example main-01)', () => {
  let stack: ClusterStack;
  let synth: string;
  let json: Record<string, any>;
  let docs: Record<string, any>;
  /** The policy document (parsed statements) of a `DataAwsIamPolicyDocument` construct. */
  const docOf = (construct: any) => docs[stack.getLogicalId(construct)];
  /** Every statement of the documents whose logical id contains `fragment`. */
  const statementsOf = (fragment: string) => statementsIn(docs, fragment);

  beforeAll(() => {
    ({ stack, synth, json, docs } = exampleCluster());
  });

  describe('control plane', () => {
    it('creates an API-auth, KMS-encrypted cluster with a private endpoint only', () => {
      expect(synth).toHaveResourceWithProperties(AwsEksCluster, {
        name: 'acme-main-01',
        version: '1.35',
        access_config: {
          authentication_mode: 'API',
          bootstrap_cluster_creator_admin_permissions: false,
        },
        bootstrap_self_managed_addons: false,
        lifecycle: { prevent_destroy: true },
      });
      const c = one(resourcesOf(json, 'aws_eks_cluster'));
      expect(c.encryption_config.resources).toEqual(['secrets']);
      expect(c.encryption_config.provider.key_arn).toMatch(/^\$\{aws_kms_key\.kms_key_\w+\.arn\}$/);
      expect(c.enabled_cluster_log_types).toEqual(
        expect.arrayContaining(['api', 'audit', 'authenticator']),
      );
      expect(c.vpc_config).toMatchObject({
        endpoint_private_access: true,
        endpoint_public_access: false,
      });
      expect(c.vpc_config.public_access_cidrs).toBeUndefined();
      // The control plane's ENIs go to the small dedicated subnets, not the node subnets.
      expect(c.vpc_config.subnet_ids).toEqual(
        ['a', 'b', 'c'].map((az) => `subnet-main-01-control-plane-${az}`),
      );
      // EKS's own default is EXTENDED ("The default value is `EXTENDED`", EKS API
      // UpgradePolicyRequest; https://docs.aws.amazon.com/eks/latest/userguide/extended-support-control.html).
      expect(c.upgrade_policy).toEqual({ support_type: 'STANDARD' });
      expect(c.zonal_shift_config).toEqual({ enabled: true });
      // The log group first (retention, key), and the role's permissions before the cluster.
      expect(c.depends_on).toEqual([
        expect.stringMatching(/^aws_cloudwatch_log_group\./),
        expect.stringMatching(/^aws_iam_role_policy_attachment\.eks_.*AmazonEKSClusterPolicy/),
        expect.stringMatching(/^aws_iam_role_policy\.eks_encryption-policy/),
      ]);
    });

    it('gives the control plane a role trusted by EKS with the cluster policy only', () => {
      const role = values(resourcesOf(json, 'aws_iam_role')).find(
        (r) => r.name === 'acme-main-01-cluster',
      );
      const trust = Object.entries(docs).find(([k]) => role.assume_role_policy.includes(k))![1];
      expect(principalsOf(trust)).toEqual(['eks.amazonaws.com']);
      const attached = values(resourcesOf(json, 'aws_iam_role_policy_attachment'))
        .filter((a) => String(a.role).includes('aws_iam_role.eks_'))
        .map((a) => a.policy_arn);
      expect(attached).toEqual([
        'arn:${data.aws_partition.partition.partition}:iam::aws:policy/AmazonEKSClusterPolicy',
      ]);
    });

    it('lets only the private subnets (where the agents run) reach the private endpoint on 443', () => {
      const rules = values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'));
      expect(rules.map((r) => r.cidr_ipv4)).toEqual(
        STUB_NETWORK.clusterSubnets('main-01').privateSubnetCidrs,
      );
      expect(rules.map((r) => r.cidr_ipv4)).not.toContain('10.0.0.0/16');
      expect(synth).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
        cidr_ipv4: '10.0.0.0/20',
        from_port: 443,
        to_port: 443,
        ip_protocol: 'tcp',
      });
    });

    it('keeps control-plane logs for the configured days, KMS-encrypted', () => {
      expect(synth).toHaveResourceWithProperties(CloudwatchLogGroup, {
        name: '/aws/eks/acme-main-01/cluster',
        retention_in_days: 90,
      });
      expect(one(resourcesOf(json, 'aws_cloudwatch_log_group')).kms_key_id).toContain(
        'aws_kms_key.kms_key',
      );
      const logs = docOf(stack.kms.node.findChild('policy')).statement.find(
        (s: any) => s.sid === 'CloudWatchLogsOfThisCluster',
      );
      expect(logs.condition[0].values[0]).toMatch(/:log-group:\/aws\/eks\/acme-main-01\/\*$/);
    });

    it('rotates its KMS key and protects it from destroy', () => {
      expect(synth).toHaveResourceWithProperties(AwsKmsKey, {
        enable_key_rotation: true,
        deletion_window_in_days: 30,
        lifecycle: { prevent_destroy: true },
      });
      const cluster = resourcesOf(json, 'aws_iam_role_policy');
      expect(values(cluster)).toHaveLength(1);
      const enc = statementsOf('eks_encryption');
      expect(enc[0].actions).toEqual([
        'kms:Encrypt',
        'kms:Decrypt',
        'kms:ListGrants',
        'kms:DescribeKey',
      ]);
    });
  });

  describe('DNS and certificate (no dns.parent: nothing pre-existing needed)', () => {
    it('creates the cluster zone, looks up no parent zone and outputs its name servers', () => {
      expect(synth).toHaveResourceWithProperties(Route53Zone, {
        name: 'main-01.acme.example',
        lifecycle: { prevent_destroy: true },
      });
      // A fresh workload account has no acme.example zone: nothing may look one up.
      expect(dataOf(json, 'aws_route53_zone')).toEqual({});
      expect(values(resourcesOf(json, 'aws_route53_record')).some((r) => r.type === 'NS')).toBe(
        false,
      );
      expect(json.output.zone_name_servers.value).toMatch(
        /^\$\{aws_route53_zone\.dns_zone_\w+\.name_servers\}$/,
      );
    });

    it('issues a DNS-validated wildcard certificate and does not wait for it', () => {
      expect(synth).toHaveResourceWithProperties(AcmCertificate, {
        domain_name: '*.main-01.acme.example',
        validation_method: 'DNS',
      });
      expect(resourcesOf(json, 'aws_acm_certificate_validation')).toEqual({});
      const rec = one(resourcesOf(json, 'aws_route53_record'));
      expect(rec.name).toMatch(/domain_validation_options\)\.0\.resource_record_name/);
      expect(json.output.certificate_arn.value).toMatch(
        /^\$\{aws_acm_certificate\.dns_certificate_\w+\.arn\}$/,
      );
    });
  });

  describe('buckets', () => {
    it('creates encrypted, versioned, private, protected buckets with the configured lifecycles', () => {
      const buckets = resourcesOf(json, 'aws_s3_bucket');
      expect(
        values(buckets)
          .map((b) => b.bucket)
          .sort(),
      ).toEqual([
        'acme-main-01-dagster-logs-${data.aws_caller_identity.account.account_id}',
        'acme-main-01-pg-backups-${data.aws_caller_identity.account.account_id}',
      ]);
      values(buckets).forEach((b) => expect(b.lifecycle).toEqual({ prevent_destroy: true }));
      expect(
        values(resourcesOf(json, 'aws_s3_bucket_versioning')).every(
          (v) => v.versioning_configuration.status === 'Enabled',
        ),
      ).toBe(true);
      expect(synth).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
        block_public_acls: true,
        restrict_public_buckets: true,
      });
      for (const e of values(
        resourcesOf(json, 'aws_s3_bucket_server_side_encryption_configuration'),
      )) {
        expect(e.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
      }
      const days = values(resourcesOf(json, 'aws_s3_bucket_lifecycle_configuration'))
        .map((l) => [
          l.rule[0].expiration[0].days,
          l.rule[0].noncurrent_version_expiration[0].noncurrent_days,
        ])
        .sort();
      expect(days).toEqual([
        [30, 30],
        [90, 30],
      ]);
    });
  });

  describe('outputs for the platform stack', () => {
    it('exposes every ClusterOutputs property as a token of this stack', () => {
      expect(Object.keys(stack.addonRoleArns).sort()).toEqual(Object.keys(ADDON_IDENTITIES).sort());
      for (const v of [
        stack.clusterName,
        stack.clusterEndpoint,
        stack.clusterCertificateAuthority,
        stack.clusterSecurityGroupId,
        stack.certificateArn,
        stack.oidcIssuerUrl,
      ]) {
        expect(v).toMatch(/\$\{TfToken\[/);
      }
      expect(stack.zone.name).toMatch(/\$\{TfToken\[/);
      expect(stack.karpenter.interruptionQueueName).toMatch(/\$\{TfToken\[/);
      expect(stack.buckets.postgresBackups).toMatch(/\$\{TfToken\[/);
      expect(stack.vpcId).toBe('vpc-0stub');
      expect(Object.keys(json.output).sort()).toEqual([
        'certificate_arn',
        'cluster_name',
        'oidc_issuer_url',
        'zone_name_servers',
      ]);
      expect(json.output.oidc_issuer_url.value).toMatch(
        /aws_eks_cluster\.eks_cluster_\w+\.identity\[0\]\.oidc\[0\]\.issuer/,
      );
    });

    it('uses only the AWS provider', () => {
      expect(Object.keys(json.provider)).toEqual(['aws']);
      expect(json.provider.aws[0].default_tags[0].tags.LandingZoneStack).toBe('cluster-main-01');
    });
  });
});
