/**
 * An organization IAM Access Analyzer in the security account, registered as delegated
 * administrator for `access-analyzer.amazonaws.com` from the management account: findings
 * for every resource shared outside the organization. Home region.
 * Source: https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-settings.html#access-analyzer-delegated-administrator
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { AccessanalyzerAnalyzer } from '@cdktf/provider-aws/lib/accessanalyzer-analyzer';
import { OrganizationsDelegatedAdministrator } from '@cdktf/provider-aws/lib/organizations-delegated-administrator';

export interface OrganizationAccessAnalyzerProps {
  /** Analyzer name. */
  readonly name: string;
  /** Account ID of the delegated administrator (the security account). */
  readonly adminAccountId: string;
  /** Provider for the security account. */
  readonly adminProvider: TerraformProvider;
}

/** Organization-wide external-access analyzer. */
export class OrganizationAccessAnalyzer extends Construct {
  readonly analyzer: AccessanalyzerAnalyzer;

  constructor(scope: Construct, id: string, props: OrganizationAccessAnalyzerProps) {
    super(scope, id);
    const delegation = new OrganizationsDelegatedAdministrator(this, 'delegated-administrator', {
      accountId: props.adminAccountId,
      servicePrincipal: 'access-analyzer.amazonaws.com',
    });
    this.analyzer = new AccessanalyzerAnalyzer(this, 'analyzer', {
      provider: props.adminProvider,
      analyzerName: props.name,
      type: 'ORGANIZATION',
      dependsOn: [delegation],
    });
  }
}
