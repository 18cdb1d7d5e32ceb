/**
 * The log archive in the security account: a {@link KmsKey} (the shared construct: rotation
 * on, 30-day deletion window, `prevent_destroy`) and a {@link SecureBucket} encrypted with it
 * (versioned, every public access block on, TLS-only policy, lifecycle, `prevent_destroy`),
 * plus the bucket-policy and key-policy statements the organization CloudTrail (and, when
 * enabled, AWS Config) need to deliver to it.
 * Sources: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html,
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsKey } from '../shared/kms-key';
import { SecureBucket } from '../shared/secure-bucket';

/** The key prefix AWS Config delivers under (`<prefix>/AWSLogs/<account>/Config/…`). */
export const CONFIG_KEY_PREFIX = 'config';

/** Props of {@link LogArchive}; every field is required. */
export interface LogArchiveProps {
  /** Bucket name (globally unique, 3–63 lowercase characters). */
  readonly bucketName: string;
  /** KMS alias without `alias/` (e.g. `acme-log-archive`). */
  readonly keyAlias: string;
  /** Account ID of the security account (the provider's account); its IAM policies govern the key. */
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
  /** Days a log object is kept (current version expiry), e.g. 365. */
  readonly retentionDays: number;
  /** Days after which objects move to Glacier Instant Retrieval (below `retentionDays`). */
  readonly glacierAfterDays: number;
  /** Days a noncurrent version is kept, e.g. 90. */
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
  /** The key that encrypts the logs (`key.keyArn` for the trail and Config). */
  readonly key: KmsKey;
  /** The bucket (`bucket.bucketName`, `bucket.policy` for the trail's `dependsOn`). */
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

    // The key policy's first statement (KmsKey) delegates to IAM in the security account.
    const keyStatements: DataAwsIamPolicyDocumentStatement[] = [
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
    this.key = new KmsKey(this, 'key', {
      provider,
      alias: props.keyAlias,
      description: 'Encrypts the organization CloudTrail and AWS Config logs in the log archive',
      accountId: props.securityAccountId,
      policyStatements: keyStatements,
    });

    // Written from the bucket's own ARN attribute (SecureBucket passes it in).
    const bucketStatements = (bucketArn: string): DataAwsIamPolicyDocumentStatement[] => {
      const statements: DataAwsIamPolicyDocumentStatement[] = [
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
            {
              test: 'StringEquals',
              variable: 's3:x-amz-acl',
              values: ['bucket-owner-full-control'],
            },
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
        statements.push(
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
      return statements;
    };
    this.bucket = new SecureBucket(this, 'bucket', {
      provider,
      bucketName: props.bucketName,
      kmsKeyArn: this.key.keyArn,
      expirationDays: props.retentionDays,
      transitionToGlacierIrDays: props.glacierAfterDays,
      noncurrentVersionExpirationDays: props.noncurrentVersionDays,
      policyStatements: bucketStatements,
    });
  }
}
