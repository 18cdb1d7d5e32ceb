/**
 * `network`: the shared VPC of the workload account and its address plan.
 */
import { z } from 'zod';
import { issue, name } from './common';
import type { OrganizationConfig } from './organization';

export const networkSchema = z
  .object({
    /** Key of the member account (in `organization.accounts`) that holds the VPC. */
    account: name,
    /** IPv4 range of the VPC, CIDR (default `10.0.0.0/16`). */
    cidr: z.string().default('10.0.0.0/16'),
    /** Availability zones by name (2 or 3), e.g. `eu-central-1a`. */
    availabilityZones: z.array(z.string()).min(2, 'needs 2 or 3 availability zones').max(3, 'needs 2 or 3 availability zones'),
  })
  .strict();

export type NetworkConfig = z.output<typeof networkSchema>;

/** Cross-field rules for the network section. */
export function checkNetwork(
  env: { homeRegion: string; network: NetworkConfig; organization: OrganizationConfig },
  ctx: z.RefinementCtx,
): void {
  if (!(env.network.account in env.organization.accounts)) {
    issue(ctx, ['network', 'account'], `unknown account "${env.network.account}"`);
  }
  env.network.availabilityZones.forEach((az, i) => {
    if (!new RegExp(`^${env.homeRegion}[a-z]$`).test(az)) {
      issue(ctx, ['network', 'availabilityZones', i], `"${az}" is not an availability zone of ${env.homeRegion}`);
    }
  });
}
