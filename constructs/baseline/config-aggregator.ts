/**
 * An AWS Config organization aggregator in the security account (registered as delegated
 * administrator for Config from the management account), so every account's configuration
 * and compliance is visible in one place.
 * Source: https://docs.aws.amazon.com/config/latest/developerguide/set-up-aggregator-cli.html
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { ConfigConfigurationAggregator } from '@cdktf/provider-aws/lib/config-configuration-aggregator';
import { OrganizationsDelegatedAdministrator } from '@cdktf/provider-aws/lib/organizations-delegated-administrator';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

export interface ConfigAggregatorProps {
  /** Aggregator (and role) name. */
  readonly name: string;
  /** Account ID of the security account. */
  readonly adminAccountId: string;
  /** Provider for the security account. */
  readonly adminProvider: TerraformProvider;
  /** Regions to aggregate (the allowed regions). */
  readonly regions: string[];
}

/** Organization-wide Config aggregator. */
export class ConfigAggregator extends Construct {
  readonly aggregator: ConfigConfigurationAggregator;

  constructor(scope: Construct, id: string, props: ConfigAggregatorProps) {
    super(scope, id);
    const provider = props.adminProvider;
    const delegations = ['config.amazonaws.com', 'config-multiaccountsetup.amazonaws.com'].map(
      (servicePrincipal) =>
        new OrganizationsDelegatedAdministrator(
          this,
          `delegated-${servicePrincipal.split('.')[0]}`,
          {
            accountId: props.adminAccountId,
            servicePrincipal,
          },
        ),
    );
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      provider,
      statement: [
        {
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['config.amazonaws.com'] }],
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.adminAccountId] },
          ],
        },
      ],
    });
    const role = new IamRole(this, 'role', {
      provider,
      name: props.name,
      assumeRolePolicy: trust.json,
    });
    const attach = new IamRolePolicyAttachment(this, 'role-policy', {
      provider,
      role: role.name,
      policyArn: 'arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations',
    });
    this.aggregator = new ConfigConfigurationAggregator(this, 'aggregator', {
      provider,
      name: props.name,
      organizationAggregationSource: {
        allRegions: false,
        regions: props.regions,
        roleArn: role.arn,
      },
      dependsOn: [...delegations, attach],
    });
  }
}
