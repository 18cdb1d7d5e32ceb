/**
 * An organization IAM Access Analyzer in the security account, registered as delegated
 * administrator for `access-analyzer.amazonaws.com` from the management account (once; the
 * registration is global): findings for every resource shared outside the organization.
 * Analyzers are regional: one per given region.
 * Source: https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-settings.html#access-analyzer-delegated-administrator
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { AccessanalyzerAnalyzer } from '@cdktf/provider-aws/lib/accessanalyzer-analyzer';
import { OrganizationsDelegatedAdministrator } from '@cdktf/provider-aws/lib/organizations-delegated-administrator';

/** Props of {@link OrganizationAccessAnalyzer}. */
export interface OrganizationAccessAnalyzerProps {
  /** Analyzer name (the same in every region). */
  readonly name: string;
  /** Account ID of the delegated administrator (the security account). */
  readonly adminAccountId: string;
  /**
   * The security account's provider per region, home region first (its analyzer keeps the
   * construct ID `analyzer`; the others are `analyzer-<region>`). At least one entry.
   */
  readonly adminProviders: { region: string; provider: TerraformProvider }[];
}

/**
 * Organization-wide external-access analyzers, one per region.
 * @throws Error if `adminProviders` is empty
 */
export class OrganizationAccessAnalyzer extends Construct {
  /** The home region's analyzer. */
  readonly analyzer: AccessanalyzerAnalyzer;
  /** Every analyzer by region. */
  readonly analyzers: Record<string, AccessanalyzerAnalyzer> = {};

  constructor(scope: Construct, id: string, props: OrganizationAccessAnalyzerProps) {
    super(scope, id);
    const delegation = new OrganizationsDelegatedAdministrator(this, 'delegated-administrator', {
      accountId: props.adminAccountId,
      servicePrincipal: 'access-analyzer.amazonaws.com',
    });
    if (props.adminProviders.length === 0)
      throw new Error(`${id}: adminProviders needs at least the home region`);
    props.adminProviders.forEach(({ region, provider }, i) => {
      this.analyzers[region] = new AccessanalyzerAnalyzer(
        this,
        i === 0 ? 'analyzer' : `analyzer-${region}`,
        { provider, analyzerName: props.name, type: 'ORGANIZATION', dependsOn: [delegation] },
      );
    });
    this.analyzer = this.analyzers[props.adminProviders[0].region];
  }
}
