/**
 * AWS Config in one account and region: the Config service-linked role (created once per
 * account, in the home region), a recorder of every supported resource type (global types
 * such as IAM only in the home region, so they are recorded once), a delivery channel to
 * the log archive, and the recorder switched on.
 * Sources: https://docs.aws.amazon.com/config/latest/developerguide/gs-cli-prereq.html,
 * https://docs.aws.amazon.com/config/latest/developerguide/select-resources.html#select-resources-all
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { IamServiceLinkedRole } from '@cdktf/provider-aws/lib/iam-service-linked-role';
import { ConfigConfigurationRecorder } from '@cdktf/provider-aws/lib/config-configuration-recorder';
import { ConfigDeliveryChannel } from '@cdktf/provider-aws/lib/config-delivery-channel';
import { ConfigConfigurationRecorderStatus } from '@cdktf/provider-aws/lib/config-configuration-recorder-status';

/** Props of {@link ConfigRecorder}. */
export interface ConfigRecorderProps {
  /** Recorder and delivery-channel name. */
  readonly name: string;
  /** Log-archive bucket name. */
  readonly bucketName: string;
  /** Key prefix in the bucket (Config writes `<prefix>/AWSLogs/<account>/Config/…`). */
  readonly keyPrefix: string;
  /** KMS key ARN for the delivered objects. */
  readonly kmsKeyArn: string;
  /** Provider of the account and region (undefined: the stack's default provider). */
  readonly provider?: TerraformProvider;
  /** Record global resource types (IAM…); true in one region per account only (default true). */
  readonly includeGlobalResourceTypes?: boolean;
  /**
   * ARN of the account's Config service-linked role when another region's recorder created
   * it (default: create the role here; it is account-wide, so create it once per account).
   */
  readonly serviceLinkedRoleArn?: string;
}

/** The AWS Config recorder of one account in one region. */
export class ConfigRecorder extends Construct {
  readonly recorder: ConfigConfigurationRecorder;
  /** The service-linked role's ARN (pass it to the account's other regions). */
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    const provider = props.provider;
    this.roleArn =
      props.serviceLinkedRoleArn ??
      new IamServiceLinkedRole(this, 'service-linked-role', {
        provider,
        awsServiceName: 'config.amazonaws.com',
      }).arn;
    this.recorder = new ConfigConfigurationRecorder(this, 'recorder', {
      provider,
      name: props.name,
      roleArn: this.roleArn,
      recordingGroup: {
        allSupported: true,
        includeGlobalResourceTypes: props.includeGlobalResourceTypes ?? true,
      },
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
