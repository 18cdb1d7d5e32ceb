/**
 * The log archive in the security account: a KMS key (rotation on, `prevent_destroy`) and a
 * {@link SecureBucket} encrypted with it, with the bucket-policy and key-policy statements
 * the organization CloudTrail (and, when enabled, AWS Config) need to deliver to it.
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { SecureBucket } from '../secure-bucket';

/** The key prefix AWS Config delivers under (`<prefix>/AWSLogs/<account>/Config/…`). */
export const CONFIG_KEY_PREFIX = 'config';

export interface LogArchiveProps {
  /** Bucket name (globally unique, 3–63 lowercase characters). */
  readonly bucketName: string;
  /** KMS alias without `alias/` (e.g. `acme-log-archive`). */
  readonly keyAlias: string;
  /** Account ID of the security account (the provider's account); its root administers the key. */
  readonly securityAccountId: string;
  /** Account ID of the management account (the trail's owner). */
  readonly managementAccountId: string;
  /** AWS Organizations ID (`o-…`): organization trails write under `AWSLogs/<org-id>/`. */
  readonly organizationId: string;
  /**
   * ARN of the organization trail that writes here. Built from its name because the trail
   * depends on this bucket's policy (the documented pattern:
   * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html).
   */
  readonly trailArn: string;
  /** Days a log object is kept (current version expiry). */
  readonly retentionDays: number;
  /** Days after which objects move to Glacier Instant Retrieval. */
  readonly glacierAfterDays: number;
  /** Days a noncurrent version is kept. */
  readonly noncurrentVersionDays: number;
  /**
   * Accounts whose AWS Config recorders deliver here (adds Config's bucket and key
   * statements; default none). Source:
   * https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
   */
  readonly configAccountIds?: string[];
  /** Provider for the security account. */
  readonly provider: TerraformProvider;
}

/** KMS key + log-archive bucket in the security account. */
export class LogArchive extends Construct {
  readonly key: KmsKey;
  readonly bucket: SecureBucket;

  constructor(scope: Construct, id: string, props: LogArchiveProps) {
    super(scope, id);
    const provider = props.provider;
    const trailCondition = {
      test: 'StringEquals',
      variable: 'aws:SourceArn',
      values: [props.trailArn],
    };
    const configAccounts = props.configAccountIds ?? [];

    const keyStatements: DataAwsIamPolicyDocumentStatement[] = [
      {
        sid: 'SecurityAccountAdministersKey',
        actions: ['kms:*'],
        resources: ['*'],
        principals: [
          { type: 'AWS', identifiers: [`arn:aws:iam::${props.securityAccountId}:root`] },
        ],
      },
      {
        sid: 'CloudTrailEncryptsLogs',
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        principals: [{ type: 'Service', identifiers: ['cloudtrail.amazonaws.com'] }],
        condition: [
          trailCondition,
          {
            test: 'StringLike',
            variable: 'kms:EncryptionContext:aws:cloudtrail:arn',
            values: [`arn:aws:cloudtrail:*:${props.managementAccountId}:trail/*`],
          },
        ],
      },
      {
        sid: 'CloudTrailDescribesKey',
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        principals: [{ type: 'Service', identifiers: ['cloudtrail.amazonaws.com'] }],
        condition: [trailCondition],
      },
    ];
    if (configAccounts.length > 0) {
      keyStatements.push({
        sid: 'ConfigEncryptsDeliveries',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        principals: [{ type: 'Service', identifiers: ['config.amazonaws.com'] }],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: configAccounts },
        ],
      });
    }
    const keyPolicy = new DataAwsIamPolicyDocument(this, 'key-policy', {
      provider,
      statement: keyStatements,
    });
    this.key = new KmsKey(this, 'key', {
      provider,
      description: 'Encrypts the organization CloudTrail and AWS Config logs in the log archive',
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: keyPolicy.json,
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, 'alias', {
      provider,
      name: `alias/${props.keyAlias}`,
      targetKeyId: this.key.keyId,
    });

    // Resource ARNs below are patterns under the bucket; the bucket's own ARN comes from SecureBucket.
    const bucketArn = `arn:aws:s3:::${props.bucketName}`;
    const bucketStatements: DataAwsIamPolicyDocumentStatement[] = [
      {
        sid: 'CloudTrailAclCheck',
        actions: ['s3:GetBucketAcl'],
        resources: [bucketArn],
        principals: [{ type: 'Service', identifiers: ['cloudtrail.amazonaws.com'] }],
        condition: [trailCondition],
      },
      {
        sid: 'CloudTrailWrite',
        actions: ['s3:PutObject'],
        resources: [
          `${bucketArn}/AWSLogs/${props.managementAccountId}/*`,
          `${bucketArn}/AWSLogs/${props.organizationId}/*`,
        ],
        principals: [{ type: 'Service', identifiers: ['cloudtrail.amazonaws.com'] }],
        condition: [
          trailCondition,
          { test: 'StringEquals', variable: 's3:x-amz-acl', values: ['bucket-owner-full-control'] },
        ],
      },
    ];
    if (configAccounts.length > 0) {
      const fromAccounts = {
        test: 'StringEquals',
        variable: 'aws:SourceAccount',
        values: configAccounts,
      };
      const config = [{ type: 'Service', identifiers: ['config.amazonaws.com'] }];
      bucketStatements.push(
        {
          sid: 'ConfigAclCheck',
          actions: ['s3:GetBucketAcl', 's3:ListBucket'],
          resources: [bucketArn],
          principals: config,
          condition: [fromAccounts],
        },
        {
          sid: 'ConfigWrite',
          actions: ['s3:PutObject'],
          resources: [`${bucketArn}/${CONFIG_KEY_PREFIX}/AWSLogs/*/Config/*`],
          principals: config,
          condition: [
            fromAccounts,
            {
              test: 'StringEquals',
              variable: 's3:x-amz-acl',
              values: ['bucket-owner-full-control'],
            },
          ],
        },
      );
    }
    this.bucket = new SecureBucket(this, 'bucket', {
      provider,
      bucketName: props.bucketName,
      kmsKeyArn: this.key.arn,
      expirationDays: props.retentionDays,
      transitionToGlacierIrDays: props.glacierAfterDays,
      noncurrentVersionExpirationDays: props.noncurrentVersionDays,
      policyStatements: bucketStatements,
    });
  }
}
