/**
 * Service control policies, read back from the synthesized `aws_iam_policy_document` data
 * sources and `aws_organizations_policy_attachment`s (not from `scpStatements`): the deny
 * statements and their conditions, the attachment targets, and each policy's size rendered
 * the way the provider renders a policy document.
 *
 * Upstream facts checked here:
 * - Control Tower Region deny NotAction list (AWS-GR_REGION_DENY):
 *   https://docs.aws.amazon.com/controltower/latest/controlreference/primary-region-deny-policy.html
 * - AWS-GR_IAM_ROLE_CHANGE_PROHIBITED's 11 actions and its `stacksets-exec-*` exemption:
 *   https://docs.aws.amazon.com/controltower/latest/controlreference/mandatory-controls.html
 * - SCP size 5,120 bytes, whitespace counted when written through the API; 5 per target:
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 * - Rendering: hashicorp/terraform-provider-aws internal/service/iam/policy_model.go
 *   (`IAMPolicyDoc{Version, Id, Statements "Statement"}`, statement keys `Sid`, `Effect`,
 *   `Action`, `NotAction`, `Resource`, `NotResource`, `Principal`, `Condition`; a one-element
 *   list is written as a string). The offline tier (test/offline/suites/guardrails.ts) measures
 *   the provider's own `minified_json`.
 */
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  ServiceControlPolicies,
  SCP_MAX_BYTES,
} from '../../../constructs/organization/service-control-policies';
import { AWS_REGIONS } from '../../../envs/schema/common';
import { SCP_NAMES, SCPS_PER_TARGET } from '../../../envs/schema/organization';
import { dataOf, resourcesOf, sharedExample, synthJson } from '../../support/synth';

/** The Control Tower Region deny NotAction list, verbatim from the page cited above. */
const CONTROL_TOWER_REGION_DENY_NOT_ACTIONS =
  'a4b:*,access-analyzer:*,account:*,acm:*,activate:*,artifact:*,aws-marketplace-management:*,aws-marketplace:*,aws-portal:*,billing:*,billingconductor:*,budgets:*,ce:*,chatbot:*,chime:*,cloudfront:*,cloudtrail:LookupEvents,compute-optimizer:*,config:*,consoleapp:*,consolidatedbilling:*,cur:*,datapipeline:GetAccountLimits,devicefarm:*,directconnect:*,ec2:DescribeRegions,ec2:DescribeTransitGateways,ec2:DescribeVpnGateways,ecr-public:*,fms:*,freetier:*,globalaccelerator:*,health:*,iam:*,importexport:*,invoicing:*,iq:*,kms:*,license-manager:ListReceivedLicenses,lightsail:Get*,mobileanalytics:*,networkmanager:*,notifications-contacts:*,notifications:*,organizations:*,payments:*,pricing:*,quicksight:DescribeAccountSubscription,resource-explorer-2:*,route53-recovery-cluster:*,route53-recovery-control-config:*,route53-recovery-readiness:*,route53:*,route53domains:*,s3:CreateMultiRegionAccessPoint,s3:DeleteMultiRegionAccessPoint,s3:DescribeMultiRegionAccessPointOperation,s3:GetAccountPublicAccessBlock,s3:GetBucketLocation,s3:GetBucketPolicyStatus,s3:GetBucketPublicAccessBlock,s3:GetMultiRegionAccessPoint,s3:GetMultiRegionAccessPointPolicy,s3:GetMultiRegionAccessPointPolicyStatus,s3:GetStorageLensConfiguration,s3:GetStorageLensDashboard,s3:ListAllMyBuckets,s3:ListMultiRegionAccessPoints,s3:ListStorageLensConfigurations,s3:PutAccountPublicAccessBlock,s3:PutMultiRegionAccessPointPolicy,savingsplans:*,shield:*,sso:*,sts:*,support:*,supportapp:*,supportplans:*,sustainability:*,tag:GetResources,tax:*,trustedadvisor:*,vendor-insights:ListEntitledSecurityProfiles,waf-regional:*,waf:*,wafv2:*'.split(
    ',',
  );
/** GRIAMROLEPOLICY's actions, verbatim from the mandatory-controls page. */
const CONTROL_TOWER_ROLE_ACTIONS = [
  'iam:AttachRolePolicy',
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
];
const STACKSET_EXEC = 'arn:aws:iam::*:role/stacksets-exec-*';

type Json = Record<string, any>;

/** Renders a synthesized policy document like the provider (one-element lists as strings); tokens become 12-digit IDs. */
function render(doc: Json): string {
  const one = (v: unknown) => {
    const list = ([] as unknown[]).concat(v ?? []);
    return list.length === 1 ? list[0] : list;
  };
  const statements = ([] as Json[]).concat(doc.statement ?? []).map((s) => {
    const o: Json = {};
    if (s.sid) o.Sid = s.sid;
    o.Effect = s.effect ?? 'Allow';
    if (s.actions) o.Action = one(s.actions);
    if (s.not_actions) o.NotAction = one(s.not_actions);
    if (s.resources) o.Resource = one(s.resources);
    if (s.condition) {
      o.Condition = {};
      for (const c of [].concat(s.condition)) {
        const { test, variable, values } = c as Json;
        (o.Condition[test] ??= {})[variable] = one(values);
      }
    }
    return o;
  });
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }).replace(
    /\$\{[^}]+\}/g,
    '123456789012',
  );
}

/** Policy name (without prefix) → its document, from a synthesized stack. */
function scpDocuments(json: Json): Record<string, Json> {
  const docs = dataOf(json, 'aws_iam_policy_document');
  const out: Record<string, Json> = {};
  for (const p of Object.values(resourcesOf(json, 'aws_organizations_policy')) as Json[]) {
    const ref = /data\.aws_iam_policy_document\.([\w-]+)\.minified_json/.exec(p.content)![1];
    out[p.name.replace(/^[a-z0-9]+-/, '')] = docs[ref];
  }
  return out;
}
const byId = (doc: Json, sid: string) => doc.statement.find((s: Json) => s.sid === sid);
const cond = (s: Json, test: string) => s.condition.find((c: Json) => c.test === test);

describe('the example environment', () => {
  const json = synthJson(sharedExample().organization);
  const docs = scpDocuments(json);

  it('has every built-in SCP, each attached to the organization root only', () => {
    expect(Object.keys(docs).sort()).toEqual([...SCP_NAMES].sort());
    const attachments = Object.values(
      resourcesOf(json, 'aws_organizations_policy_attachment'),
    ) as Json[];
    expect(attachments).toHaveLength(SCP_NAMES.length);
    for (const a of attachments)
      expect(a.target_id).toMatch(/^\$\{aws_organizations_organization\.[\w-]+\.roots\[0\]\.id\}$/);
    // FullAWSAccess plus ours stays within the per-target quota.
    expect(attachments.length + 1).toBeLessThanOrEqual(SCPS_PER_TARGET);
  });

  it('denies regions outside the allow-list with exactly Control Tower global actions minus aws-portal', () => {
    const st = byId(docs['region-allow-list'], 'DenyOutsideAllowedRegions');
    expect(st.effect).toBe('Deny');
    expect([...st.not_actions].sort()).toEqual(
      CONTROL_TOWER_REGION_DENY_NOT_ACTIONS.filter((a) => a !== 'aws-portal:*').sort(),
    );
    expect(cond(st, 'StringNotEquals')).toEqual({
      test: 'StringNotEquals',
      variable: 'aws:RequestedRegion',
      values: ['eu-central-1', 'eu-west-1'],
    });
    // Exempt: the StackSet execution role, and the security workspace's two roles by exact ARN
    // (GuardDuty also runs in us-east-1, outside the allowed regions; the monitoring statement
    // limits them to guardduty:* and global services there). No access role, no other TFC role.
    expect(cond(st, 'ArnNotLike').values).toEqual([
      STACKSET_EXEC,
      expect.stringMatching(
        /^arn:aws:iam::\$\{aws_organizations_account\.[\w-]+\.id\}:role\/acme-security-plan$/,
      ),
      expect.stringMatching(
        /^arn:aws:iam::\$\{aws_organizations_account\.[\w-]+\.id\}:role\/acme-security-apply$/,
      ),
    ]);
  });

  it('denies creating or changing the landing zone roles and the OIDC provider to all but the StackSet role', () => {
    const roles = byId(docs['protect-landing-zone-roles'], 'ProtectLandingZoneRoles');
    expect(roles.effect).toBe('Deny');
    expect(roles.actions).toEqual(expect.arrayContaining(CONTROL_TOWER_ROLE_ACTIONS));
    expect(roles.actions).toEqual(expect.arrayContaining(['iam:TagRole', 'iam:UntagRole']));
    expect(roles.resources).toEqual(
      expect.arrayContaining([
        'arn:aws:iam::*:role/acme-*-plan',
        'arn:aws:iam::*:role/acme-*-apply',
        'arn:aws:iam::*:role/stacksets-exec-*',
        'arn:aws:iam::*:role/OrganizationAccountAccessRole',
      ]),
    );
    expect(roles.condition).toEqual([
      { test: 'ArnNotLike', variable: 'aws:PrincipalArn', values: [STACKSET_EXEC] },
    ]);
    const oidc = byId(docs['protect-landing-zone-roles'], 'ProtectOidcProviders');
    expect(oidc.actions).toEqual(
      expect.arrayContaining([
        'iam:DeleteOpenIDConnectProvider',
        'iam:UpdateOpenIDConnectProviderThumbprint',
        'iam:AddClientIDToOpenIDConnectProvider',
        'iam:RemoveClientIDFromOpenIDConnectProvider',
        'iam:TagOpenIDConnectProvider',
        'iam:UntagOpenIDConnectProvider',
      ]),
    );
    expect(oidc.resources).toEqual(['arn:aws:iam::*:oidc-provider/app.terraform.io']);
    expect(oidc.condition).toEqual(roles.condition);
  });

  it('keeps every exempt principal inside the protected role names (no creatable escape)', () => {
    const protectedPatterns = byId(
      docs['protect-landing-zone-roles'],
      'ProtectLandingZoneRoles',
    ).resources;
    const exempt = Object.values(docs)
      .flatMap((d) => d.statement)
      .flatMap((s: Json) => s.condition ?? [])
      .filter((c: Json) => c.test === 'ArnNotLike')
      .flatMap((c: Json) => c.values);
    // IAM ArnLike semantics: `*` matches any run of characters (an account ID token stands for
    // any account). https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
    const glob = (p: string) =>
      new RegExp(`^${p.replace(/[.+?^()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    const concrete = (v: string) => v.replace(/\$\{[^}]+\}/g, '123456789012');
    for (const v of exempt)
      expect(protectedPatterns.some((p: string) => glob(p).test(concrete(v)))).toBe(true);
  });

  it.each(SCP_NAMES)('%s renders below 5,120 bytes', (name) => {
    expect(Buffer.byteLength(render(docs[name]))).toBeLessThanOrEqual(SCP_MAX_BYTES);
  });
});

describe('variants', () => {
  /** A stack with the four SCPs for `prefix` and `regions`, plus the GuardDuty monitoring roles. */
  function synthScps(prefix: string, regions: readonly string[]) {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'scp');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    new ServiceControlPolicies(stack, 'scp', {
      prefix,
      allowedRegions: regions,
      protectedRoleNames: [`${prefix}-tfc-*`, 'OrganizationAccountAccessRole'],
      attachments: Object.fromEntries(SCP_NAMES.map((n) => [n, ['r-ab12']])),
      monitoring: {
        principalArns: [
          `arn:aws:iam::123456789012:role/${prefix}-security-plan`,
          `arn:aws:iam::123456789012:role/${prefix}-security-apply`,
        ],
        actions: ['guardduty:*'],
      },
    });
    return scpDocuments(synthJson(stack));
  }

  it.each([
    ['a 2-character prefix and one region', 'ab', ['eu-central-1']],
    ['a 16-character prefix and every known region', 'abcdefghijklmnop', AWS_REGIONS],
  ])('stays below 5,120 bytes with %s', (_what, prefix, regions) => {
    const docs = synthScps(prefix, regions);
    for (const doc of Object.values(docs))
      expect(Buffer.byteLength(render(doc))).toBeLessThanOrEqual(SCP_MAX_BYTES);
  });

  it('lets the monitoring roles use only GuardDuty and IAM/Organizations/STS outside the allowed regions', () => {
    const doc = synthScps('acme', ['eu-central-1'])['region-allow-list'];
    const workloads = byId(doc, 'DenyOutsideAllowedRegions');
    expect(cond(workloads, 'ArnNotLike').values).toEqual([
      STACKSET_EXEC,
      'arn:aws:iam::123456789012:role/acme-security-plan',
      'arn:aws:iam::123456789012:role/acme-security-apply',
    ]);
    const monitoring = byId(doc, 'MonitoringOnlyOutsideAllowedRegions');
    expect(monitoring.effect).toBe('Deny');
    expect(monitoring.not_actions.sort()).toEqual(
      ['guardduty:*', 'iam:*', 'organizations:*', 'sts:*'].sort(),
    );
    expect(cond(monitoring, 'ArnLike').values).toEqual(
      cond(workloads, 'ArnNotLike').values.slice(1),
    );
    expect(cond(monitoring, 'StringNotEquals').values).toEqual(['eu-central-1']);
  });

  it('refuses a monitoring principal with a wildcard (it would be a creatable name)', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'bad');
    expect(
      () =>
        new ServiceControlPolicies(stack, 'scp', {
          prefix: 'acme',
          allowedRegions: ['eu-central-1'],
          protectedRoleNames: [],
          attachments: { 'region-allow-list': ['r-ab12'] },
          monitoring: { principalArns: ['arn:aws:iam::*:role/acme-*'], actions: ['guardduty:*'] },
        }),
    ).toThrow('monitoring principal "arn:aws:iam::*:role/acme-*" has a wildcard');
  });
});
