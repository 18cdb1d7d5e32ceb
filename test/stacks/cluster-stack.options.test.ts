/**
 * Unit tier: the cluster stack's options and their limits: one variant of the example
 * (`main-01`, stub network; AL2023, restricted public endpoint, parent zone in the cluster
 * account, EXTENDED support), synthesized once, and the constructs' guards against settings
 * AWS would reject or that would open the cluster. The example itself: cluster-stack.test.ts.
 */
import { TerraformStack, Testing } from 'cdktf';
import { buildClusterStack, one, values, volumesOf } from '../support/cluster-fixtures';
import { dataOf, resourcesOf } from '../support/synth';
import { exampleEnv } from '../support/env';
import { BOTTLEROCKET_RELEASE_VERSION, EKS_VERSIONS } from '../../envs/versions';
import { EksCluster } from '../../constructs/eks/cluster';
import { SystemNodeGroup, type SystemNodeGroupProps } from '../../constructs/eks/node-group';
import { ServiceRole } from '../../constructs/eks/service-role';
import { externalSecretsStatements } from '../../constructs/eks/addon-roles';
import { KmsKey } from '../../constructs/shared/kms-key';
import type { ClusterStack } from '../../stacks/cluster-stack';

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
