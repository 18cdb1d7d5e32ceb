/**
 * Guardrails: every rule fires on a small synthetic stack that breaks it, stays quiet on a
 * compliant variant, and stays quiet on the example environment; suppressions, their
 * validation and the error format.
 */
import { Aspects, Testing, TerraformStack, TerraformVariable, type App } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { EbsVolume } from '@cdktf/provider-aws/lib/ebs-volume';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { Release } from '@cdktf/provider-helm/lib/release';
import { Variable } from '@cdktf/provider-tfe/lib/variable';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import {
  GuardrailError,
  addGuardrails,
  checkGuardrails,
  describeReport,
} from '../../../constructs/guardrails/check';
import { GuardrailAspect, type Finding } from '../../../constructs/guardrails/aspect';
import { RULES, RULE_IDS, type RuleId } from '../../../envs/guardrail-catalog';
import {
  RULE_REGISTRY,
  wildcardSubject,
  unpinnedImage,
} from '../../../constructs/guardrails/rules';
import { markPublicLoadBalancer } from '../../../constructs/guardrails/markers';
import { SecureBucket } from '../../../constructs/shared/secure-bucket';
import { OrganizationsOrganization } from '@cdktf/provider-aws/lib/organizations-organization';
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import { ServiceControlPolicies } from '../../../constructs/organization/service-control-policies';
import { LogArchive, type LogArchiveProps } from '../../../constructs/baseline/log-archive';
import { markLogArchive } from '../../../constructs/guardrails/markers';
import type { Suppression } from '../../../envs/schema/guardrails';
import { buildExample } from '../../support/synth';
import { exampleEnv, problemsOf } from '../../support/env';

type Build = (stack: TerraformStack) => void;

// Fake credentials, assembled at run time so no scanner mistakes this file for a leak.
const FAKE_ACCESS_KEY_ID = ['AKIA', 'IOSFODNN7EXAMPLE'].join('');
const FAKE_SLACK_WEBHOOK = ['https://hooks.slack.com/services', 'T000', 'B000', 'XXXX'].join('/');

/** Builds a one-stack app with `build`, runs checkGuardrails; returns the violations ([] if none). */
function violations(build: Build, suppressions: Suppression[] = []): Finding[] {
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

const ids = (fs: Finding[]) => [...new Set(fs.map((f) => f.rule))];

const secureBucket = (s: Construct, id: string) =>
  new SecureBucket(s, id, { bucketName: `lab-${id}` });
const trust = (
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
const aud = {
  test: 'StringEquals',
  variable: 'app.terraform.io:aud',
  values: ['aws.workload.identity'],
};
const sub = (v: string) => ({ test: 'StringLike', variable: 'app.terraform.io:sub', values: [v] });
const helm = (s: Construct, id: string, extra: Record<string, unknown> = {}) =>
  new Release(s, id, {
    name: id,
    chart: 'demo',
    repository: 'https://charts.example',
    version: '1.2.3',
    ...extra,
  });
/** A release `r` with one YAML values document. */
const helmYaml = (s: Construct, yaml: string, id = 'r') => helm(s, id, { values: [yaml] });
/** A Pod manifest `m` running `image`. */
const pod = (s: Construct, image: string) =>
  new Manifest(s, 'm', {
    manifest: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image }] },
    },
  });
/** A CloudNativePG `Cluster` manifest `pg` (a stateful custom resource). */
const cnpgCluster = (s: Construct, extra: Record<string, unknown> = {}) =>
  new Manifest(s, 'pg', {
    manifest: {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: 'pg' },
      spec: {},
    },
    ...extra,
  });
const eks = (s: Construct, id: string, extra: Record<string, unknown> = {}) =>
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
const landingZoneScps = (s: Construct, target = 'r-ab12', extra = {}) =>
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
const organization = (s: Construct) =>
  new OrganizationsOrganization(s, 'org', {
    featureSet: 'ALL',
    lifecycle: { preventDestroy: true },
  });
/** A hand-written SCP `custom` from `statement`, attached at the root. */
const customScp = (s: Construct, statement: Record<string, unknown>[]) => {
  const doc = new DataAwsIamPolicyDocument(s, 'custom-document', { statement });
  const p = new OrganizationsPolicy(s, 'custom', {
    name: 'custom',
    content: doc.minifiedJson,
    type: 'SERVICE_CONTROL_POLICY',
  });
  new OrganizationsPolicyAttachment(s, 'custom-at-root', { policyId: p.id, targetId: 'r-ab12' });
};
const archive = (s: Construct, extra: Partial<LogArchiveProps> = {}) =>
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

/** Per rule: a stack that breaks it (the violating construct path) and one that complies. */
const CASES: Record<RuleId, { bad: Build; path: string; good: Build; also?: Build[] }> = {
  'LZ-IMDS-001': {
    bad: (s) => new LaunchTemplate(s, 'lt', { metadataOptions: { httpTokens: 'optional' } }),
    path: 'lab/lt',
    good: (s) => {
      new LaunchTemplate(s, 'lt', { metadataOptions: { httpTokens: 'required' } });
      new Instance(s, 'vm', {
        ami: 'ami-1',
        instanceType: 't3.micro',
        metadataOptions: { httpTokens: 'required' },
      });
    },
    also: [(s) => new Instance(s, 'vm', { ami: 'ami-1', instanceType: 't3.micro' })],
  },
  'LZ-EBS-001': {
    bad: (s) => new EbsVolume(s, 'vol', { availabilityZone: 'eu-central-1a', size: 10 }),
    path: 'lab/vol',
    good: (s) => {
      new EbsVolume(s, 'vol', { availabilityZone: 'eu-central-1a', size: 10, encrypted: true });
      new LaunchTemplate(s, 'lt', {
        metadataOptions: { httpTokens: 'required' },
        blockDeviceMappings: [
          { deviceName: '/dev/xvda', ebs: { encrypted: 'true', volumeSize: 20 } },
        ],
      });
    },
    also: [
      (s) =>
        new LaunchTemplate(s, 'lt', {
          metadataOptions: { httpTokens: 'required' },
          blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: 20 } }],
        }),
      (s) =>
        new Instance(s, 'vm', {
          ami: 'ami-1',
          instanceType: 't3.micro',
          metadataOptions: { httpTokens: 'required' },
          rootBlockDevice: { volumeSize: 20 },
        }),
    ],
  },
  'LZ-S3-001': {
    bad: (s) => {
      const b = new S3Bucket(s, 'b', { bucket: 'lab-b', lifecycle: { preventDestroy: true } });
      new S3BucketPublicAccessBlock(s, 'pab', {
        bucket: b.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
    },
    path: 'lab/b',
    good: (s) => secureBucket(s, 'sb'),
  },
  'LZ-S3-002': {
    bad: (s) => {
      const b = new S3Bucket(s, 'b', { bucket: 'lab-b', lifecycle: { preventDestroy: true } });
      new S3BucketServerSideEncryptionConfigurationA(s, 'sse', {
        bucket: b.id,
        rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
      });
      new S3BucketPublicAccessBlock(s, 'pab', {
        bucket: b.id,
        blockPublicAcls: true,
        blockPublicPolicy: false,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
    },
    path: 'lab/b',
    good: (s) => {
      // Companions matched by literal bucket name work too.
      new S3Bucket(s, 'b', { bucket: 'lab-b', lifecycle: { preventDestroy: true } });
      new S3BucketServerSideEncryptionConfigurationA(s, 'sse', {
        bucket: 'lab-b',
        rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
      });
      new S3BucketPublicAccessBlock(s, 'pab', {
        bucket: 'lab-b',
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
    },
  },
  'LZ-SQS-001': {
    bad: (s) => new SqsQueue(s, 'q', { name: 'q' }),
    path: 'lab/q',
    good: (s) => {
      new SqsQueue(s, 'q', { name: 'q', sqsManagedSseEnabled: true });
      new SqsQueue(s, 'k', { name: 'k', kmsMasterKeyId: 'alias/x' });
    },
  },
  'LZ-LOG-001': {
    bad: (s) => new CloudwatchLogGroup(s, 'lg', { name: 'lg', retentionInDays: 30 }),
    path: 'lab/lg',
    good: (s) =>
      new CloudwatchLogGroup(s, 'lg', {
        name: 'lg',
        kmsKeyId: 'arn:aws:kms:eu-central-1:111111111111:key/x',
      }),
  },
  'LZ-EKS-001': {
    bad: (s) => eks(s, 'eks', { encryptionConfig: undefined }),
    path: 'lab/eks',
    good: (s) => eks(s, 'eks'),
  },
  'LZ-EKS-002': {
    bad: (s) =>
      eks(s, 'eks', {
        vpcConfig: {
          subnetIds: ['subnet-1'],
          endpointPublicAccess: true,
          publicAccessCidrs: ['0.0.0.0/0'],
        },
      }),
    path: 'lab/eks',
    good: (s) =>
      eks(s, 'eks', {
        vpcConfig: {
          subnetIds: ['subnet-1'],
          endpointPublicAccess: true,
          publicAccessCidrs: ['203.0.113.0/24'],
        },
      }),
    also: [(s) => eks(s, 'eks', { vpcConfig: { subnetIds: ['subnet-1'] } })],
  },
  'LZ-EKS-003': {
    bad: (s) => eks(s, 'eks', { enabledClusterLogTypes: ['api'] }),
    path: 'lab/eks',
    good: (s) => eks(s, 'eks'),
  },
  'LZ-VPC-001': {
    bad: (s) => new Vpc(s, 'vpc', { cidrBlock: '10.0.0.0/16' }),
    path: 'lab/vpc',
    good: (s) => {
      const vpc = new Vpc(s, 'vpc', { cidrBlock: '10.0.0.0/16' });
      new FlowLog(s, 'fl', {
        vpcId: vpc.id,
        trafficType: 'ALL',
        logDestinationType: 's3',
        logDestination: 'arn:aws:s3:::x',
      });
    },
  },
  'LZ-SG-001': {
    bad: (s) =>
      new SecurityGroup(s, 'sg', {
        ingress: [{ fromPort: 22, toPort: 22, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] }],
      }),
    path: 'lab/sg',
    good: (s) => {
      new SecurityGroup(s, 'sg', {
        ingress: [{ fromPort: 22, toPort: 22, protocol: 'tcp', cidrBlocks: ['10.0.0.0/8'] }],
      });
      const alb = new SecurityGroup(s, 'alb', {
        ingress: [{ fromPort: 443, toPort: 443, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] }],
      });
      markPublicLoadBalancer(alb, 'internet-facing ALB for the public status page');
    },
    also: [
      (s) =>
        new SecurityGroupRule(s, 'r', {
          type: 'ingress',
          securityGroupId: 'sg-1',
          fromPort: 443,
          toPort: 443,
          protocol: 'tcp',
          ipv6CidrBlocks: ['::/0'],
        }),
      (s) =>
        new VpcSecurityGroupIngressRule(s, 'r', {
          securityGroupId: 'sg-1',
          ipProtocol: '-1',
          cidrIpv4: '0.0.0.0/0',
        }),
    ],
  },
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
  'LZ-S3-003': {
    bad: (s) => archive(s, { objectLock: false, denyDelete: false }),
    path: 'lab/archive/bucket/bucket',
    good: (s) => {
      archive(s);
    },
    also: [
      (s) => {
        const b = secureBucket(s, 'logs');
        markLogArchive(b.bucket);
      },
    ],
  },
};

describe('the rule registry', () => {
  it('has a check and a test case for every catalog rule', () => {
    expect(RULE_REGISTRY.map((r) => r.id)).toEqual(RULE_IDS);
    expect(Object.keys(CASES).sort()).toEqual([...RULE_IDS].sort());
    for (const r of RULE_REGISTRY) {
      expect(r.fix.length).toBeGreaterThan(10);
      expect(r.types.length).toBeGreaterThan(0);
    }
  });
});

describe('docs/security.md', () => {
  const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'security.md'), 'utf8');
  it.each(RULE_IDS)('documents %s with what it prevents and its fix', (rule) => {
    expect(doc).toContain(`### ${rule}: ${RULES[rule].title}`);
    expect(doc).toContain(RULES[rule].prevents);
    expect(doc).toContain(RULES[rule].fix);
  });
});

describe.each(RULE_IDS)('%s', (rule) => {
  const c = CASES[rule];

  it('fails a stack that breaks it, naming the construct path, the rule and the fix', () => {
    const found = violations(c.bad).filter((f) => f.rule === rule);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0].path).toBe(c.path);
    expect(found[0].fix).toBe(RULES[rule].fix);
  });

  // Only rules with variants get this test (an empty list would pass without checking anything).
  const variants = (c.also ?? []).map((build, i) => [i + 1, build] as const);
  if (variants.length > 0) {
    it.each(variants)('fires on variant %i of the violation', (_i, build) => {
      expect(ids(violations(build))).toContain(rule);
    });
  }

  it('stays quiet on a compliant stack', () => {
    expect(violations(c.good)).toEqual([]);
  });
});

describe('the example environment', () => {
  let report: ReturnType<typeof checkGuardrails>;
  let error: unknown;
  let lz: ReturnType<typeof buildExample>;

  beforeAll(() => {
    const env = exampleEnv();
    lz = buildExample(env);
    try {
      report = checkGuardrails(lz.organization.node.root, env);
    } catch (e) {
      error = e;
    }
  });

  it('passes every guardrail with no suppression', () => {
    expect(error instanceof GuardrailError ? error.message : error).toBeUndefined();
    expect(report.suppressed).toEqual([]);
    expect(report.checked).toBeGreaterThan(100);
  });

  it.each(RULE_IDS)('raises no %s finding', (rule) => {
    const found =
      error instanceof GuardrailError ? error.violations.filter((f) => f.rule === rule) : [];
    expect(found.map((f) => `${f.path}: ${f.problem}`)).toEqual([]);
  });

  it('carries a guardrail aspect on every stack', () => {
    for (const stack of lz.stacks)
      expect(Aspects.of(stack).all.some(GuardrailAspect.isGuardrailAspect)).toBe(true);
  });
});

describe('suppressions', () => {
  const bad = CASES['LZ-SQS-001'].bad;
  const reason = 'queue carries only public sample events';

  it('exempt exactly the named resource for the named rule, and are reported', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'lab');
    bad(stack);
    new SqsQueue(stack, 'other', { name: 'other' });
    const suppressions = [{ rule: 'LZ-SQS-001', resource: 'lab/q', reason }];
    let err: GuardrailError | undefined;
    try {
      checkGuardrails(app, { guardrails: { suppressions } });
    } catch (e) {
      err = e as GuardrailError;
    }
    expect(err?.violations.map((f) => f.path)).toEqual(['lab/other']);

    const ok = violations(bad, suppressions);
    expect(ok).toEqual([]);
    const app2 = Testing.app();
    bad(new TerraformStack(app2, 'lab'));
    const report = checkGuardrails(app2, { guardrails: { suppressions } });
    expect(report.suppressed.map((f) => [f.rule, f.path])).toEqual([['LZ-SQS-001', 'lab/q']]);
    expect(describeReport(report).join('\n')).toContain(
      `suppressed LZ-SQS-001 on lab/q (1 finding(s)): ${reason}`,
    );
  });

  it('do not exempt another rule on the same resource', () => {
    expect(ids(violations(bad, [{ rule: 'LZ-LOG-001', resource: 'lab/q', reason }]))).toEqual([
      'LZ-SQS-001',
    ]);
  });

  it('fail when the resource path matches nothing', () => {
    const app = Testing.app();
    bad(new TerraformStack(app, 'lab'));
    expect(() =>
      checkGuardrails(app, {
        guardrails: {
          suppressions: [
            { rule: 'LZ-SQS-001', resource: 'lab/q', reason },
            { rule: 'LZ-SQS-001', resource: 'lab/nope', reason },
          ],
        },
      }),
    ).toThrow('guardrails.suppressions[1].resource: "lab/nope" matches no resource');
  });

  it('fail on an unknown rule ID', () => {
    const app = Testing.app();
    new TerraformStack(app, 'lab');
    expect(() =>
      checkGuardrails(app, {
        guardrails: { suppressions: [{ rule: 'LZ-NOPE-001', resource: 'lab/q', reason }] },
      }),
    ).toThrow('guardrails.suppressions[0].rule: unknown rule "LZ-NOPE-001"');
  });

  it('warn when they match a resource that no longer violates', () => {
    const app = Testing.app();
    CASES['LZ-SQS-001'].good(new TerraformStack(app, 'lab'));
    const report = checkGuardrails(app, {
      guardrails: { suppressions: [{ rule: 'LZ-SQS-001', resource: 'lab/q', reason }] },
    });
    expect(describeReport(report)).toContain(
      '  warning: suppression of LZ-SQS-001 on lab/q matched no finding; remove it',
    );
  });

  it('are validated by the environment schema (rule, reason length, duplicates)', () => {
    const s = (list: unknown[]) => problemsOf((raw) => (raw.guardrails = { suppressions: list }));
    expect(s([{ rule: 'LZ-NOPE-001', resource: 'a/b', reason }])[0]).toMatch(
      /^guardrails\.suppressions\[0\]\.rule: unknown rule \(known: LZ-IMDS-001/,
    );
    expect(s([{ rule: 'LZ-SQS-001', resource: 'a/b', reason: 'because' }])).toEqual([
      'guardrails.suppressions[0].reason: must explain the exemption in at least 20 characters',
    ]);
    expect(
      s([
        { rule: 'LZ-SQS-001', resource: 'a/b', reason },
        { rule: 'LZ-SQS-001', resource: 'a/b', reason },
      ]),
    ).toEqual([
      'guardrails.suppressions[1]: duplicate suppression of LZ-SQS-001 for "a/b" (also suppressions[0])',
    ]);
  });
});

describe('the error', () => {
  it('lists every violation with its path, rule, problem, fix and how to suppress', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'lab');
    new SqsQueue(stack, 'q', { name: 'q' });
    new KmsKey(stack, 'key', {});
    let message = '';
    try {
      checkGuardrails(app, { guardrails: { suppressions: [] } });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(
      'guardrails: 2 violation(s), 0 invalid suppression(s); nothing was synthesized',
    );
    expect(message).toContain(
      '[LZ-SQS-001] lab/q: neither sqs_managed_sse_enabled nor kms_master_key_id is set',
    );
    expect(message).toContain(`fix: ${RULES['LZ-SQS-001'].fix}`);
    expect(message).toContain('[LZ-PROTECT-001] lab/key:');
    expect(message).toContain(
      'or suppress: guardrails.suppressions: [{ rule: LZ-PROTECT-001, resource: lab/key, reason:',
    );
  });
});

describe('LZ-SECRET-001 on Terraform variables', () => {
  it('names the variable and what its default looks like', () => {
    const found = violations((s) => {
      new TerraformVariable(s, 'db_password', { type: 'string', default: 'hunter2hunter2' });
      new TerraformVariable(s, 'deploy_key', { type: 'string', default: FAKE_ACCESS_KEY_ID });
      new TerraformVariable(s, 'db_password_ref', { type: 'string', default: '${var.other}' });
    });
    expect(found.map((f) => [f.rule, f.path, f.address, f.problem])).toEqual([
      [
        'LZ-SECRET-001',
        'lab/db_password',
        'var.db_password',
        'variable "db_password" has a literal default',
      ],
      [
        'LZ-SECRET-001',
        'lab/deploy_key',
        'var.deploy_key',
        'default of variable "deploy_key" looks like an AWS access key ID',
      ],
    ]);
  });
});

describe('the aspect during cdktf synthesis', () => {
  /** A stack with one queue (encrypted when `compliant`) and the guardrail aspect. */
  function labApp(compliant = false): { app: App; stack: TerraformStack } {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'lab');
    new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
    new SqsQueue(stack, 'q', { name: 'q', sqsManagedSseEnabled: compliant || undefined });
    addGuardrails([stack], { suppressions: [] });
    return { app, stack };
  }

  it('fails app.synth() with the rule and path when checkGuardrails was skipped', () => {
    const { app } = labApp();
    expect(() => app.synth()).toThrow(
      /\[lab\/q\] \[LZ-SQS-001\] lab\/q: neither sqs_managed_sse_enabled/,
    );
  });

  it('runs each rule once per resource: app.synth() reuses what checkGuardrails found', () => {
    const sqs = RULE_REGISTRY.find((r) => r.id === 'LZ-SQS-001')!;
    const check = jest.spyOn(sqs, 'check');
    try {
      const checked = labApp(true);
      checkGuardrails(checked.app, { guardrails: { suppressions: [] } });
      expect(check).toHaveBeenCalledTimes(1);
      checked.app.synth();
      expect(check).toHaveBeenCalledTimes(1); // not again during synthesis

      check.mockClear();
      labApp(true).app.synth(); // no checkGuardrails: the aspect is the safety net
      expect(check).toHaveBeenCalledTimes(1);
    } finally {
      check.mockRestore();
    }
  });

  it('adds nothing for a suppressed finding', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'lab');
    new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
    new SqsQueue(stack, 'q', { name: 'q' });
    addGuardrails([stack], {
      suppressions: [
        {
          rule: 'LZ-SQS-001',
          resource: 'lab/q',
          reason: 'public sample events only, nothing sensitive',
        },
      ],
    });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('helpers', () => {
  it.each([
    ['organization:acme:project:lz:workspace:acme-network:run_phase:apply', undefined],
    ['organization:acme:project:lz:workspace:acme-network:run_phase:*', undefined],
    ['organization:acme:project:lz:workspace:*:run_phase:apply', 'has a wildcard workspace'],
    ['organization:acme:project:*:workspace:x:run_phase:apply', 'has a wildcard project'],
    ['organization:acme:project:lz', 'does not name the workspace'],
    ['system:serviceaccount:dagster:dagster', undefined],
    ['system:serviceaccount:dagster:*', 'has a wildcard'],
  ])('wildcardSubject(%s) = %s', (subject, expected) => {
    expect(wildcardSubject(subject)).toBe(expected);
  });

  it.each([
    ['nginx:1.27.0', undefined],
    ['ghcr.io/org/app@sha256:0123', undefined],
    ['localhost:5000/app:1.0', undefined],
    ['nginx', 'image "nginx" has no tag'],
    ['nginx:latest', 'image "nginx:latest" uses tag latest'],
    ['localhost:5000/app', 'image "localhost:5000/app" has no tag'],
  ])('unpinnedImage(%s) = %s', (image, expected) => {
    expect(unpinnedImage(image)).toBe(expected);
  });
});

describe('checking the synthesized JSON (main.ts)', () => {
  it('reads each configuration from the JSON it is given, not from the constructs', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'lab');
    new SqsQueue(stack, 'q', { name: 'q' }); // unencrypted: LZ-SQS-001 on the constructs
    const json = JSON.parse(Testing.synth(stack));
    const [id] = Object.keys(json.resource.aws_sqs_queue);
    json.resource.aws_sqs_queue[id].sqs_managed_sse_enabled = true;
    expect(() =>
      checkGuardrails(app, { guardrails: { suppressions: [] } }, { synthesized: () => json }),
    ).not.toThrow();
    expect(() => checkGuardrails(app, { guardrails: { suppressions: [] } })).toThrow(/LZ-SQS-001/);
  });
});
