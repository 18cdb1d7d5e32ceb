/**
 * The guardrail test cases of the resource-configuration rules (instances and volumes, buckets,
 * queues, logs, EKS, VPCs and security groups); test/support/guardrail-cases.ts joins them.
 */
import type { RuleCase } from './guardrail-cases';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { EbsVolume } from '@cdktf/provider-aws/lib/ebs-volume';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { type RuleId } from '../../envs/guardrail-catalog';
import { markPublicLoadBalancer } from '../../constructs/guardrails/markers';
import { markLogArchive } from '../../constructs/guardrails/markers';
import { archive, eks, secureBucket } from './guardrail-fixtures';

/** Per rule: a stack that breaks it (the violating construct path) and one that complies. */
export const RESOURCE_CASES: Partial<Record<RuleId, RuleCase>> = {
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
