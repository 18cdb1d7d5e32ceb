/**
 * Shared fixtures of the guardrail tests (test/constructs/guardrails/): one-stack apps checked
 * with `checkGuardrails`, and small builders of the resources the rules look at.
 */
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { Release } from '@cdktf/provider-helm/lib/release';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Construct } from 'constructs';
import { GuardrailError, checkGuardrails } from '../../constructs/guardrails/check';
import { type Finding } from '../../constructs/guardrails/aspect';
import { SecureBucket } from '../../constructs/shared/secure-bucket';
import { OrganizationsOrganization } from '@cdktf/provider-aws/lib/organizations-organization';
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import { ServiceControlPolicies } from '../../constructs/organization/service-control-policies';
import { LogArchive, type LogArchiveProps } from '../../constructs/baseline/log-archive';
import type { Suppression } from '../../envs/schema/guardrails';

export type Build = (stack: TerraformStack) => void;

// Fake credentials, assembled at run time so no scanner mistakes this file for a leak.
export const FAKE_ACCESS_KEY_ID = ['AKIA', 'IOSFODNN7EXAMPLE'].join('');
export const FAKE_SLACK_WEBHOOK = ['https://hooks.slack.com/services', 'T000', 'B000', 'XXXX'].join(
  '/',
);

/** Builds a one-stack app with `build`, runs checkGuardrails; returns the violations ([] if none). */
export function violations(build: Build, suppressions: Suppression[] = []): Finding[] {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'lab');
  build(stack);
  try {
    checkGuardrails(app, { guardrails: { suppressions } });
    return [];
  } catch (e) {
    if (e instanceof GuardrailError) return e.violations;
    throw e;
  }
}

export const ids = (fs: Finding[]) => [...new Set(fs.map((f) => f.rule))];

export const secureBucket = (s: Construct, id: string) =>
  new SecureBucket(s, id, { bucketName: `lab-${id}` });
export const trust = (
  s: Construct,
  id: string,
  conditions: { test: string; variable: string; values: string[] }[],
) =>
  new DataAwsIamPolicyDocument(s, id, {
    statement: [
      {
        actions: ['sts:AssumeRoleWithWebIdentity'],
        principals: [
          {
            type: 'Federated',
            identifiers: ['arn:aws:iam::111111111111:oidc-provider/app.terraform.io'],
          },
        ],
        condition: conditions,
      },
    ],
  });
export const aud = {
  test: 'StringEquals',
  variable: 'app.terraform.io:aud',
  values: ['aws.workload.identity'],
};
export const sub = (v: string) => ({
  test: 'StringLike',
  variable: 'app.terraform.io:sub',
  values: [v],
});
export const helm = (s: Construct, id: string, extra: Record<string, unknown> = {}) =>
  new Release(s, id, {
    name: id,
    chart: 'demo',
    repository: 'https://charts.example',
    version: '1.2.3',
    ...extra,
  });
/** A release `r` with one YAML values document. */
export const helmYaml = (s: Construct, yaml: string, id = 'r') => helm(s, id, { values: [yaml] });
/** A Pod manifest `m` running `image`. */
export const pod = (s: Construct, image: string) =>
  new Manifest(s, 'm', {
    manifest: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image }] },
    },
  });
/** A CloudNativePG `Cluster` manifest `pg` (a stateful custom resource). */
export const cnpgCluster = (s: Construct, extra: Record<string, unknown> = {}) =>
  new Manifest(s, 'pg', {
    manifest: {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: 'pg' },
      spec: {},
    },
    ...extra,
  });
export const eks = (s: Construct, id: string, extra: Record<string, unknown> = {}) =>
  new EksCluster(s, id, {
    name: id,
    roleArn: 'arn:aws:iam::111111111111:role/eks',
    vpcConfig: { subnetIds: ['subnet-1'], endpointPublicAccess: false },
    encryptionConfig: {
      resources: ['secrets'],
      provider: { keyArn: 'arn:aws:kms:eu-central-1:111111111111:key/x' },
    },
    enabledClusterLogTypes: ['api', 'audit', 'authenticator'],
    lifecycle: { preventDestroy: true },
    ...extra,
  });

/** The four built-in SCPs of prefix `lab`, attached to `target` (default the root ID `r-ab12`). */
export const landingZoneScps = (s: Construct, target = 'r-ab12', extra = {}) =>
  new ServiceControlPolicies(s, 'scp', {
    prefix: 'lab',
    allowedRegions: ['eu-central-1'],
    protectedRoleNames: [],
    attachments: {
      'deny-leave-organization': [target],
      'deny-root-user': [target],
      'region-allow-list': [target],
      'protect-landing-zone-roles': [target],
    },
    ...extra,
  });
export const organization = (s: Construct) =>
  new OrganizationsOrganization(s, 'org', {
    featureSet: 'ALL',
    lifecycle: { preventDestroy: true },
  });
/** A hand-written SCP `custom` from `statement`, attached at the root. */
export const customScp = (s: Construct, statement: Record<string, unknown>[]) => {
  const doc = new DataAwsIamPolicyDocument(s, 'custom-document', { statement });
  const p = new OrganizationsPolicy(s, 'custom', {
    name: 'custom',
    content: doc.minifiedJson,
    type: 'SERVICE_CONTROL_POLICY',
  });
  new OrganizationsPolicyAttachment(s, 'custom-at-root', { policyId: p.id, targetId: 'r-ab12' });
};
export const archive = (s: Construct, extra: Partial<LogArchiveProps> = {}) =>
  new LogArchive(s, 'archive', {
    provider: new AwsProvider(s, 'aws', { region: 'eu-central-1' }),
    bucketName: 'lab-log-archive',
    keyAlias: 'lab-log-archive',
    securityAccountId: '222222222222',
    managementAccountId: '111111111111',
    organizationId: 'o-abcdef1234',
    trailArn: 'arn:aws:cloudtrail:eu-central-1:111111111111:trail/lab',
    retentionDays: 365,
    glacierAfterDays: 90,
    noncurrentVersionDays: 90,
    ...extra,
  });
