/**
 * `clusters`: one entry per EKS cluster; each gets a cluster stack and a platform stack.
 *
 * The cluster stack's part of an entry: Kubernetes version, API endpoint access, control-plane
 * log retention, the system node group, access entries for Identity Center permission sets,
 * DNS and bucket lifecycles. `platform` and `dagster` belong to the platform stack.
 */
import { z } from 'zod';
import { Address4 } from 'ip-address';
import { issue, name, namedRecord } from './common';
import type { OrganizationConfig } from './organization';
import type { IdentityCenterConfig } from './identity-center';
import { platformSchema } from './platform';
import { dagsterSchema } from './dagster';
import { DEFAULT_EKS_VERSION, EKS_VERSIONS } from '../versions';

/**
 * CloudWatch Logs retention values (days) the API accepts.
 * Source: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
 */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

/**
 * EKS access policies an access entry may be given.
 * Source: https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html
 */
export const EKS_ACCESS_POLICIES = [
  'AmazonEKSClusterAdminPolicy',
  'AmazonEKSAdminPolicy',
  'AmazonEKSEditPolicy',
  'AmazonEKSViewPolicy',
  'AmazonEKSAdminViewPolicy',
] as const;

/** Longest EKS cluster name (`<prefix>-<key>`) the cluster stack accepts, so derived names fit (bucket names ≤ 63). */
export const MAX_CLUSTER_NAME_LENGTH = 36;

const ipv4Cidr = z.string().refine((c) => Address4.isValid(c) && c.includes('/'), {
  message: 'must be an IPv4 CIDR like 203.0.113.0/24',
});

const endpoint = z
  .object({
    publicAccessCidrs: z
      .array(ipv4Cidr)
      .default([])
      .describe(
        'CIDRs allowed to reach the public API endpoint. Empty (default): the public endpoint is off and the API is reachable only from inside the VPC. `0.0.0.0/0` is rejected. Source: https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
      ),
    privateAccessCidrs: z
      .array(ipv4Cidr)
      .optional()
      .describe(
        "CIDRs (besides the cluster's own nodes) allowed to reach the private endpoint on 443. Default: the cluster's private subnets, where the Terraform Cloud agents of its platform workspace run (docs/terraform-cloud.md, bootstrap step 5); not the whole VPC.",
      ),
  })
  .strict()
  .prefault({});

const systemNodeGroup = z
  .object({
    instanceTypes: z
      .array(
        z
          .string()
          .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'must be an EC2 instance type like m7i.large'),
      )
      .min(1)
      .default(['m7i.large', 'm6i.large'])
      .describe(
        'EC2 instance types, on-demand, all of one architecture (default `[m7i.large, m6i.large]`).',
      ),
    amiFamily: z
      .enum(['Bottlerocket', 'AL2023'])
      .default('Bottlerocket')
      .describe(
        "AMI family of the system node group: `Bottlerocket` (default) or `AL2023`. Karpenter's nodes run Amazon Linux 2023 whatever this says (the EC2NodeClass alias `KARPENTER_AMI_ALIAS` in envs/versions.ts, one root volume): Bottlerocket nodes would need its two block devices (`/dev/xvda` OS, `/dev/xvdb` data) in the node class, which is not offered. Source: https://karpenter.sh/v1.14/concepts/nodeclasses/ (default block device mappings).",
      ),
    minSize: z
      .number()
      .int()
      .min(1, 'must be at least 1 node')
      .default(2)
      .describe('Node count bounds; the group spans every availability zone (defaults 2 / 2 / 4).'),
    desiredSize: z.number().int().min(1, 'must be at least 1 node').default(2),
    maxSize: z
      .number()
      .int()
      .min(1, 'must be at least 1 node')
      .max(100, 'must be at most 100 nodes')
      .default(4),
    diskSizeGiB: z
      .number()
      .int()
      .min(20)
      .max(16384)
      .default(50)
      .describe('Data volume size, GiB (gp3, encrypted; default 50).'),
  })
  .strict()
  .prefault({});

const accessEntry = z
  .object({
    policy: z
      .enum(EKS_ACCESS_POLICIES)
      .describe('EKS access policy (e.g. `AmazonEKSClusterAdminPolicy`).'),
    namespaces: z
      .array(name)
      .min(1)
      .optional()
      .describe('Namespaces the policy applies in; omitted = the whole cluster.'),
  })
  .strict();

/** `clusters.<key>.dns.parent`: where the public zone `rootZone` lives, when it is a Route 53 zone to delegate from. */
const dnsParent = z
  .object({
    account: name.describe(
      "Account key holding the public hosted zone `rootZone`: the cluster's own account (the cluster stack writes the NS record) or `network.account` (the network stack creates a delegation role there that may only UPSERT/DELETE the NS record of this cluster's zone, and the cluster stack writes through it). Other accounts are refused.",
    ),
    zoneId: z
      .string()
      .regex(/^Z[A-Z0-9]{1,31}$/, 'must be a Route 53 hosted zone ID like Z0123456789ABCDEFGHIJ')
      .optional()
      .describe(
        'Hosted zone ID of `rootZone` (`Z…`), when several public zones share the name (default: looked up by name).',
      ),
  })
  .strict();

const dns = z
  .object({
    rootZone: z
      .string()
      .regex(
        /^(?=.{1,200}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
        'must be a lowercase DNS name like example.com',
      )
      .describe(
        "Parent domain; the cluster's zone is `<cluster key>.<rootZone>` (e.g. `acme.example`).",
      ),
    parent: dnsParent
      .optional()
      .describe(
        'Where `rootZone` is a Route 53 public hosted zone (default none: nothing pre-existing is needed; the cluster zone is created, its name servers are the `zone_name_servers` output and the delegation is a manual step, see docs/clusters.md). With a parent, the stack writes the NS record and waits for the certificate.',
      ),
    rootZoneManaged: z
      .unknown()
      .refine((v) => v === undefined, {
        message:
          'replaced by dns.parent: { account: <account holding the zone> } (omit it to delegate by hand)',
      })
      .optional()
      .describe('Replaced by `parent`.'),
  })
  .strict();

const buckets = z
  .object({
    postgresBackupsExpirationDays: z
      .number()
      .int()
      .min(1)
      .default(90)
      .describe(
        'Days before CloudNativePG backup objects expire (default 90; keep above the CNPG retention policy).',
      ),
    dagsterComputeLogsExpirationDays: z
      .number()
      .int()
      .min(1)
      .default(30)
      .describe('Days before Dagster compute logs expire (default 30).'),
    noncurrentVersionExpirationDays: z
      .number()
      .int()
      .min(1)
      .default(30)
      .describe('Days before noncurrent object versions expire, both buckets (default 30).'),
  })
  .strict()
  .prefault({});

const cluster = z
  .object({
    account: name.describe(
      'Key of the member account (in `organization.accounts`) that holds the cluster.',
    ),
    kubernetesVersion: z
      .string()
      .default(DEFAULT_EKS_VERSION)
      .describe(
        'Kubernetes minor version; one of `EKS_VERSIONS` (in EKS standard support). Default `DEFAULT_EKS_VERSION`.',
      ),
    endpoint,
    logRetentionDays: z
      .number()
      .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
        message: `must be one of CloudWatch's retention values (${LOG_RETENTION_DAYS.join(', ')})`,
      })
      .default(90)
      .describe(
        'Retention of the control-plane log group `/aws/eks/<cluster>/cluster`, days (default 90).',
      ),
    systemNodeGroup,
    supportType: z
      .enum(['STANDARD', 'EXTENDED'])
      .default('STANDARD')
      .describe(
        "EKS version support policy (`upgrade_policy.support_type`): `STANDARD` (default; the cluster is upgraded automatically at the end of standard support, no extended-support charges) or `EXTENDED` (stays on its version for up to 12 more months, billed extra). AWS's own default is EXTENDED. Source: https://docs.aws.amazon.com/eks/latest/userguide/extended-support-control.html",
      ),
    zonalShift: z
      .boolean()
      .default(true)
      .describe(
        'ARC zonal shift on the cluster (`zonal_shift_config.enabled`, default true; free). Needs capacity in every AZ to absorb the loss of one. Source: https://docs.aws.amazon.com/eks/latest/userguide/zone-shift.html',
      ),
    accessEntries: z
      .record(z.string(), accessEntry)
      .default({})
      .describe(
        "Identity Center permission set name → EKS access policy for its role in this account (`AWSReservedSSO_<name>_*`). Keys must be permission sets assigned to the cluster's account.",
      ),
    dns,
    buckets,
    platform: platformSchema.describe("Add-ons of the cluster's platform stack."),
    dagster: dagsterSchema.describe('Dagster on this cluster.'),
  })
  .strict();

/** `clusters`: cluster key (a DNS-safe name, e.g. `main-01`) → cluster entry. */
export const clustersSchema = namedRecord(cluster);

/** One parsed `clusters.<key>` entry, defaults applied. */
export type ClusterConfig = z.output<typeof cluster>;
/** `clusters.<key>.accessEntries.<permission set>`. */
export type ClusterAccessEntryConfig = z.output<typeof accessEntry>;

/** Whether an EC2 instance type is Graviton (arm64): a `g` after the generation digit (`m7g`, `c7gn`, `r8gd`). */
export function isArmInstanceType(type: string): boolean {
  return /^[a-z]+\d+g[a-z]*\./.test(type);
}

/**
 * Cross-field rules for the clusters section, each reported with its path: the account exists;
 * `<prefix>-<key>` is at most {@link MAX_CLUSTER_NAME_LENGTH} characters; the Kubernetes version
 * has pinned add-ons (`EKS_VERSIONS`); no `/0` public endpoint CIDR; `minSize <= desiredSize <=
 * maxSize`; one CPU architecture in the system group; access entries only for permission sets
 * that exist and are assigned to the cluster's account; `AmazonEKSClusterAdminPolicy` only
 * cluster-wide; a DNS parent in the cluster's account or `network.account` only; Dagster host
 * names of one label (the wildcard certificate covers `*.<cluster zone>` only).
 */
/** Clusters one account may hold (see {@link checkClusters}). */
export const MAX_CLUSTERS_PER_ACCOUNT = 12;

export function checkClusters(
  env: {
    prefix: string;
    clusters: Record<string, ClusterConfig>;
    network: { account: string };
    organization: OrganizationConfig;
    identityCenter: IdentityCenterConfig;
  },
  ctx: z.RefinementCtx,
): void {
  const supported = Object.keys(EKS_VERSIONS);
  // The TFC role pairs of an account's workspaces (two per cluster) come from one CloudFormation
  // StackSet template, which must stay under 51,200 bytes inline
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html):
  // 12 clusters' pairs measure about 46 KB (test/constructs/organization/identity-stackset.test.ts).
  const perAccount = new Map<string, string[]>();
  for (const [key, c] of Object.entries(env.clusters))
    perAccount.set(c.account, [...(perAccount.get(c.account) ?? []), key]);
  for (const [account, keys] of perAccount)
    if (keys.length > MAX_CLUSTERS_PER_ACCOUNT)
      issue(
        ctx,
        ['clusters', keys[MAX_CLUSTERS_PER_ACCOUNT], 'account'],
        `account "${account}" would hold ${keys.length} clusters; at most ${MAX_CLUSTERS_PER_ACCOUNT} per account (their Terraform Cloud roles come from one CloudFormation StackSet template, limited to 51,200 bytes): put further clusters in another account`,
      );
  for (const [key, c] of Object.entries(env.clusters)) {
    const path = ['clusters', key];
    if (!(c.account in env.organization.accounts)) {
      issue(ctx, [...path, 'account'], `unknown account "${c.account}"`);
    }
    const clusterName = `${env.prefix}-${key}`;
    if (clusterName.length > MAX_CLUSTER_NAME_LENGTH) {
      issue(
        ctx,
        path,
        `cluster name "${clusterName}" is ${clusterName.length} characters; at most ${MAX_CLUSTER_NAME_LENGTH} so bucket and role names fit`,
      );
    }
    if (!supported.includes(c.kubernetesVersion)) {
      issue(
        ctx,
        [...path, 'kubernetesVersion'],
        `"${c.kubernetesVersion}" is not a Kubernetes version in EKS standard support with pinned add-ons (supported: ${supported.join(', ')})`,
      );
    }
    c.endpoint.publicAccessCidrs.forEach((cidr, i) => {
      if (cidr.endsWith('/0')) {
        issue(
          ctx,
          [...path, 'endpoint', 'publicAccessCidrs', i],
          `${cidr} opens the API endpoint to the internet; list specific CIDRs or none (private only)`,
        );
      }
    });
    checkDns(key, c, env.network.account, env.organization, ctx);
    const ng = c.systemNodeGroup;
    if (!(ng.minSize <= ng.desiredSize && ng.desiredSize <= ng.maxSize)) {
      issue(
        ctx,
        [...path, 'systemNodeGroup'],
        `needs minSize <= desiredSize <= maxSize (got ${ng.minSize} / ${ng.desiredSize} / ${ng.maxSize})`,
      );
    }
    const arm = ng.instanceTypes.filter(isArmInstanceType);
    if (arm.length > 0 && arm.length < ng.instanceTypes.length) {
      issue(
        ctx,
        [...path, 'systemNodeGroup', 'instanceTypes'],
        `mixes arm64 (${arm.join(', ')}) and x86_64 instance types; use one architecture`,
      );
    }
    for (const [ps, entry] of Object.entries(c.accessEntries)) {
      const entryPath = [...path, 'accessEntries', ps];
      if (!(ps in env.identityCenter.permissionSets)) {
        issue(
          ctx,
          entryPath,
          `unknown permission set "${ps}" (not in identityCenter.permissionSets)`,
        );
      } else if (
        !env.identityCenter.assignments.some(
          (a) => a.permissionSet === ps && a.accounts.includes(c.account),
        )
      ) {
        issue(
          ctx,
          entryPath,
          `permission set "${ps}" is not assigned to account "${c.account}" in identityCenter.assignments, so its role never exists there`,
        );
      }
      if (entry.policy === 'AmazonEKSClusterAdminPolicy' && entry.namespaces) {
        issue(
          ctx,
          [...entryPath, 'namespaces'],
          'AmazonEKSClusterAdminPolicy is cluster-wide; remove namespaces or pick AmazonEKSAdminPolicy',
        );
      }
    }
  }
}

/**
 * DNS rules of one cluster: the parent zone's account exists and is one the code can write to
 * (the cluster's own, or `network.account` through the network stack's delegation role); the
 * Dagster host names are single labels, since the certificate is `*.<cluster zone>` and "the
 * asterisk (*) ... can protect only one subdomain level"
 * (https://docs.aws.amazon.com/acm/latest/userguide/acm-certificate.html, "Wildcard names").
 */
function checkDns(
  key: string,
  c: ClusterConfig,
  networkAccount: string,
  organization: OrganizationConfig,
  ctx: z.RefinementCtx,
): void {
  const path = ['clusters', key];
  const parent = c.dns.parent;
  if (parent) {
    const at = [...path, 'dns', 'parent', 'account'];
    if (!(parent.account in organization.accounts)) {
      issue(ctx, at, `unknown account "${parent.account}"`);
    } else if (parent.account !== c.account && parent.account !== networkAccount) {
      issue(
        ctx,
        at,
        `the parent zone must be in the cluster's account ("${c.account}") or network.account ("${networkAccount}"), ` +
          `where a stack of this app can write the NS record; for a zone in "${parent.account}" omit dns.parent and ` +
          `delegate by hand from the zone_name_servers output`,
      );
    }
  }
  const zone = `${key}.${c.dns.rootZone}`;
  const ingress = c.dagster.ingress;
  for (const field of ['subdomain', 'readOnlySubdomain'] as const) {
    const host = ingress[field];
    const used = field === 'subdomain' || c.dagster.webserver.readOnly;
    if (c.dagster.enabled && ingress.enabled && used && host.includes('.')) {
      issue(
        ctx,
        [...path, 'dagster', 'ingress', field],
        `"${host}" has more than one label: the certificate *.${zone} covers one level only; use e.g. "${host.replace(/\./g, '-')}"`,
      );
    }
  }
}
