/**
 * AWS Config in one account (home region): the Config service-linked role, a recorder of
 * every supported resource type (global types included), a delivery channel to the log
 * archive, and the recorder switched on.
 * Source: https://docs.aws.amazon.com/config/latest/developerguide/gs-cli-prereq.html
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { IamServiceLinkedRole } from '@cdktf/provider-aws/lib/iam-service-linked-role';
import { ConfigConfigurationRecorder } from '@cdktf/provider-aws/lib/config-configuration-recorder';
import { ConfigDeliveryChannel } from '@cdktf/provider-aws/lib/config-delivery-channel';
import { ConfigConfigurationRecorderStatus } from '@cdktf/provider-aws/lib/config-configuration-recorder-status';

export interface ConfigRecorderProps {
  /** Recorder and delivery-channel name. */
  readonly name: string;
  /** Log-archive bucket name. */
  readonly bucketName: string;
  /** Key prefix in the bucket (Config writes `<prefix>/AWSLogs/<account>/Config/…`). */
  readonly keyPrefix: string;
  /** KMS key ARN for the delivered objects. */
  readonly kmsKeyArn: string;
  /** Provider of the account (undefined: the stack's default provider). */
  readonly provider?: TerraformProvider;
}

/** The AWS Config recorder of one account. */
export class ConfigRecorder extends Construct {
  readonly recorder: ConfigConfigurationRecorder;

  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    const provider = props.provider;
    const role = new IamServiceLinkedRole(this, 'service-linked-role', {
      provider,
      awsServiceName: 'config.amazonaws.com',
    });
    this.recorder = new ConfigConfigurationRecorder(this, 'recorder', {
      provider,
      name: props.name,
      roleArn: role.arn,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
    });
    const channel = new ConfigDeliveryChannel(this, 'delivery-channel', {
      provider,
      name: props.name,
      s3BucketName: props.bucketName,
      s3KeyPrefix: props.keyPrefix,
      s3KmsKeyArn: props.kmsKeyArn,
      dependsOn: [this.recorder],
    });
    new ConfigConfigurationRecorderStatus(this, 'status', {
      provider,
      name: this.recorder.name,
      isEnabled: true,
      dependsOn: [channel],
    });
  }
}
