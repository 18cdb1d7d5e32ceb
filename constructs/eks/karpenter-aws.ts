/**
 * Karpenter's AWS side, at parity with Karpenter v1.14's getting-started CloudFormation
 * template (`website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml`
 * in aws/karpenter-provider-aws): the controller role (Pod Identity) with the same policy
 * statements, actions and scoping conditions; the node role with the same managed policies
 * and an `EC2_LINUX` access entry (instance profiles are left to Karpenter, which creates them
 * from `EC2NodeClass.spec.role`); the interruption queue (SSE, 300 s retention, TLS only) and
 * the EventBridge rules feeding it.
 *
 * One addition to the template: the controller may create the EC2 Spot service-linked role
 * (`iam:CreateServiceLinkedRole` for `spot.amazonaws.com` only), so the first Spot launch in an
 * account works whether or not the role exists, and the stack never manages that
 * account-wide role (see {@link spotServiceLinkedRoleStatement}).
 *
 * Source: https://karpenter.sh/docs/reference/cloudformation/
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { PodIdentityRole } from './pod-identity-role';
import { ServiceRole, eksNodePolicyArns } from './service-role';
import { serviceAccountsOf } from './addon-identities';
import {
  INTERRUPTION_QUEUE_RETENTION_SECONDS,
  KARPENTER_INTERRUPTION_RULES,
  karpenterControllerPolicies,
  spotServiceLinkedRoleStatement,
} from './karpenter-policy';

export {
  INTERRUPTION_QUEUE_RETENTION_SECONDS,
  KARPENTER_INTERRUPTION_RULES,
  karpenterControllerPolicies,
  spotServiceLinkedRoleStatement,
  type KarpenterPolicyContext,
} from './karpenter-policy';

export interface KarpenterAwsProps {
  /** The cluster's name (use the cluster resource's `name` so access entries wait for it). */
  readonly clusterName: string;
  /**
   * The cluster name as a literal: tag condition keys, the queue name (`<cluster>`) and the
   * role names (`<cluster>-karpenter-node`, `<cluster>-karpenter-controller`) are built from it.
   */
  readonly clusterNameLiteral: string;
  /** The cluster's ARN (Pod Identity trust is limited to it). */
  readonly clusterArn: string;
  /** The cluster's region, e.g. `eu-central-1` (region conditions of the controller policy). */
  readonly region: string;
  /** The cluster's account ID (12 digits, or a token). */
  readonly accountId: string;
  /** ARN partition (default `aws`; a token is fine). */
  readonly partition?: string;
  /** Provider (account/region) to create the resources with. */
  readonly provider?: TerraformProvider;
}

/**
 * Karpenter's IAM roles, access entry, interruption queue and rules.
 * @throws Error if a role name built from `clusterNameLiteral` is longer than 64 characters
 */
export class KarpenterAws extends Construct {
  /** Node role (EC2 trust, `EKS_NODE_POLICIES` of service-role.ts); give its name to `EC2NodeClass.spec.role`. */
  readonly nodeRole: IamRole;
  /** Controller role, bound to `kube-system/karpenter` through Pod Identity. */
  readonly controller: PodIdentityRole;
  /** Interruption queue named after the cluster; give its name to `settings.interruptionQueue`. */
  readonly queue: SqsQueue;
  /** EventBridge rules feeding the queue, by upstream rule name. */
  readonly rules: Record<string, CloudwatchEventRule> = {};

  constructor(scope: Construct, id: string, props: KarpenterAwsProps) {
    super(scope, id);
    const provider = props.provider;
    const partition = props.partition ?? 'aws';
    const name = props.clusterNameLiteral;

    // Trusted by EC2 only. Upstream's v1.14 template trusts two principals: `ec2.<URL suffix>`
    // (sts:AssumeRole) and `pods.eks.amazonaws.com` (sts:AssumeRole, sts:TagSession)
    // (aws/karpenter-provider-aws website/content/en/v1.14/getting-started/
    // getting-started-with-karpenter/cloudformation.yaml, KarpenterNodeRole). No pod here uses the
    // node role through Pod Identity (the controller has its own role), so the second is left out.
    this.nodeRole = new ServiceRole(this, 'node-role', {
      provider,
      roleName: `${name}-karpenter-node`,
      description: `Nodes Karpenter launches for ${name}`,
      service: 'ec2.amazonaws.com',
      managedPolicyArns: eksNodePolicyArns(partition),
    }).role;
    new EksAccessEntry(this, 'node-access-entry', {
      provider,
      clusterName: props.clusterName,
      principalArn: this.nodeRole.arn,
      type: 'EC2_LINUX',
    });

    this.queue = new SqsQueue(this, 'queue', {
      provider,
      name,
      messageRetentionSeconds: INTERRUPTION_QUEUE_RETENTION_SECONDS,
      sqsManagedSseEnabled: true,
    });
    const queuePolicy = new DataAwsIamPolicyDocument(this, 'queue-policy-document', {
      provider,
      policyId: 'EC2InterruptionPolicy',
      statement: [
        {
          sid: 'AllowEventsToSend',
          effect: 'Allow',
          principals: [
            { type: 'Service', identifiers: ['events.amazonaws.com', 'sqs.amazonaws.com'] },
          ],
          actions: ['sqs:SendMessage'],
          resources: [this.queue.arn],
        },
        {
          sid: 'DenyHTTP',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          actions: ['sqs:*'],
          resources: [this.queue.arn],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    new SqsQueuePolicy(this, 'queue-policy', {
      provider,
      queueUrl: this.queue.url,
      policy: queuePolicy.json,
    });

    for (const [rule, pattern] of Object.entries(KARPENTER_INTERRUPTION_RULES)) {
      const r = new CloudwatchEventRule(this, rule, {
        provider,
        name: `${name}-karpenter-${rule}`.slice(0, 64),
        description: `Karpenter interruption events (${pattern['detail-type'][0]}) for ${name}`,
        eventPattern: JSON.stringify(pattern),
      });
      new CloudwatchEventTarget(this, `${rule}-target`, {
        provider,
        rule: r.name,
        targetId: 'KarpenterInterruptionQueueTarget',
        arn: this.queue.arn,
      });
      this.rules[rule] = r;
    }

    this.controller = new PodIdentityRole(this, 'controller', {
      provider,
      roleName: `${name}-karpenter-controller`,
      description: `Karpenter controller of ${name}`,
      clusterName: props.clusterName,
      clusterArn: props.clusterArn,
      accountId: props.accountId,
      policies: {
        ...karpenterControllerPolicies({
          clusterName: name,
          region: props.region,
          accountId: props.accountId,
          partition,
          nodeRoleArn: this.nodeRole.arn,
          queueArn: this.queue.arn,
        }),
        SpotServiceLinkedRolePolicy: [spotServiceLinkedRoleStatement(props.accountId, partition)],
      },
      serviceAccounts: serviceAccountsOf('karpenter'),
    });
  }
}
