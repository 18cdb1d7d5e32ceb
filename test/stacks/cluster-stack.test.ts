/**
 * Unit tier: the cluster stack of the example (`main-01`, stub network) and one variant
 * (AL2023, restricted public endpoint, root zone not managed here), synthesized once each.
 */
import type {} from 'cdktf/lib/testing/adapters/jest';
import { TerraformStack, Testing } from 'cdktf';
import { EksCluster as AwsEksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { KmsKey as AwsKmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { STUB_NETWORK, buildClusterStack } from '../support/cluster-fixtures';
import { dataOf, resourcesOf } from '../support/synth';
import { exampleEnv } from '../support/env';
import { BOTTLEROCKET_RELEASE_VERSION, EKS_VERSIONS } from '../../envs/versions';
import { ADDON_IDENTITIES, SYSTEM_NODE_TAINT } from '../../constructs/eks/addon-identities';
import { VPC_CNI_CONFIGURATION } from '../../constructs/eks/managed-addons';
import { EksCluster } from '../../constructs/eks/cluster';
import { SystemNodeGroup, type SystemNodeGroupProps } from '../../constructs/eks/node-group';
import { EKS_NODE_POLICIES, ServiceRole } from '../../constructs/eks/service-role';
import { externalSecretsStatements } from '../../constructs/eks/addon-roles';
import { KmsKey } from '../../constructs/shared/kms-key';
import { ClusterStack } from '../../stacks/cluster-stack';

const values = (o: Record<string, any>) => Object.values(o) as any[];
const one = (o: Record<string, any>) => {
  const v = values(o);
  expect(v).toHaveLength(1);
  return v[0];
};
/** `[device, GiB, encrypted]` of each volume of the (single) launch template. */
const volumesOf = (json: Record<string, any>) =>
  one(resourcesOf(json, 'aws_launch_template')).block_device_mappings.map((b: any) => [
    b.device_name,
    b.ebs.volume_size,
    b.ebs.encrypted,
  ]);
/** The service principals a trust policy document admits. */
const principalsOf = (doc: any): string[] =>
  doc.statement.flatMap((s: any) => s.principals.flatMap((p: any) => p.identifiers));

describe('cluster stack (example main-01)', () => {
  let stack: ClusterStack;
  let synth: string;
  let json: Record<string, any>;
  let docs: Record<string, any>;
  /** The policy document (parsed statements) of a `DataAwsIamPolicyDocument` construct. */
  const docOf = (construct: any) => docs[stack.getLogicalId(construct)];
  /** Every statement of the documents whose logical id contains `fragment`. */
  const statementsOf = (fragment: string) =>
    Object.entries(docs)
      .filter(([k]) => k.includes(fragment))
      .flatMap(([, d]: [string, any]) => d.statement);

  beforeAll(() => {
    stack = buildClusterStack();
    synth = Testing.synth(stack);
    json = JSON.parse(synth);
    docs = dataOf(json, 'aws_iam_policy_document');
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

  describe('access entries', () => {
    it('makes the platform workspace apply role cluster admin and gives its plan role read access', () => {
      const entries = resourcesOf(json, 'aws_eks_access_entry');
      const apply = values(entries).find((e) =>
        String(e.principal_arn).endsWith(':role/acme-platform-main-01-apply'),
      );
      expect(apply.principal_arn).toBe(
        'arn:${data.aws_partition.partition.partition}:iam::${data.aws_caller_identity.account.account_id}:role/acme-platform-main-01-apply',
      );
      const assoc = values(resourcesOf(json, 'aws_eks_access_policy_association'));
      const byKey = (k: string) => assoc.find((a) => String(a.principal_arn).includes(k));
      expect(byKey('tfc-apply').policy_arn).toMatch(
        /cluster-access-policy\/AmazonEKSClusterAdminPolicy$/,
      );
      expect(byKey('tfc-plan').policy_arn).toMatch(
        /cluster-access-policy\/AmazonEKSAdminViewPolicy$/,
      );
    });

    it('maps Identity Center roles found by name, zero roles meaning zero entries', () => {
      const roles = dataOf(json, 'aws_iam_roles');
      expect(
        values(roles)
          .map((r) => r.name_regex)
          .sort(),
      ).toEqual([
        '^AWSReservedSSO_Administrator_[0-9a-f]{16}$',
        '^AWSReservedSSO_Developer_[0-9a-f]{16}$',
        '^AWSReservedSSO_ReadOnly_[0-9a-f]{16}$',
      ]);
      values(roles).forEach((r) => expect(r.path_prefix).toBe('/aws-reserved/sso.amazonaws.com/'));
      const sso = Object.entries(resourcesOf(json, 'aws_eks_access_policy_association')).filter(
        ([k]) => k.startsWith('access_sso-'),
      );
      expect(sso).toHaveLength(3);
      for (const [, a] of sso as [string, any][]) {
        expect(a.for_each).toMatch(
          /^\$\{toset\(tolist\(data\.aws_iam_roles\.access_sso-\w+-roles_\w+\.arns\)\)\}$/,
        );
        expect(a.principal_arn).toBe('${each.value}');
      }
      const developer = sso.find(([k]) => k.includes('developer'))![1] as any;
      expect(developer.access_scope).toEqual({ type: 'namespace', namespaces: ['dagster'] });
      expect(developer.policy_arn).toMatch(/AmazonEKSEditPolicy$/);
    });
  });

  describe('system node group', () => {
    it('is on-demand, across every private subnet, Bottlerocket, tainted for critical add-ons', () => {
      expect(synth).toHaveResourceWithProperties(EksNodeGroup, {
        node_group_name: 'system',
        capacity_type: 'ON_DEMAND',
        ami_type: 'BOTTLEROCKET_x86_64',
        instance_types: ['m7i.large', 'm6i.large'],
        scaling_config: { min_size: 2, desired_size: 2, max_size: 4 },
        taint: [{ key: SYSTEM_NODE_TAINT.key, value: 'true', effect: 'NO_SCHEDULE' }],
      });
      expect(one(resourcesOf(json, 'aws_eks_node_group')).subnet_ids).toHaveLength(3);
    });

    it('launches with IMDSv2 required and encrypted volumes (Bottlerocket OS + data)', () => {
      expect(synth).toHaveResourceWithProperties(LaunchTemplate, {
        metadata_options: {
          http_endpoint: 'enabled',
          http_tokens: 'required',
          http_put_response_hop_limit: 1,
        },
      });
      expect(volumesOf(json)).toEqual([
        ['/dev/xvda', 4, 'true'],
        ['/dev/xvdb', 50, 'true'],
      ]);
    });

    it('pins the Bottlerocket release from the versions module instead of taking the newest', () => {
      const ng = one(resourcesOf(json, 'aws_eks_node_group'));
      expect(ng.release_version).toBe(BOTTLEROCKET_RELEASE_VERSION);
      expect(ng.version).toBe('1.35');
    });

    it('gives the nodes a role trusted by EC2 with the EKS node policies', () => {
      const attached = values(resourcesOf(json, 'aws_iam_role_policy_attachment'))
        .filter((a) => String(a.role).includes('system-nodes_node-role'))
        .map((a) => String(a.policy_arn).split('/').pop());
      expect(attached.sort()).toEqual([...EKS_NODE_POLICIES].sort());
      expect(one(resourcesOf(json, 'aws_eks_node_group')).depends_on).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/system-nodes_node-role_managed-AmazonEKSWorkerNodePolicy/),
        ]),
      );
    });
  });

  describe('EKS add-ons', () => {
    const addons = (): Record<string, any> =>
      Object.fromEntries(values(resourcesOf(json, 'aws_eks_addon')).map((a) => [a.addon_name, a]));

    it('pins every add-on to the versions module with conflict resolution set', () => {
      const pinned = EKS_VERSIONS['1.35'].addons;
      expect(Object.keys(addons()).sort()).toEqual(Object.keys(pinned).sort());
      for (const [name, a] of Object.entries(addons())) {
        expect(a.addon_version).toBe(pinned[name as keyof typeof pinned]);
        expect(a.resolve_conflicts_on_create).toBe('OVERWRITE');
        expect(a.resolve_conflicts_on_update).toBe('OVERWRITE');
      }
    });

    it('turns on vpc-cni prefix delegation and gives the EBS CSI driver its role through Pod Identity', () => {
      const a = addons();
      expect(JSON.parse(a['vpc-cni'].configuration_values)).toEqual(VPC_CNI_CONFIGURATION);
      const cni = JSON.parse(a['vpc-cni'].configuration_values);
      expect(cni.env.ENABLE_PREFIX_DELEGATION).toBe('true');
      expect(cni.enableNetworkPolicy).toBe('true'); // Dagster's NetworkPolicies are enforced
      expect(a['aws-ebs-csi-driver'].pod_identity_association).toEqual([
        {
          role_arn: expect.stringMatching(/aws_iam_role\.ebs-csi_\w+\.arn/),
          service_account: 'ebs-csi-controller-sa',
        },
      ]);
    });

    it('installs networking before the nodes and coredns / EBS CSI after them', () => {
      const a = addons();
      const ng = one(resourcesOf(json, 'aws_eks_node_group'));
      for (const n of ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent']) {
        expect(ng.depends_on).toContainEqual(expect.stringContaining(`addons-before-nodes_${n}`));
      }
      for (const n of ['coredns', 'aws-ebs-csi-driver']) {
        expect(a[n].depends_on).toEqual([expect.stringMatching(/^aws_eks_node_group\./)]);
      }
    });
  });

  describe('Pod Identity roles', () => {
    it('trusts pods.eks.amazonaws.com for this cluster and account only, in every add-on role', () => {
      const trusts = Object.entries(docs).filter(
        ([k, d]) => /_trust_/.test(k) && principalsOf(d).includes('pods.eks.amazonaws.com'),
      );
      expect(trusts.map(([k]) => k.split('_identity_trust')[0]).sort()).toEqual(
        [
          'addon-roles_aws-load-balancer-controller',
          'addon-roles_cloudnative-pg',
          'addon-roles_dagster',
          'addon-roles_dagster-user-code',
          'addon-roles_external-dns',
          'addon-roles_external-secrets',
          'ebs-csi',
          'karpenter_controller',
        ].sort(),
      );
      for (const [, d] of trusts as [string, any][]) {
        const s = d.statement[0];
        expect(s.principals).toEqual([
          { type: 'Service', identifiers: ['pods.eks.amazonaws.com'] },
        ]);
        expect(s.actions).toEqual(['sts:AssumeRole', 'sts:TagSession']);
        expect(s.condition.map((c: any) => c.variable).sort()).toEqual([
          'aws:SourceAccount',
          'aws:SourceArn',
        ]);
        expect(s.condition.find((c: any) => c.variable === 'aws:SourceArn').values).toEqual([
          expect.stringMatching(/aws_eks_cluster\.eks_cluster_\w+\.arn/),
        ]);
      }
    });

    it('associates each role with the documented namespace and service accounts', () => {
      const assocs = values(resourcesOf(json, 'aws_eks_pod_identity_association')).map(
        (a) => `${a.namespace}/${a.service_account}`,
      );
      const expected = Object.entries(ADDON_IDENTITIES)
        .filter(([n]) => n !== 'ebs-csi')
        .flatMap(([, id]) => id.serviceAccounts.map((sa) => `${id.namespace}/${sa}`));
      expect(assocs.sort()).toEqual(expected.sort());
    });

    it('scopes external-dns to the cluster zone and External Secrets to <prefix>/<cluster>/', () => {
      const dns = statementsOf('external-dns_access-document');
      expect(
        dns.find((s: any) => s.actions.includes('route53:ChangeResourceRecordSets')).resources,
      ).toEqual([expect.stringMatching(/aws_route53_zone\.dns_zone_\w+\.arn/)]);
      const secrets = statementsOf('external-secrets_access-document');
      expect(secrets).toHaveLength(1);
      expect(secrets[0]).toMatchObject({
        effect: 'Allow',
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [
          'arn:${data.aws_partition.partition.partition}:secretsmanager:eu-central-1:${data.aws_caller_identity.account.account_id}:secret:acme/main-01/*',
        ],
      });
      expect(secrets[0].condition).toBeUndefined();
      expect(stack.secretsPrefix).toBe('acme/main-01/');
    });

    it('limits CloudNativePG and Dagster to their own bucket and its key through S3', () => {
      for (const [role, bucket] of [
        ['cloudnative-pg', 'postgres-backups'],
        ['dagster', 'dagster-compute-logs'],
      ]) {
        const st = statementsOf(`addon-roles_${role}_access-document`);
        const s3 = st.filter((s: any) => s.actions.some((a: string) => a.startsWith('s3:')));
        for (const s of s3)
          for (const r of s.resources)
            expect(r).toMatch(new RegExp(`aws_s3_bucket\\.${bucket}_bucket_\\w+\\.arn`));
        const kms = st.find((s: any) => s.sid === 'BucketKey');
        expect(kms.condition).toEqual([
          {
            test: 'StringEquals',
            variable: 'kms:ViaService',
            values: ['s3.eu-central-1.amazonaws.com'],
          },
        ]);
      }
    });

    it('gives the load balancer controller tag-scoped write access in this region and account', () => {
      const st = statementsOf('aws-load-balancer-controller_access-document');
      const del = st.find((s: any) =>
        s.actions.includes('elasticloadbalancing:DeleteLoadBalancer'),
      );
      expect(del.condition).toEqual([
        { test: 'Null', variable: 'aws:ResourceTag/elbv2.k8s.aws/cluster', values: ['false'] },
      ]);
      const reg = st.find((s: any) => s.actions.includes('elasticloadbalancing:RegisterTargets'));
      expect(reg.resources[0]).toMatch(
        /^arn:.*:elasticloadbalancing:eu-central-1:.*:targetgroup\/\*\/\*$/,
      );
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

describe('cluster stack variant: AL2023, restricted public endpoint, parent zone in the cluster account, EXTENDED support', () => {
  let json: Record<string, any>;
  let stack: ClusterStack;

  beforeAll(() => {
    const env = exampleEnv((raw) => {
      const c = raw.clusters['main-01'];
      c.systemNodeGroup.amiFamily = 'AL2023';
      c.systemNodeGroup.instanceTypes = ['m7g.large'];
      c.endpoint = { publicAccessCidrs: ['203.0.113.0/24'], privateAccessCidrs: ['10.0.250.0/24'] };
      c.dns.parent = { account: 'production' };
      c.supportType = 'EXTENDED';
      c.zonalShift = false;
      c.logRetentionDays = 30;
    });
    stack = buildClusterStack(env);
    json = JSON.parse(Testing.synth(stack));
  });

  it('opens the public endpoint to the listed CIDRs only, and the private one to the agent subnet', () => {
    const c = one(resourcesOf(json, 'aws_eks_cluster'));
    expect(c.vpc_config).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: true,
      public_access_cidrs: ['203.0.113.0/24'],
    });
    expect(
      values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).map((r) => r.cidr_ipv4),
    ).toEqual(['10.0.250.0/24']);
    expect(one(resourcesOf(json, 'aws_cloudwatch_log_group')).retention_in_days).toBe(30);
  });

  it('uses the AL2023 arm64 AMI type, pinned to the AL2023 release, with one encrypted root volume', () => {
    const ng = one(resourcesOf(json, 'aws_eks_node_group'));
    expect(ng.ami_type).toBe('AL2023_ARM_64_STANDARD');
    expect(ng.release_version).toBe(EKS_VERSIONS['1.35'].al2023ReleaseVersion);
    expect(volumesOf(json)).toEqual([['/dev/xvda', 50, 'true']]);
  });

  it('sets the configured support policy and zonal shift', () => {
    const c = one(resourcesOf(json, 'aws_eks_cluster'));
    expect(c.upgrade_policy).toEqual({ support_type: 'EXTENDED' });
    expect(c.zonal_shift_config).toEqual({ enabled: false });
  });

  it('looks the parent zone up in its own account, writes the NS record and waits for the certificate', () => {
    expect(one(dataOf(json, 'aws_route53_zone'))).toEqual({
      name: 'acme.example',
      private_zone: false,
    });
    const ns = values(resourcesOf(json, 'aws_route53_record')).find((r) => r.type === 'NS');
    // Route 53: "give it the name of the subdomain ... specify the names of the name servers
    // from the hosted zone for the subdomain"; TTL 172800 as the console suggests
    // (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-routing-traffic-for-subdomains.html).
    expect(ns).toMatchObject({
      name: 'main-01.acme.example',
      ttl: 172800,
      records: expect.stringContaining('name_servers'),
    });
    expect(ns.zone_id).toContain('data.aws_route53_zone.');
    expect(ns.provider).toBeUndefined(); // the stack's own account
    const v = one(resourcesOf(json, 'aws_acm_certificate_validation'));
    expect(v.validation_record_fqdns).toEqual([
      expect.stringMatching(/^\$\{aws_route53_record\.dns_validation-record_\w+\.fqdn\}$/),
    ]);
    expect(json.output.certificate_arn.value).toMatch(
      /^\$\{aws_acm_certificate_validation\.dns_validation_\w+\.certificate_arn\}$/,
    );
    expect(stack.dns.validation).toBeDefined();
  });
});

describe('ClusterOutputs for the platform (prefix delegation)', () => {
  it('hands over the private subnet IDs and maxPods 110', () => {
    const stack = buildClusterStack();
    expect(stack.privateSubnetIds).toEqual(STUB_NETWORK.clusterSubnets('main-01').privateSubnetIds);
    // awslabs/amazon-eks-ami templates/al2/runtime/max-pods-calculator.sh: prefix mode
    // `enis * ((max_eni_ips - 1) * 16) + 2`, capped at MAX_POD_CEILING_FOR_LOW_CPU=110 for 30
    // vCPUs or fewer. m5.large (3 ENIs, 10 IPv4 each): 3 * (9 * 16) + 2 = 434, capped to 110;
    // Karpenter's own ENI-limited estimate would be 3 * (10 - 1) + 2 = 29.
    expect(stack.maxPods).toBe(110);
  });
});

describe('construct guards', () => {
  it('EksCluster refuses a public endpoint open to the internet', () => {
    const stack = new TerraformStack(Testing.app(), 'guard');
    expect(
      () =>
        new EksCluster(stack, 'eks', {
          clusterName: 'x',
          kubernetesVersion: '1.35',
          vpcId: 'vpc-1',
          subnetIds: ['s-1', 's-2'],
          kmsKeyArn: 'arn:aws:kms:eu-central-1:111111111111:key/x',
          publicAccessCidrs: ['0.0.0.0/0'],
          privateAccessCidrs: [],
        }),
    ).toThrow('eks: publicAccessCidrs 0.0.0.0/0 would open the API to the internet');
    expect(
      () =>
        new KmsKey(stack, 'kms', {
          alias: 'x',
          description: 'x',
          accountId: '111111111111',
          deletionWindowDays: 3,
        }),
    ).toThrow('kms: deletionWindowDays 3 must be 7-30');
  });

  it('SystemNodeGroup refuses a release of another family or Kubernetes version, and mixed architectures', () => {
    const stack = new TerraformStack(Testing.app(), 'guard');
    const group = (id: string, edit: Partial<SystemNodeGroupProps>) =>
      new SystemNodeGroup(stack, id, {
        clusterName: 'x',
        clusterNameLiteral: 'x',
        kubernetesVersion: '1.35',
        releaseVersion: BOTTLEROCKET_RELEASE_VERSION,
        subnetIds: ['s-1'],
        instanceTypes: ['m7i.large'],
        ...edit,
      });
    expect(() => group('ok', {})).not.toThrow();
    expect(() => group('al2023', { amiFamily: 'AL2023' })).toThrow(
      `al2023: release version ${BOTTLEROCKET_RELEASE_VERSION} is not an AMI release of AL2023 for Kubernetes 1.35`,
    );
    expect(() =>
      group('other-minor', {
        amiFamily: 'AL2023',
        releaseVersion: EKS_VERSIONS['1.34'].al2023ReleaseVersion,
      }),
    ).toThrow(
      /^other-minor: release version 1\.34\.\d+-\d{8} is not an AMI release of AL2023 for Kubernetes 1\.35$/,
    );
    expect(() => group('mixed', { instanceTypes: ['m7i.large', 'm7g.large'] })).toThrow(
      'mixed: instance types m7i.large, m7g.large mix architectures',
    );
  });

  it('ServiceRole refuses a role name IAM would reject', () => {
    const stack = new TerraformStack(Testing.app(), 'guard');
    expect(
      () =>
        new ServiceRole(stack, 'long', { roleName: 'r'.repeat(65), service: 'ec2.amazonaws.com' }),
    ).toThrow(`long: role name "${'r'.repeat(65)}" is longer than 64 characters`);
  });

  it('External Secrets refuses a prefix that would match other clusters', () => {
    const ctx = { region: 'eu-central-1', accountId: '111111111111' };
    expect(() => externalSecretsStatements(ctx, 'acme/main-01')).toThrow(
      'External Secrets prefix "acme/main-01" must be a path ending in "/"',
    );
    expect(() => externalSecretsStatements(ctx, '/')).toThrow('must be a path ending in "/"');
  });
});
