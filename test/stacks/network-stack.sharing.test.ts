/**
 * Variants of the network and cluster stacks: a cluster in a second workload account (VPC sharing
 * through AWS RAM, discovery tags written by the participant, DNS delegation through roles in the
 * network account), secondary VPC ranges, and prefix reservations. The environments are generated
 * from the example with test/support/scale.ts.
 *
 * Sources:
 * - VPC sharing: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-sharing.html ("Owners can
 *   share subnets only with other accounts ... in the same organization"; "VPC tags and tags for
 *   the resources within the shared VPC are not shared with the participants"; participants
 *   "cannot launch resources using security groups that are owned by ... the VPC owner").
 * - EKS in shared subnets: https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html#network-requirements-shared
 * - Delegation role: aws/aws-cdk packages/aws-cdk-lib/aws-route53/lib/util.ts (`makeGrantDelegation`).
 * - Prefix reservations: https://docs.aws.amazon.com/eks/latest/userguide/cni-increase-ip-addresses-procedure.html
 */
import { parseEnvironment } from '../../envs/load';
import type { Environment } from '../../envs/schema';
import { scaledRaw } from '../support/scale';
import { buildExample, dataOf, resourcesOf, synthJson } from '../support/synth';
import { problemsOf } from '../support/env';
import type { LandingZone } from '../../stacks/app';

const AZS = ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'];
const values = (o: Record<string, any>) => Object.values(o);

/** The example plus `c-02` in the new member account `wl-001`, its parent zone in the network account. */
function twoAccountEnv(edit?: (raw: Record<string, any>) => void): Environment {
  const raw = scaledRaw({ accounts: 1, clusters: 2, clusterAccounts: 'spread' });
  raw.clusters['c-02'].dns.parent = { account: 'production' };
  edit?.(raw);
  return parseEnvironment(raw, 'two-accounts');
}

describe('a cluster in a second workload account', () => {
  let lz: LandingZone;
  let net: Record<string, any>;
  let c02: Record<string, any>;
  let main: Record<string, any>;
  beforeAll(() => {
    lz = buildExample(twoAccountEnv());
    net = synthJson(lz.network);
    c02 = synthJson(lz.clusters['c-02']);
    main = synthJson(lz.clusters['main-01']);
  });

  describe('network stack (VPC owner)', () => {
    it('shares the subnets of c-02, and only those, with its account through one RAM share', () => {
      const shares = values(resourcesOf(net, 'aws_ram_resource_share'));
      expect(shares).toEqual([
        expect.objectContaining({ name: 'acme-c-02-subnets', allow_external_principals: false }),
      ]);
      const assoc = values(resourcesOf(net, 'aws_ram_resource_association'));
      const shared = assoc.map(
        (a) => /aws_subnet\.shared-vpc_([\w-]+?)_\w+\.arn/.exec(a.resource_arn)![1],
      );
      expect(shared.sort()).toEqual(
        ['private', 'public', 'control-plane']
          .flatMap((k) => AZS.map((az) => `c-02-${k}-${az}`))
          .sort(),
      );
      const principals = values(resourcesOf(net, 'aws_ram_principal_association'));
      expect(principals).toHaveLength(1);
      // The account ID of wl-001, from the organization (a cross-stack reference at app synth).
      expect(principals[0].principal).toMatch(
        /^\$\{aws_organizations_account\.organization_account-wl-001_\w+\.id\}$/,
      );
      expect(net.output.subnet_shares.value).toEqual({
        'c-02': expect.stringMatching(/^\$\{aws_ram_resource_share\.share-c-02_share_\w+\.arn\}$/),
      });
    });

    it('keeps the owner-side discovery tags for clusters of its own account', () => {
      const priv = values(resourcesOf(net, 'aws_subnet')).filter(
        (s) => s.tags['karpenter.sh/discovery'] === 'acme-main-01',
      );
      expect(priv).toHaveLength(3);
    });

    it('creates read and NS-write delegation roles for c-02, trusted by its TFC roles only', () => {
      const roles = values(resourcesOf(net, 'aws_iam_role')).filter((r) => /-dns-/.test(r.name));
      expect(roles.map((r) => r.name).sort()).toEqual([
        'acme-c-02-dns-reader',
        'acme-c-02-dns-writer',
      ]);
      for (const r of roles) expect(r.description.length).toBeLessThanOrEqual(1000); // IAM quota
      const docs = dataOf(net, 'aws_iam_policy_document');
      const doc = (suffix: string) =>
        Object.entries(docs).find(([k]) =>
          k.startsWith(`dns-delegation-c-02_${suffix}`),
        )![1] as any;
      for (const phase of ['plan', 'apply']) {
        const [t] = doc(`${phase}-trust`).statement;
        expect(t.principals).toEqual([
          {
            type: 'AWS',
            identifiers: [expect.stringMatching(/organization_account-wl-001_\w+\.id\}:root$/)],
          },
        ]);
        expect(t.condition).toEqual([
          {
            test: 'ArnEquals',
            variable: 'aws:PrincipalArn',
            values: [expect.stringMatching(new RegExp(`:role/acme-cluster-c-02-${phase}$`))],
          },
        ]);
      }
      const sids = (phase: string) =>
        doc(`${phase}-policy-document`).statement.map((s: any) => s.sid);
      expect(sids('plan')).toEqual(['ReadParentZone', 'ReadChanges']);
      expect(sids('apply')).toEqual(['ReadParentZone', 'ReadChanges', 'WriteOnlyTheDelegation']);
      const write = doc('apply-policy-document').statement[2];
      expect(write.actions).toEqual(['route53:ChangeResourceRecordSets']);
      expect(write.resources).toEqual(['${data.aws_route53_zone.dns-parent-c-02.arn}']);
      // The CDK's grantDelegation conditions, all ForAllValues:StringEquals.
      expect(
        Object.fromEntries(write.condition.map((c: any) => [c.variable, [c.test, c.values]])),
      ).toEqual({
        'route53:ChangeResourceRecordSetsRecordTypes': ['ForAllValues:StringEquals', ['NS']],
        'route53:ChangeResourceRecordSetsActions': [
          'ForAllValues:StringEquals',
          ['CREATE', 'UPSERT', 'DELETE'],
        ],
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': [
          'ForAllValues:StringEquals',
          ['c-02.acme.example'],
        ],
      });
      // The parent zone is looked up where the config says it lives: this (the network) account.
      expect(dataOf(net, 'aws_route53_zone')).toEqual({
        'dns-parent-c-02': { name: 'acme.example', private_zone: false },
      });
    });
  });

  describe('cluster stack of c-02 (RAM participant)', () => {
    it('runs in the cluster account, not the network account', () => {
      expect(lz.clusters['c-02'].spec.account).toBe('wl-001');
      expect(lz.network.spec.account).toBe('production');
    });

    it('tags the shared subnets itself, since the owner tags are not shared', () => {
      const tags = values(resourcesOf(c02, 'aws_ec2_tag'));
      const bySubnet = new Map<string, Record<string, string>>();
      for (const t of tags) {
        const subnet = /aws_subnet\.shared-vpc_([\w-]+?)_\w+\.id/.exec(t.resource_id)![1];
        bySubnet.set(subnet, { ...bySubnet.get(subnet), [t.key]: t.value });
      }
      for (const az of AZS) {
        expect(bySubnet.get(`c-02-private-${az}`)).toEqual({
          'kubernetes.io/role/internal-elb': '1',
          'kubernetes.io/cluster/acme-c-02': 'shared',
          'karpenter.sh/discovery': 'acme-c-02',
        });
        expect(bySubnet.get(`c-02-public-${az}`)).toEqual({
          'kubernetes.io/role/elb': '1',
          'kubernetes.io/cluster/acme-c-02': 'shared',
        });
      }
      expect(tags).toHaveLength(15);
      // A cluster in the network account needs none (the owner's tags are its own).
      expect(resourcesOf(main, 'aws_ec2_tag')).toEqual({});
    });

    it('puts the control plane in the shared control-plane subnets, with its own security group', () => {
      const [c] = values(resourcesOf(c02, 'aws_eks_cluster'));
      expect(c.vpc_config.subnet_ids).toEqual(
        AZS.map((az) =>
          expect.stringMatching(new RegExp(`aws_subnet\\.shared-vpc_c-02-control-plane-${az}_`)),
        ),
      );
      const [sg] = values(resourcesOf(c02, 'aws_security_group'));
      expect(sg.vpc_id).toMatch(/^\$\{aws_vpc\.shared-vpc_\w+\.id\}$/); // the owner's VPC, this account's group
      expect(c.vpc_config.security_group_ids).toEqual([
        expect.stringMatching(/^\$\{aws_security_group\.eks_api-sg_/),
      ]);
    });

    it('writes its NS record through the delegation role of the run phase and waits for the certificate', () => {
      const alias = c02.provider.aws.find((p: any) => p.alias === 'dns-parent');
      expect(alias.assume_role).toEqual([
        {
          role_arn: expect.stringMatching(
            /^\$\{strcontains\(data\.aws_caller_identity\.account\.arn, ":assumed-role\/acme-cluster-c-02-plan\/"\) \? aws_iam_role\.dns-delegation-c-02_plan-role_\w+\.arn : aws_iam_role\.dns-delegation-c-02_apply-role_\w+\.arn\}$/,
          ),
          session_name: 'cluster-c-02-dns',
        },
      ]);
      const ns = values(resourcesOf(c02, 'aws_route53_record')).find((r) => r.type === 'NS');
      expect(ns).toMatchObject({ provider: 'aws.dns-parent', name: 'c-02.acme.example' });
      expect(ns.zone_id).toMatch(/data\.aws_route53_zone\.dns-parent-c-02\.zone_id/);
      // No lookup in the cluster account: the zone is not there.
      expect(dataOf(c02, 'aws_route53_zone')).toEqual({});
      expect(values(resourcesOf(c02, 'aws_acm_certificate_validation'))).toHaveLength(1);
    });
  });
});

describe('variants refused or adjusted by the schema', () => {
  it('refuses a parent zone in a third account, naming the field', () => {
    expect(
      problemsOf((raw) => {
        raw.clusters['main-01'].dns.parent = { account: 'security' };
      }),
    ).toEqual([
      'clusters.main-01.dns.parent.account: the parent zone must be in the cluster\'s account ("production") or network.account ("production"), where a stack of this app can write the NS record; for a zone in "security" omit dns.parent and delegate by hand from the zone_name_servers output',
    ]);
  });
});

describe('network stack: secondary ranges and prefix reservations', () => {
  let net: Record<string, any>;
  beforeAll(() => {
    const raw = scaledRaw({ clusters: 4 });
    // Four /18 blocks do not fit next to the shared block: the fourth goes to a secondary range
    // (first-fit keeps the first three where they are).
    raw.network.clusterBlockPrefix = 18;
    raw.network.privateSubnetPrefix = 20;
    raw.network.publicSubnetPrefix = 24;
    raw.network.secondaryCidrs = ['10.1.0.0/16'];
    net = synthJson(buildExample(parseEnvironment(raw, 'four')).network);
  });

  it('associates the secondary range and builds the fourth block in it, after the association', () => {
    const [assoc] = values(resourcesOf(net, 'aws_vpc_ipv4_cidr_block_association'));
    expect(assoc).toMatchObject({ cidr_block: '10.1.0.0/16' });
    const subnets = values(resourcesOf(net, 'aws_subnet')).filter((s) =>
      /acme-c-04-/.test(s.tags.Name),
    );
    expect(subnets).toHaveLength(9);
    for (const s of subnets) {
      expect(s.cidr_block.startsWith('10.1.')).toBe(true);
      expect(s.depends_on).toEqual([
        expect.stringMatching(/^aws_vpc_ipv4_cidr_block_association\./),
      ]);
    }
    // The NAT admits both ranges (clusters in the secondary range egress too).
    const ingress = values(resourcesOf(net, 'aws_vpc_security_group_ingress_rule')).map(
      (r) => r.cidr_ipv4,
    );
    expect(ingress).toEqual(expect.arrayContaining(['10.0.0.0/16', '10.1.0.0/16']));
  });

  it('reserves the upper three quarters of every private subnet for prefixes', () => {
    const reservations = values(resourcesOf(net, 'aws_ec2_subnet_cidr_reservation'));
    expect(reservations).toHaveLength(4 * 3 * 2);
    // reservation_type: "prefix" or "explicit" (validated against hashicorp/aws 5.100.0).
    for (const r of reservations) {
      expect(r.reservation_type).toBe('prefix');
      expect(r.subnet_id).toMatch(
        /aws_subnet\.shared-vpc_[\w-]+-private-eu-central-1[abc]_\w+\.id/,
      );
    }
  });
});
