/**
 * VPC flow logs (all traffic) to a CloudWatch Logs group encrypted with its own KMS key.
 *
 * - Log group with the given retention, encrypted with a customer-managed key ({@link KmsKey}:
 *   rotation on, `prevent_destroy`) whose policy admits CloudWatch Logs for this log group only.
 *   Source: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 * - The delivery role trusts `vpc-flow-logs.amazonaws.com` only for flow logs of this account
 *   (confused-deputy conditions) and may only create streams in and write to this log group.
 *   Source: https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsKey, cloudWatchLogsKeyStatement } from '../shared/kms-key';

/** Props of {@link VpcFlowLogs}. */
export interface VpcFlowLogsProps {
  /** Name prefix of the log group (`/<name>/vpc-flow-logs`), role and key alias. */
  readonly name: string;
  /** VPC ID. */
  readonly vpcId: string;
  /** Days to keep the logs (a value CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, …). */
  readonly retentionDays: number;
  /** `ALL` (default), `ACCEPT` or `REJECT`. */
  readonly trafficType?: 'ALL' | 'ACCEPT' | 'REJECT';
  /** Extra tags on every resource. */
  readonly tags?: Record<string, string>;
  /** Provider (account/region) of every resource (default: the stack's default AWS provider). */
  readonly provider?: TerraformProvider;
}

/** Flow logs of one VPC in CloudWatch Logs. */
export class VpcFlowLogs extends Construct {
  /** Log group `/<name>/vpc-flow-logs`, retention `retentionDays`, encrypted with {@link key}. */
  readonly logGroup: CloudwatchLogGroup;
  /** Customer-managed key of the log group (rotation on, `prevent_destroy`). */
  readonly key: KmsKey;
  /** Delivery role assumed by `vpc-flow-logs.amazonaws.com` (this account's flow logs only). */
  readonly role: IamRole;
  /** The flow log of the VPC (traffic type `trafficType`, default `ALL`). */
  readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    const provider = props.provider;
    const tags = props.tags;
    const partition = new DataAwsPartition(this, 'partition', { provider });
    const region = new DataAwsRegion(this, 'region', { provider });
    const account = new DataAwsCallerIdentity(this, 'account', { provider });
    const logGroupName = `/${props.name}/vpc-flow-logs`;
    // Built from parts: the key policy must name the log group before the group (which needs
    // the key) exists.
    const logGroupArn = `arn:${partition.partition}:logs:${region.name}:${account.accountId}:log-group:${logGroupName}`;

    this.key = new KmsKey(this, 'key', {
      provider,
      alias: `${props.name}-vpc-flow-logs`,
      description: `VPC flow logs ${logGroupName}`,
      accountId: account.accountId,
      partition: partition.partition,
      policyStatements: [
        cloudWatchLogsKeyStatement('CloudWatchLogsForThisLogGroup', region.name, logGroupArn),
      ],
      tags,
    });

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      provider,
      name: logGroupName,
      retentionInDays: props.retentionDays,
      kmsKeyId: this.key.keyArn,
      tags,
    });

    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      provider,
      statement: [
        {
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['vpc-flow-logs.amazonaws.com'] }],
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: [account.accountId] },
            {
              test: 'ArnLike',
              variable: 'aws:SourceArn',
              values: [
                `arn:${partition.partition}:ec2:${region.name}:${account.accountId}:vpc-flow-log/*`,
              ],
            },
          ],
        },
      ],
    });
    this.role = new IamRole(this, 'role', {
      provider,
      name: `${props.name}-vpc-flow-logs`,
      description: `Delivers VPC flow logs to ${logGroupName}`,
      assumeRolePolicy: trust.json,
      tags,
    });
    const write = new DataAwsIamPolicyDocument(this, 'write', {
      provider,
      statement: [
        {
          sid: 'WriteThisLogGroup',
          effect: 'Allow',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [this.logGroup.arn, `${this.logGroup.arn}:*`],
        },
      ],
    });
    new IamRolePolicy(this, 'role-policy', {
      provider,
      role: this.role.name,
      name: 'write-flow-logs',
      policy: write.json,
    });

    this.flowLog = new FlowLog(this, 'flow-log', {
      provider,
      vpcId: props.vpcId,
      trafficType: props.trafficType ?? 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: this.logGroup.arn,
      iamRoleArn: this.role.arn,
      tags: { ...tags, Name: `${props.name}-vpc` },
    });
  }
}
