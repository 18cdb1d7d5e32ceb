/**
 * Migration from the former single `management` stack: the addresses its state holds that the
 * organization stack no longer manages and must forget (`removed { destroy = false }`), beyond
 * those that moved unchanged into the security and account stacks (same construct paths, so
 * the same addresses: `resourceAddresses`). docs/organization.md, "Migrating".
 */
import { Construct } from 'constructs';
import { TerraformResource, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { GuardDutyOrganization } from '../constructs/baseline/guardduty';
import { SecurityHubOrganization } from '../constructs/baseline/security-hub';
import { SECURITY_HUB_STANDARDS, type SecurityConfig } from '../envs/schema/security';

/** `<type>.<logical id>` of every managed resource of `stack`. */
export function resourceAddresses(stack: TerraformStack): string[] {
  return stack.node
    .findAll()
    .filter((c): c is TerraformResource => c instanceof TerraformResource)
    .map((r) => `${r.terraformResourceType}.${stack.getLogicalId(r)}`);
}

/**
 * Addresses of the former per-region GuardDuty and Security Hub setup (`baseline/guardduty-*`,
 * `baseline/security-hub-*`), which the security stack replaces with the organization-wide
 * (ALL members) GuardDuty configuration and Security Hub central configuration at new
 * addresses: the former resources are forgotten, not destroyed; the security stack's first run
 * adopts what exists (docs/organization.md). Computed with the former constructs themselves on
 * a scratch stack of the same name, so cdktf allocates the same logical IDs.
 */
export function formerSecurityServiceAddresses(env: {
  homeRegion: string;
  allowedRegions: readonly string[];
  security: SecurityConfig;
}): string[] {
  const scratch = new TerraformStack(new Construct(undefined as never, 'former'), 'management');
  const provider = new AwsProvider(scratch, 'aws', { region: env.homeRegion });
  const baseline = new Construct(scratch, 'baseline');
  const regions = [env.homeRegion, ...env.allowedRegions.filter((r) => r !== env.homeRegion)];
  const regional = (base: string, region: string) =>
    region === env.homeRegion ? base : `${base}-${region}`;
  for (const region of regions) {
    if (env.security.guardDuty.enabled)
      new GuardDutyOrganization(baseline, regional('guardduty', region), {
        adminAccountId: '000000000000',
        adminProvider: provider,
      });
    if (env.security.securityHub.enabled)
      new SecurityHubOrganization(baseline, regional('security-hub', region), {
        adminAccountId: '000000000000',
        adminProvider: provider,
        region,
        standards: env.security.securityHub.standards.map((s) => SECURITY_HUB_STANDARDS[s]),
        aggregateRegions: region === env.homeRegion ? regions.slice(1) : undefined,
      });
  }
  return resourceAddresses(scratch);
}
