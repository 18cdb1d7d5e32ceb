/**
 * Offline Terraform tier for the organization guardrails:
 * 1. the SCP documents rendered by the real hashicorp/aws provider (`terraform test`,
 *    `command = plan`, fake credentials: `aws_iam_policy_document` is computed locally), at the
 *    largest size a valid environment reaches (16-character prefix, every known region, the
 *    GuardDuty monitoring statement): each `minified_json` stays within 5,120 bytes
 *    (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html)
 *    and carries the Control Tower list without `aws-portal:*`;
 * 2. the security stack's parts (Security Hub central configuration, GuardDuty, the log
 *    archive's lock) applied against a mocked provider, with assertions on the applied state.
 */
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ServiceControlPolicies } from '../../../constructs/organization/service-control-policies';
import {
  SecurityHubCentralConfiguration,
  SecurityHubDelegatedAdmin,
} from '../../../constructs/baseline/security-hub-central';
import {
  GuardDutyDelegatedAdmin,
  GuardDutyOrganizationMembers,
} from '../../../constructs/baseline/guardduty-organization';
import { LogArchive } from '../../../constructs/baseline/log-archive';
import { AWS_REGIONS } from '../../../envs/schema/common';
import { SCP_NAMES } from '../../../envs/schema/organization';
import { dataOf, resourcesOf } from '../../support/synth';
import {
  SECURITY_HUB_POLICY_MOCK,
  awsAccountMocks,
  describeOffline,
  mockAwsProviders,
} from '../../support/terraform';
import { batch, useTerraform } from './batch';

const PREFIX = 'abcdefghijklmnop';

describeOffline('terraform test: SCP documents rendered by the provider', (tf) => {
  useTerraform(tf);
  const app = Testing.app();
  const stack = new TerraformStack(app, 'scp');
  // Fake credentials and no account lookup: nothing here calls AWS during plan.
  new AwsProvider(stack, 'aws', {
    region: 'us-east-1',
    accessKey: 'mock',
    secretKey: 'mock',
    skipCredentialsValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: 'true',
    skipRegionValidation: true,
  });
  new ServiceControlPolicies(stack, 'scp', {
    prefix: PREFIX,
    allowedRegions: AWS_REGIONS,
    protectedRoleNames: [`${PREFIX}-tfc-*`, 'OrganizationAccountAccessRole'],
    attachments: Object.fromEntries(SCP_NAMES.map((n) => [n, ['r-ab12']])),
    monitoring: {
      principalArns: [
        `arn:aws:iam::123456789012:role/${PREFIX}-security-plan`,
        `arn:aws:iam::123456789012:role/${PREFIX}-security-apply`,
      ],
      actions: ['guardduty:*'],
    },
  });
  const json = JSON.parse(Testing.synth(stack));
  const docs = Object.keys(dataOf(json, 'aws_iam_policy_document'));
  const region = docs.find((d) => d.includes('region-allow-list'))!;
  const protect = docs.find((d) => d.includes('protect-landing-zone-roles'))!;
  const doc = (d: string) => `data.aws_iam_policy_document.${d}`;
  const test = `run "plan" {
  command = plan
${docs
  .map(
    (d) => `  assert {
    condition     = length(${doc(d)}.minified_json) <= 5120
    error_message = "${d} renders \${length(${doc(d)}.minified_json)} bytes"
  }`,
  )
  .join('\n')}
  assert {
    condition     = contains(jsondecode(${doc(region)}.minified_json).Statement[0].NotAction, "s3:GetBucketLocation") && !contains(jsondecode(${doc(region)}.minified_json).Statement[0].NotAction, "aws-portal:*")
    error_message = "the region deny list is not the current Control Tower list"
  }
  assert {
    condition     = jsondecode(${doc(region)}.minified_json).Statement[0].Condition.ArnNotLike["aws:PrincipalArn"][0] == "arn:aws:iam::*:role/stacksets-exec-*"
    error_message = "the region deny exempts someone before the StackSet execution role"
  }
  assert {
    condition     = contains(jsondecode(${doc(protect)}.minified_json).Statement[0].Action, "iam:CreateRole") && jsondecode(${doc(protect)}.minified_json).Statement[0].Condition.ArnNotLike["aws:PrincipalArn"] == "arn:aws:iam::*:role/stacksets-exec-*"
    error_message = "role protection does not deny CreateRole to all but the StackSet role"
  }
  assert {
    condition     = jsondecode(${doc(protect)}.minified_json).Statement[1].Resource == "arn:aws:iam::*:oidc-provider/app.terraform.io"
    error_message = "the OIDC provider is not protected"
  }
}
`;

  batch.add('scp', { stack: json, tests: { 'scp.tftest.hcl': test } });
  it('plans with every document within 5,120 bytes and the expected statements', async () => {
    expect(docs).toHaveLength(SCP_NAMES.length);
    expect(await batch.result('scp')).toEqual({ passed: 1, failed: 0, output: '' });
  });
});

describeOffline('terraform test: the security stack parts', (tf) => {
  useTerraform(tf);
  const app = Testing.app();
  const stack = new TerraformStack(app, 'security');
  const provider = new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
  new SecurityHubDelegatedAdmin(stack, 'hub-admin', { adminAccountId: '222222222222' });
  new SecurityHubCentralConfiguration(stack, 'hub', {
    provider,
    homeRegion: 'eu-central-1',
    linkedRegions: ['eu-west-1'],
    policyName: 'acme-organization',
    standards: ['standards/aws-foundational-security-best-practices/v/1.0.0'],
    targetIds: ['r-ab12'],
  });
  new GuardDutyDelegatedAdmin(stack, 'gd-admin', { adminAccountId: '222222222222' });
  new GuardDutyOrganizationMembers(stack, 'gd', { provider });
  new LogArchive(stack, 'archive', {
    provider,
    bucketName: 'acme-log-archive-222222222222',
    keyAlias: 'acme-log-archive',
    securityAccountId: '222222222222',
    managementAccountId: '111111111111',
    organizationId: 'o-abcdef1234',
    trailArn: 'arn:aws:cloudtrail:eu-central-1:111111111111:trail/acme-organization-trail',
    retentionDays: 365,
    glacierAfterDays: 90,
    noncurrentVersionDays: 90,
    policyManagerArns: ['arn:aws:iam::222222222222:role/acme-security-apply'],
  });
  const json = JSON.parse(Testing.synth(stack));
  const name = (type: string) => Object.keys(resourcesOf(json, type))[0];
  const r = (type: string) => `${type}.${name(type)}`;
  const mocks = `${awsAccountMocks({ accountId: '222222222222' })}${SECURITY_HUB_POLICY_MOCK}`;
  const test = `${mockAwsProviders(json, mocks)}
run "apply" {
  command = apply
  assert {
    condition     = ${r('aws_securityhub_organization_configuration')}.organization_configuration[0].configuration_type == "CENTRAL" && ${r('aws_securityhub_organization_configuration')}.auto_enable == false && ${r('aws_securityhub_organization_configuration')}.auto_enable_standards == "NONE"
    error_message = "Security Hub is not centrally configured"
  }
  assert {
    condition     = ${r('aws_securityhub_configuration_policy_association')}.target_id == "r-ab12" && ${r('aws_securityhub_configuration_policy_association')}.policy_id == ${r('aws_securityhub_configuration_policy')}.id
    error_message = "the configuration policy is not associated with the root"
  }
  assert {
    condition     = ${r('aws_guardduty_organization_configuration')}.auto_enable_organization_members == "ALL"
    error_message = "GuardDuty does not enroll existing accounts"
  }
  assert {
    condition     = ${r('aws_s3_bucket_object_lock_configuration')}.rule[0].default_retention[0].mode == "GOVERNANCE" && ${r('aws_s3_bucket_object_lock_configuration')}.rule[0].default_retention[0].days == 365
    error_message = "the log archive is not locked"
  }
}
`;

  batch.add('security', { stack: json, tests: { 'security.tftest.hcl': test } });
  it('applies against the mocked provider with every assertion holding', async () => {
    expect(await batch.result('security')).toEqual({ passed: 1, failed: 0, output: '' });
  });
});
