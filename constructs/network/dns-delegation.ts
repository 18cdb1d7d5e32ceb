/**
 * Delegation of a cluster zone from a parent zone in this (the VPC owner's) account to a cluster
 * in another account: two IAM roles the cluster stack assumes for the one NS record it writes in
 * the parent zone, one per Terraform Cloud run phase.
 *
 * - `plan` role: trusted by the cluster account's TFC plan role; may read the parent zone
 *   (`route53:GetHostedZone`, `route53:ListResourceRecordSets`) and changes (`route53:GetChange`).
 * - `apply` role: trusted by the cluster account's TFC apply role; the same, plus
 *   `route53:ChangeResourceRecordSets` on the parent zone only for NS records named after the
 *   cluster zone (`route53:ChangeResourceRecordSetsNormalizedRecordNames`,
 *   `...RecordTypes = NS`, `...Actions` CREATE/UPSERT/DELETE, all `ForAllValues:StringEquals`).
 *
 * This is the pattern of the AWS CDK's `HostedZone.grantDelegation()` (aws/aws-cdk
 * `packages/aws-cdk-lib/aws-route53/lib/util.ts`, `makeGrantDelegation`); condition keys:
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/specifying-rrset-conditions.html.
 * The provider polls `GetChange` after each change (hashicorp/terraform-provider-aws
 * `internal/service/route53`, `waitChangeInsync`).
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';

/** Role name suffix per run phase (see {@link DnsDelegationRolesProps.name}). */
export const DNS_ROLE_SUFFIX = { plan: 'reader', apply: 'writer' } as const;

/**
 * ARN pattern of every read-only (plan-phase) delegation role of a landing zone, in any account
 * (`<prefix>-<cluster>-dns-reader`): what a cluster plan role may assume, and the one exception
 * of the plan roles' deny policy (constructs/organization/tfc-oidc-roles.ts).
 * @param prefix the environment's `prefix` (`acme`)
 */
export function dnsReaderRoleArnPattern(prefix: string): string {
  return `arn:aws:iam::*:role/${prefix}-*-dns-${DNS_ROLE_SUFFIX.plan}`;
}

/** Props of {@link DnsDelegationRoles}. */
export interface DnsDelegationRolesProps {
  /**
   * Role name prefix; the roles are `<name>-reader` (plan phase) and `<name>-writer` (apply phase),
   * at most 57 characters. Not `-plan`/`-apply`: the protective SCP lets only the StackSet
   * execution role create `<prefix>-*-plan|apply` roles, and the network stack creates these.
   */
  readonly name: string;
  /** ARN of the parent hosted zone (`arn:aws:route53:::hostedzone/Z…`). */
  readonly parentZoneArn: string;
  /** The delegated (cluster) zone's name, lowercase (`main-02.acme.example`). */
  readonly childZoneName: string;
  /** ARN partition (`aws`; a token is fine). */
  readonly partition: string;
  /** Account ID of the cluster (token or 12 digits): its roots are the trusted principals. */
  readonly trustedAccountId: string;
  /** Names of the roles in that account that may assume each role, by phase. */
  readonly trustedRoleNames: { readonly plan: string; readonly apply: string };
  /** Provider of the parent zone's account (default: the stack's default AWS provider). */
  readonly provider?: TerraformProvider;
}

/** The two delegation roles (see the module doc). */
export class DnsDelegationRoles extends Construct {
  /** Read-only role for plans. */
  readonly planRole: IamRole;
  /** NS-writing role for applies. */
  readonly applyRole: IamRole;

  /** @throws Error if `childZoneName` has uppercase letters or the role names would exceed 64 characters */
  constructor(scope: Construct, id: string, props: DnsDelegationRolesProps) {
    super(scope, id);
    const provider = props.provider;
    // NormalizedRecordNames compares lowercase names (CDK validation: "delegated zone name
    // cannot contain uppercase characters").
    if (props.childZoneName !== props.childZoneName.toLowerCase())
      throw new Error(`${id}: zone name ${props.childZoneName} must be lowercase`);
    if (`${props.name}-writer`.length > 64)
      throw new Error(`${id}: role name ${props.name}-writer exceeds 64 characters`);
    const read: DataAwsIamPolicyDocumentStatement = {
      sid: 'ReadParentZone',
      effect: 'Allow',
      actions: ['route53:GetHostedZone', 'route53:ListResourceRecordSets'],
      resources: [props.parentZoneArn],
    };
    const changes: DataAwsIamPolicyDocumentStatement = {
      sid: 'ReadChanges',
      effect: 'Allow',
      actions: ['route53:GetChange'],
      resources: [`arn:${props.partition}:route53:::change/*`],
    };
    const writeNs: DataAwsIamPolicyDocumentStatement = {
      sid: 'WriteOnlyTheDelegation',
      effect: 'Allow',
      actions: ['route53:ChangeResourceRecordSets'],
      resources: [props.parentZoneArn],
      condition: [
        {
          test: 'ForAllValues:StringEquals',
          variable: 'route53:ChangeResourceRecordSetsRecordTypes',
          values: ['NS'],
        },
        {
          test: 'ForAllValues:StringEquals',
          variable: 'route53:ChangeResourceRecordSetsActions',
          values: ['CREATE', 'UPSERT', 'DELETE'],
        },
        {
          test: 'ForAllValues:StringEquals',
          variable: 'route53:ChangeResourceRecordSetsNormalizedRecordNames',
          values: [props.childZoneName],
        },
      ],
    };
    const role = (phase: 'plan' | 'apply', statements: DataAwsIamPolicyDocumentStatement[]) => {
      const trust = new DataAwsIamPolicyDocument(this, `${phase}-trust`, {
        provider,
        statement: [
          {
            effect: 'Allow',
            actions: ['sts:AssumeRole'],
            principals: [
              {
                type: 'AWS',
                identifiers: [`arn:${props.partition}:iam::${props.trustedAccountId}:root`],
              },
            ],
            condition: [
              {
                test: 'ArnEquals',
                variable: 'aws:PrincipalArn',
                values: [
                  `arn:${props.partition}:iam::${props.trustedAccountId}:role/${props.trustedRoleNames[phase]}`,
                ],
              },
            ],
          },
        ],
      });
      const r = new IamRole(this, `${phase}-role`, {
        provider,
        name: `${props.name}-${DNS_ROLE_SUFFIX[phase]}`,
        description: `${phase === 'plan' ? 'Read' : 'Write the NS record of'} ${props.childZoneName} in its parent zone (${phase} runs of its cluster stack)`,
        assumeRolePolicy: trust.json,
        maxSessionDuration: 3600,
      });
      const doc = new DataAwsIamPolicyDocument(this, `${phase}-policy-document`, {
        provider,
        statement: statements,
      });
      new IamRolePolicy(this, `${phase}-policy`, {
        provider,
        role: r.name,
        name: 'dns-delegation',
        policy: doc.json,
      });
      return r;
    };
    this.planRole = role('plan', [read, changes]);
    this.applyRole = role('apply', [read, changes, writeNs]);
  }
}
