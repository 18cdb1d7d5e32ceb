/**
 * `clusters`: one entry per EKS cluster; each gets a cluster stack and a platform stack.
 */
import { z } from 'zod';
import { issue, name, namedRecord } from './common';
import type { OrganizationConfig } from './organization';
import { platformSchema } from './platform';
import { dagsterSchema } from './dagster';

const cluster = z
  .object({
    /** Key of the member account (in `organization.accounts`) that holds the cluster. */
    account: name,
    /** Add-ons of the cluster's platform stack. */
    platform: platformSchema,
    /** Dagster on this cluster. */
    dagster: dagsterSchema,
  })
  .strict();

export const clustersSchema = namedRecord(cluster);

export type ClusterConfig = z.output<typeof cluster>;

/** Cross-field rules for the clusters section. */
export function checkClusters(
  env: { clusters: Record<string, ClusterConfig>; organization: OrganizationConfig },
  ctx: z.RefinementCtx,
): void {
  for (const [key, c] of Object.entries(env.clusters)) {
    if (!(c.account in env.organization.accounts)) {
      issue(ctx, ['clusters', key, 'account'], `unknown account "${c.account}"`);
    }
  }
}
