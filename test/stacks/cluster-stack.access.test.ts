/**
 * Unit tier: who may reach what in the cluster stack of the example (`main-01`, stub network,
 * synthesized once per jest worker by test/support/cluster-fixtures.ts): the EKS access entries
 * (the platform workspace's roles, Identity Center roles) and the add-ons' Pod Identity roles
 * and their permissions. The rest: cluster-stack.test.ts.
 */
import { exampleCluster, principalsOf, statementsIn, values } from '../support/cluster-fixtures';
import { dataOf, resourcesOf } from '../support/synth';
import { ADDON_IDENTITIES } from '../../constructs/eks/addon-identities';
import type { ClusterStack } from '../../stacks/cluster-stack';

describe('cluster stack (example main-01)', () => {
  let stack: ClusterStack;
  let json: Record<string, any>;
  let docs: Record<string, any>;
  /** Every statement of the documents whose logical id contains `fragment`. */
  const statementsOf = (fragment: string) => statementsIn(docs, fragment);

  beforeAll(() => {
    ({ stack, json, docs } = exampleCluster());
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
});
