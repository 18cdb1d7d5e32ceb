/**
 * Cross-field rules of `terraformCloud` (the section's schema is `terraform-cloud.ts`): they
 * read the stack list and the clusters, so they run on the whole environment.
 */
import type { z } from 'zod';
import { issue } from './common';
import { planStacks, type StackPlanInput } from '../stack-plan';
import type { TerraformCloudConfig } from './terraform-cloud';

/**
 * Cross-field rules:
 * - every stack ID named under `terraformCloud` (workspace settings, notification and team
 *   workspaces) must be a stack the app builds a workspace for, i.e. a non-`tfc` stack of
 *   `planStacks(env)`;
 * - a cluster whose API endpoint is private only (`clusters.<key>.endpoint.publicAccessCidrs`
 *   empty) needs `agentPool.kinds` to include `platform`: its platform stack talks to the
 *   Kubernetes API, which HCP-hosted run workers cannot reach
 *   (https://developer.hashicorp.com/terraform/cloud-docs/agents).
 * Problems are reported through `ctx` as `terraformCloud.<path>: <rule>`.
 */
export function checkTerraformCloud(
  env: StackPlanInput & {
    readonly terraformCloud: TerraformCloudConfig;
    readonly clusters: Readonly<
      Record<string, { readonly endpoint: { readonly publicAccessCidrs: readonly string[] } }>
    >;
  },
  ctx: z.RefinementCtx,
): void {
  const ids = planStacks(env)
    .filter((s) => s.kind !== 'tfc')
    .map((s) => s.id);
  const known = `known: ${ids.join(', ')}`;
  const tfc = env.terraformCloud;
  for (const id of Object.keys(tfc.workspaces)) {
    if (!ids.includes(id))
      issue(ctx, ['terraformCloud', 'workspaces', id], `no workspace for stack "${id}" (${known})`);
  }
  const checkList = (path: (string | number)[], list: string[] | undefined) =>
    list?.forEach((id, i) => {
      if (!ids.includes(id)) issue(ctx, [...path, i], `no workspace for stack "${id}" (${known})`);
    });
  for (const [key, n] of Object.entries(tfc.notifications))
    checkList(['terraformCloud', 'notifications', key, 'workspaces'], n.workspaces);
  for (const [key, t] of Object.entries(tfc.teamAccess))
    checkList(['terraformCloud', 'teamAccess', key, 'workspaces'], t.workspaces);
  if (!tfc.agentPool?.kinds.includes('platform')) {
    const privateOnly = Object.entries(env.clusters)
      .filter(([, c]) => c.endpoint.publicAccessCidrs.length === 0)
      .map(([key]) => key);
    if (privateOnly.length > 0)
      issue(
        ctx,
        ['terraformCloud', 'agentPool'],
        `clusters ${privateOnly.join(', ')} have a private-only API endpoint: their platform stacks must run on agents in the VPC (set agentPool with kinds including platform)`,
      );
  }
}
