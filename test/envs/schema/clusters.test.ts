/**
 * Configuration tier, cluster section: defaults of a minimal cluster entry, and a failing case
 * with its expected message for every cluster rule (zod rules and `checkClusters`).
 */
import { exampleEnv, problemsOf } from '../../support/env';
import { DEFAULT_EKS_VERSION, EKS_VERSIONS } from '../../../envs/versions';
import { LOG_RETENTION_DAYS, isArmInstanceType } from '../../../envs/schema/clusters';

const C = 'clusters.main-01';

describe('cluster entry defaults', () => {
  const env = exampleEnv((raw) => {
    raw.clusters['main-01'] = {
      account: 'production',
      dns: { rootZone: 'acme.example' },
      platform: {},
      dagster: {},
    };
  });
  const c = env.clusters['main-01'];

  it('defaults to a Kubernetes version in EKS standard support with pinned add-ons', () => {
    expect(c.kubernetesVersion).toBe(DEFAULT_EKS_VERSION);
    expect(Object.keys(EKS_VERSIONS)).toContain(DEFAULT_EKS_VERSION);
    const eol = EKS_VERSIONS[DEFAULT_EKS_VERSION].endOfStandardSupport;
    expect(eol > '2026-11-21').toBe(true);
  });

  it('defaults to a private-only endpoint with no public CIDRs and no extra access entries', () => {
    expect(c.endpoint.publicAccessCidrs).toEqual([]);
    expect(c.endpoint.privateAccessCidrs).toBeUndefined(); // the stack then uses the private subnets
    expect(c.accessEntries).toEqual({});
    expect(c.dns.parent).toBeUndefined(); // never looks up or writes a zone it was not told about
  });

  it('defaults to the STANDARD support policy and zonal shift on', () => {
    // EKS's own default is EXTENDED (billed extra): "Extended support is enabled by default for
    // new clusters" (https://docs.aws.amazon.com/eks/latest/userguide/extended-support-control.html).
    expect(c.supportType).toBe('STANDARD');
    expect(c.zonalShift).toBe(true);
  });

  it('defaults to a CloudWatch-accepted log retention', () => {
    expect(LOG_RETENTION_DAYS).toContain(c.logRetentionDays);
  });

  it('defaults to a highly available, single-architecture Bottlerocket system group', () => {
    const ng = c.systemNodeGroup;
    expect(ng.amiFamily).toBe('Bottlerocket');
    // At least two nodes (one node or AZ can fail), counts in order, one CPU architecture.
    expect(ng.minSize).toBeGreaterThanOrEqual(2);
    expect(ng.minSize <= ng.desiredSize && ng.desiredSize <= ng.maxSize).toBe(true);
    expect(new Set(ng.instanceTypes.map(isArmInstanceType)).size).toBe(1);
    expect(ng.diskSizeGiB).toBeGreaterThanOrEqual(20);
  });

  it('defaults to expiring bucket objects and their old versions', () => {
    const b = c.buckets;
    for (const days of Object.values(b)) expect(days).toBeGreaterThanOrEqual(1);
    // Backups outlive compute logs: a restore may need older base backups.
    expect(b.postgresBackupsExpirationDays).toBeGreaterThan(b.dagsterComputeLogsExpirationDays);
  });

  it('keeps the example explicit about its choices', () => {
    const ex = exampleEnv().clusters['main-01'];
    expect(ex.endpoint.publicAccessCidrs).toEqual([]);
    expect(ex.accessEntries.Administrator).toEqual({ policy: 'AmazonEKSClusterAdminPolicy' });
    expect(ex.dns).toEqual({ rootZone: 'acme.example' }); // a fresh account: nothing to look up
  });
});

describe('isArmInstanceType', () => {
  it.each([
    ['m7g.large', true],
    ['c7gn.xlarge', true],
    ['r8gd.2xlarge', true],
    ['m7i.large', false],
    ['m6a.large', false],
    ['t3.medium', false],
  ])('%s → %s', (t, arm) => expect(isArmInstanceType(t)).toBe(arm));
});

/** [description, edit of the raw example's main-01, expected problem]. */
const cases: [string, (c: any, raw: any) => void, string][] = [
  [
    'Kubernetes version out of standard support',
    (c) => (c.kubernetesVersion = '1.31'),
    `${C}.kubernetesVersion: "1.31" is not a Kubernetes version in EKS standard support with pinned add-ons (supported: ${Object.keys(EKS_VERSIONS).join(', ')})`,
  ],
  [
    'public endpoint open to the internet',
    (c) => (c.endpoint = { publicAccessCidrs: ['203.0.113.0/24', '0.0.0.0/0'] }),
    `${C}.endpoint.publicAccessCidrs[1]: 0.0.0.0/0 opens the API endpoint to the internet; list specific CIDRs or none (private only)`,
  ],
  [
    'malformed public CIDR',
    (c) => (c.endpoint = { publicAccessCidrs: ['203.0.113.0'] }),
    `${C}.endpoint.publicAccessCidrs[0]: must be an IPv4 CIDR like 203.0.113.0/24`,
  ],
  [
    'malformed private CIDR',
    (c) => (c.endpoint = { privateAccessCidrs: ['10.0.300.0/24'] }),
    `${C}.endpoint.privateAccessCidrs[0]: must be an IPv4 CIDR like 203.0.113.0/24`,
  ],
  [
    'unknown endpoint key',
    (c) => (c.endpoint = { publicAccess: true }),
    `${C}.endpoint.publicAccess: unknown key (not in the schema)`,
  ],
  [
    'log retention CloudWatch does not accept',
    (c) => (c.logRetentionDays = 45),
    `${C}.logRetentionDays: must be one of CloudWatch's retention values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)`,
  ],
  [
    'node counts out of order',
    (c) => Object.assign(c.systemNodeGroup, { minSize: 3, desiredSize: 2 }),
    `${C}.systemNodeGroup: needs minSize <= desiredSize <= maxSize (got 3 / 2 / 4)`,
  ],
  [
    'mixed architectures',
    (c) => (c.systemNodeGroup.instanceTypes = ['m7i.large', 'm7g.large']),
    `${C}.systemNodeGroup.instanceTypes: mixes arm64 (m7g.large) and x86_64 instance types; use one architecture`,
  ],
  [
    'too many system nodes',
    (c) => (c.systemNodeGroup.maxSize = 101),
    `${C}.systemNodeGroup.maxSize: must be at most 100 nodes`,
  ],
  [
    'an empty system node group',
    (c) => (c.systemNodeGroup.maxSize = 0),
    `${C}.systemNodeGroup.maxSize: must be at least 1 node`,
  ],
  [
    'malformed instance type',
    (c) => (c.systemNodeGroup.instanceTypes = ['large']),
    `${C}.systemNodeGroup.instanceTypes[0]: must be an EC2 instance type like m7i.large`,
  ],
  [
    'unknown AMI family',
    (c) => (c.systemNodeGroup.amiFamily = 'AL2'),
    `${C}.systemNodeGroup.amiFamily: Invalid option: expected one of "Bottlerocket"|"AL2023"`,
  ],
  [
    'too small a disk',
    (c) => (c.systemNodeGroup.diskSizeGiB = 10),
    `${C}.systemNodeGroup.diskSizeGiB: Too small: expected number to be >=20`,
  ],
  [
    'access entry for an unknown permission set',
    (c) => (c.accessEntries.Auditor = { policy: 'AmazonEKSViewPolicy' }),
    `${C}.accessEntries.Auditor: unknown permission set "Auditor" (not in identityCenter.permissionSets)`,
  ],
  [
    'access entry for a permission set not assigned to the account',
    (c, raw) => {
      raw.identityCenter.permissionSets.Billing = { description: 'Billing' };
      c.accessEntries.Billing = { policy: 'AmazonEKSViewPolicy' };
    },
    `${C}.accessEntries.Billing: permission set "Billing" is not assigned to account "production" in identityCenter.assignments, so its role never exists there`,
  ],
  [
    'unknown access policy',
    (c) => (c.accessEntries.ReadOnly = { policy: 'AmazonEKSSuperPolicy' }),
    `${C}.accessEntries.ReadOnly.policy: Invalid option: expected one of "AmazonEKSClusterAdminPolicy"|"AmazonEKSAdminPolicy"|"AmazonEKSEditPolicy"|"AmazonEKSViewPolicy"|"AmazonEKSAdminViewPolicy"`,
  ],
  [
    'namespaced cluster-admin',
    (c) =>
      (c.accessEntries.Administrator = {
        policy: 'AmazonEKSClusterAdminPolicy',
        namespaces: ['dagster'],
      }),
    `${C}.accessEntries.Administrator.namespaces: AmazonEKSClusterAdminPolicy is cluster-wide; remove namespaces or pick AmazonEKSAdminPolicy`,
  ],
  [
    'root zone not a DNS name',
    (c) => (c.dns.rootZone = 'Acme_Example'),
    `${C}.dns.rootZone: must be a lowercase DNS name like example.com`,
  ],
  ['missing dns', (c) => delete c.dns, `${C}.dns: required`],
  [
    'bucket lifecycle below one day',
    (c) => (c.buckets.dagsterComputeLogsExpirationDays = 0),
    `${C}.buckets.dagsterComputeLogsExpirationDays: Too small: expected number to be >=1`,
  ],
  ['unknown account', (c) => (c.account = 'staging'), `${C}.account: unknown account "staging"`],
  [
    'the removed rootZoneManaged flag',
    (c) => (c.dns.rootZoneManaged = true),
    `${C}.dns.rootZoneManaged: replaced by dns.parent: { account: <account holding the zone> } (omit it to delegate by hand)`,
  ],
  [
    'a DNS parent in an unknown account',
    (c) => (c.dns.parent = { account: 'dns' }),
    `${C}.dns.parent.account: unknown account "dns"`,
  ],
  [
    'a DNS parent in an account no stack here can write to',
    (c) => (c.dns.parent = { account: 'security' }),
    `${C}.dns.parent.account: the parent zone must be in the cluster's account ("production") or network.account ("production"), where a stack of this app can write the NS record; for a zone in "security" omit dns.parent and delegate by hand from the zone_name_servers output`,
  ],
  [
    'a malformed parent zone ID',
    (c) => (c.dns.parent = { account: 'production', zoneId: 'acme.example' }),
    `${C}.dns.parent.zoneId: must be a Route 53 hosted zone ID like Z0123456789ABCDEFGHIJ`,
  ],
  [
    'an unknown support policy',
    (c) => (c.supportType = 'LONG'),
    `${C}.supportType: Invalid option: expected one of "STANDARD"|"EXTENDED"`,
  ],
  // ACM: "The asterisk (*) ... can protect only one subdomain level" (wildcard names,
  // https://docs.aws.amazon.com/acm/latest/userguide/acm-certificate.html): *.main-01.acme.example
  // does not cover ui.dagster.main-01.acme.example.
  [
    'a Dagster host of two labels under the wildcard certificate',
    (c) => (c.dagster.ingress.subdomain = 'ui.dagster'),
    `${C}.dagster.ingress.subdomain: "ui.dagster" has more than one label: the certificate *.main-01.acme.example covers one level only; use e.g. "ui-dagster"`,
  ],
  [
    'a read-only Dagster host of two labels',
    (c) => {
      c.dagster.webserver.readOnly = true;
      c.dagster.ingress.readOnlySubdomain = 'ro.dagster';
    },
    `${C}.dagster.ingress.readOnlySubdomain: "ro.dagster" has more than one label: the certificate *.main-01.acme.example covers one level only; use e.g. "ro-dagster"`,
  ],
  [
    'cluster name too long for derived names',
    (_c, raw) => {
      raw.clusters['a-very-long-cluster-name-for-tst'] = raw.clusters['main-01'];
      delete raw.clusters['main-01'];
    },
    'clusters.a-very-long-cluster-name-for-tst: cluster name "acme-a-very-long-cluster-name-for-tst" is 37 characters; at most 36 so bucket and role names fit',
  ],
];

describe('cluster rules', () => {
  it.each(cases)('%s', (_name, edit, expected) => {
    const problems = problemsOf((raw) => edit(raw.clusters['main-01'], raw));
    expect(problems).toContain(expected);
  });
});
