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
        "CIDRs (besides the cluster's own nodes) allowed to reach the private endpoint on 443, e.g. the subnet of a Terraform Cloud agent pool. Default: the whole VPC CIDR.",
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
      .describe('AMI family: `Bottlerocket` (default) or `AL2023`.'),
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

const dns = z
  .object({
    rootZone: z
      .string()
      .regex(
        /^(?=.{1,200}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
        'must be a lowercase DNS name like example.com',
      )
      .describe(
        "Parent zone; the cluster's zone is `<cluster key>.<rootZone>` (e.g. `acme.example`).",
      ),
    rootZoneManaged: z
      .boolean()
      .default(false)
      .describe(
        "Whether `rootZone` is a Route53 public hosted zone in the cluster's account; then the stack writes the delegation (NS) records into it and waits for the certificate. Else the NS records must be added by hand (the `zone_name_servers` output). Default false.",
      ),
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
 * cluster-wide.
 */
export function checkClusters(
  env: {
    prefix: string;
    clusters: Record<string, ClusterConfig>;
    organization: OrganizationConfig;
    identityCenter: IdentityCenterConfig;
  },
  ctx: z.RefinementCtx,
): void {
  const supported = Object.keys(EKS_VERSIONS);
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
