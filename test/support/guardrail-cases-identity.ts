/**
 * The guardrail test cases of the identity, workload and organization rules (OIDC trust, Helm
 * releases and images, secrets, deletion protection, IAM, SCPs); test/support/guardrail-cases.ts
 * joins them.
 */
import type { RuleCase } from './guardrail-cases';
import { TerraformVariable } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { Variable } from '@cdktf/provider-tfe/lib/variable';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { type RuleId } from '../../envs/guardrail-catalog';
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { ServiceControlPolicies } from '../../constructs/organization/service-control-policies';
import {
  FAKE_ACCESS_KEY_ID,
  FAKE_SLACK_WEBHOOK,
  aud,
  cnpgCluster,
  customScp,
  helm,
  helmYaml,
  landingZoneScps,
  organization,
  pod,
  sub,
  trust,
} from './guardrail-fixtures';

/** Per rule: a stack that breaks it (the violating construct path) and one that complies. */
export const IDENTITY_CASES: Partial<Record<RuleId, RuleCase>> = {
  'LZ-OIDC-001': {
    bad: (s) =>
      trust(s, 'trust', [aud, sub('organization:acme:project:lz:workspace:*:run_phase:apply')]),
    path: 'lab/trust',
    good: (s) =>
      trust(s, 'trust', [
        aud,
        sub('organization:acme:project:lz:workspace:acme-network:run_phase:*'),
      ]),
    also: [
      (s) =>
        trust(s, 'trust', [
          sub('organization:acme:project:lz:workspace:acme-network:run_phase:plan'),
        ]),
      (s) => trust(s, 'trust', [aud]),
      (s) =>
        new IamRole(s, 'role', {
          name: 'r',
          assumeRolePolicy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: 'sts:AssumeRoleWithWebIdentity',
                Principal: { Federated: 'x' },
                Condition: { StringLike: { 'oidc.example:sub': 'system:serviceaccount:*' } },
              },
            ],
          }),
        }),
    ],
  },
  'LZ-HELM-001': {
    bad: (s) => helm(s, 'r', { version: '^1.2.0' }),
    path: 'lab/r',
    good: (s) => helm(s, 'r', { version: 'v1.2.3' }),
    also: [(s) => helm(s, 'r', { version: undefined }), (s) => helm(s, 'r', { version: 'latest' })],
  },
  'LZ-IMG-001': {
    bad: (s) => helmYaml(s, 'image:\n  repository: dagster/app\n  tag: latest\n'),
    path: 'lab/r',
    good: (s) => {
      helmYaml(
        s,
        'image:\n  repository: dagster/app\n  tag: 1.9.3\nsidecar:\n  image: busybox@sha256:abc\n',
      );
      pod(s, 'nginx:1.27.0');
    },
    also: [
      (s) => helm(s, 'r', { set: [{ name: 'image.tag', value: 'latest' }] }),
      (s) => pod(s, 'nginx'),
      (s) =>
        new DeploymentV1(s, 'd', {
          metadata: { name: 'd' },
          spec: {
            selector: { matchLabels: { a: 'b' } },
            template: {
              metadata: { labels: { a: 'b' } },
              spec: { container: [{ name: 'c', image: 'nginx:latest' }] },
            },
          },
        }),
    ],
  },
  'LZ-SECRET-001': {
    bad: (s) => helmYaml(s, 'postgresql:\n  auth:\n    password: hunter2hunter2\n'),
    path: 'lab/r',
    good: (s) => {
      helmYaml(
        s,
        'postgresql:\n  auth:\n    existingSecret: dagster-pg\n    secretKeys:\n      adminPasswordKey: password\n',
      );
      new Variable(s, 'v', {
        key: 'TFC_AWS_RUN_ROLE_ARN',
        value: 'arn:aws:iam::111111111111:role/x',
        category: 'env',
        workspaceId: 'ws-1',
      });
      new TerraformVariable(s, 'db_password', { type: 'string', sensitive: true });
      new TerraformVariable(s, 'log_level', { type: 'string', default: 'info' });
      new Variable(s, 'tok', {
        key: 'tfe_token',
        value: '${var.tfe_token}',
        category: 'terraform',
        sensitive: true,
        workspaceId: 'ws-1',
      });
    },
    also: [
      (s) =>
        new Variable(s, 'v', {
          key: 'AWS_SECRET_ACCESS_KEY',
          value: 'abcd1234abcd1234abcd1234abcd1234abcd1234',
          category: 'env',
          workspaceId: 'ws-1',
        }),
      (s) =>
        new Variable(s, 'v', {
          key: 'AWS_ACCESS_KEY_ID',
          value: FAKE_ACCESS_KEY_ID,
          category: 'env',
          sensitive: true,
          workspaceId: 'ws-1',
        }),
      (s) => helm(s, 'r', { setSensitive: [{ name: 'auth.token', value: 'plaintext' }] }),
      (s) => new TerraformVariable(s, 'db_password', { type: 'string', default: 'hunter2hunter2' }),
      (s) =>
        new TerraformVariable(s, 'deploy_key', { type: 'string', default: FAKE_ACCESS_KEY_ID }),
      (s) => helm(s, 'r', { set: [{ name: 'slack.webhookUrl', value: FAKE_SLACK_WEBHOOK }] }),
    ],
  },
  'LZ-PROTECT-001': {
    bad: (s) => new KmsKey(s, 'key', { enableKeyRotation: true }),
    path: 'lab/key',
    good: (s) => {
      new KmsKey(s, 'key', { enableKeyRotation: true, lifecycle: { preventDestroy: true } });
      new DbInstance(s, 'db', {
        instanceClass: 'db.t4g.micro',
        engine: 'postgres',
        storageEncrypted: true,
        deletionProtection: true,
      });
      cnpgCluster(s, { lifecycle: { preventDestroy: true } });
    },
    also: [
      (s) =>
        new DbInstance(s, 'db', {
          instanceClass: 'db.t4g.micro',
          engine: 'postgres',
          storageEncrypted: true,
        }),
      (s) => cnpgCluster(s),
      (s) =>
        helmYaml(
          s,
          'manifests:\n  - apiVersion: postgresql.cnpg.io/v1\n    kind: Cluster\n    metadata: { name: pg }\n',
          'pg-manifests',
        ),
    ],
  }, // Limits from hashicorp/aws internal/service/iam/role.go (name 64, name_prefix 64 - 26 = 38,
  // description StringLenBetween(0, 1000), path 512) and the IAM quotas page ("Role trust
  // policy length | 2048 characters", whitespace not counted):
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
  'LZ-IAM-001': {
    bad: (s) =>
      new IamRole(s, 'role', { name: 'r', assumeRolePolicy: '{}', description: 'd'.repeat(1001) }),
    path: 'lab/role',
    good: (s) => {
      const doc = trust(s, 'trust', [
        aud,
        sub('organization:acme:project:lz:workspace:w:run_phase:*'),
      ]);
      new IamRole(s, 'role', {
        name: 'r'.repeat(64),
        path: `/${'p'.repeat(510)}/`,
        description: `${'d'.repeat(990)} ${doc.json}`,
        assumeRolePolicy: doc.json,
      });
      new IamRole(s, 'prefixed', { namePrefix: 'n'.repeat(38), assumeRolePolicy: '{}' });
    },
    also: [
      (s) => new IamRole(s, 'role', { name: 'r'.repeat(65), assumeRolePolicy: '{}' }),
      (s) => new IamRole(s, 'role', { namePrefix: 'n'.repeat(39), assumeRolePolicy: '{}' }),
      (s) =>
        new IamRole(s, 'role', { name: 'r', path: `/${'p'.repeat(511)}/`, assumeRolePolicy: '{}' }),
      (s) =>
        new IamRole(s, 'role', {
          name: 'r',
          description: 'the “admin” role',
          assumeRolePolicy: '{}',
        }),
      // A trust policy document with a subject per workspace: 24 × ~80 characters of subject
      // patterns alone, plus the statement, renders past 2,048.
      (s) => {
        const subjects = Array.from(
          { length: 24 },
          (_, i) =>
            `organization:acme:project:landing-zone:workspace:acme-cluster-${i}:run_phase:*`,
        );
        const doc = trust(s, 'trust', [aud, { ...sub(''), values: subjects }]);
        new IamRole(s, 'role', { name: 'r', assumeRolePolicy: doc.json });
      },
      (s) =>
        new IamRole(s, 'role', {
          name: 'r',
          assumeRolePolicy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Sid: 's'.repeat(2048) }],
          }),
        }),
    ],
  },
  'LZ-SCP-001': {
    bad: (s) => landingZoneScps(s, 'ou-ab12-abcdefgh'),
    path: 'lab/scp/deny-leave-organization',
    good: (s) => {
      landingZoneScps(s);
      new ServiceControlPolicies(s, 'excepted', {
        prefix: 'lab',
        allowedRegions: ['eu-central-1'],
        protectedRoleNames: [],
        attachments: { 'region-allow-list': ['ou-ab12-abcdefgh'] },
        exceptions: { 'region-allow-list': { sandbox: 'sandbox tries new regions first' } },
      });
    },
    also: [
      (s) =>
        new OrganizationsPolicy(s, 'unattached', {
          name: 'x',
          content: '{}',
          type: 'SERVICE_CONTROL_POLICY',
        }),
    ],
  },
  'LZ-SCP-002': {
    bad: (s) => {
      organization(s);
      customScp(s, [
        { effect: 'Deny', actions: ['organizations:LeaveOrganization'], resources: ['*'] },
      ]);
    },
    path: 'lab/org',
    good: (s) => {
      organization(s);
      landingZoneScps(s, 'r-ab12', {
        monitoring: {
          principalArns: ['arn:aws:iam::222222222222:role/lab-security-apply'],
          actions: ['guardduty:*'],
        },
      });
    },
    also: [
      // The old bypass: a region exemption for a role name nothing forbids creating.
      (s) => {
        organization(s);
        landingZoneScps(s, 'r-ab12', {
          managingPrincipalArns: ['arn:aws:iam::*:role/lab-tfc-*'],
        });
      },
      // Role protection without iam:CreateRole.
      (s) => {
        organization(s);
        customScp(s, [
          { effect: 'Deny', actions: ['organizations:LeaveOrganization'], resources: ['*'] },
          {
            effect: 'Deny',
            actions: ['iam:DeleteRole', 'iam:UpdateAssumeRolePolicy'],
            resources: ['arn:aws:iam::*:role/lab-*'],
          },
        ]);
      },
    ],
  },
};
