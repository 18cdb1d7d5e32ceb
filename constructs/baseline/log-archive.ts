/**
 * The log archive in the security account, or in a separate log-archive account (the AWS SRA
 * split: https://docs.aws.amazon.com/prescriptive-guidance/latest/security-reference-architecture/log-archive.html):
 * a {@link KmsKey} (the shared construct: rotation on, 30-day deletion window,
 * `prevent_destroy`) and a {@link SecureBucket} encrypted with it (versioned, every public
 * access block on, TLS-only policy, lifecycle, `prevent_destroy`),
 * plus the bucket-policy and key-policy statements the organization CloudTrail (and, when
 * enabled, AWS Config) need to deliver to it.
 * Sources: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html,
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
 */
import { Construct } from 'constructs';
import { TerraformResource, type TerraformProvider } from 'cdktf';
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import { KmsKey } from '../shared/kms-key';
import { markLogArchive } from '../guardrails/markers';
import { SecureBucket } from '../shared/secure-bucket';
import type { IamStatement } from '../organization/tfc-oidc-roles';

/** The key prefix AWS Config delivers under (`<prefix>/AWSLogs/<account>/Config/…`). */
export const CONFIG_KEY_PREFIX = 'config';

/** The log-archive bucket's name: `<prefix>-log-archive-<account id of the archive account>`. */
export function logArchiveBucketName(prefix: string, accountId: string): string {
  return `${prefix}-log-archive-${accountId}`;
}

/**
 * What the security workspace's apply role may do in a separate log-archive account (its
 * role pair there comes from that account's StackSet; no `AdministratorAccess`): manage the
 * archive bucket (`<prefix>-log-archive-*`) and KMS keys, but never read the logs.
 * - S3 actions on the bucket ARN only: every bucket-level call Terraform makes (create, policy,
 *   versioning, lifecycle, Object Lock, encryption, public access block, ownership); object
 *   actions (`s3:GetObject`…) need the object ARN `<bucket>/<key>`, which is not granted
 *   (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
 * - KMS for the archive's key (its ARN is not known before it exists; the key policy delegates
 *   to IAM in that account), with the data operations and grants denied explicitly, so the
 *   role cannot decrypt what it cannot read anyway nor hand that right to another principal
 *   (https://docs.aws.amazon.com/kms/latest/developerguide/kms-cryptography.html#cryptographic-operations).
 * Deletions stay refused by the bucket and key policies' deny statements.
 * @param prefix the environment's resource prefix
 */
export function logArchiveApplyStatements(prefix: string): IamStatement[] {
  const bucket = `arn:aws:s3:::${logArchiveBucketName(prefix, '*')}`;
  return [
    { Sid: 'LogArchiveBucket', Effect: 'Allow', Action: ['s3:*'], Resource: [bucket] },
    { Sid: 'LogArchiveKey', Effect: 'Allow', Action: ['kms:*'], Resource: '*' },
    {
      Sid: 'NoLogReads',
      Effect: 'Deny',
      Action: [
        's3:GetObject*',
        'kms:Decrypt',
        'kms:ReEncrypt*',
        'kms:GenerateDataKey*',
        'kms:CreateGrant',
      ],
      Resource: '*',
    },
  ];
}

/** S3 Object Lock default retention of the log archive. */
export interface LogArchiveObjectLock {
  /** `GOVERNANCE` or `COMPLIANCE` (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html). */
  readonly mode: 'GOVERNANCE' | 'COMPLIANCE';
  /** Days each object version is locked (at most the bucket's `retentionDays`). */
  readonly days: number;
}

/**
 * Actions on the archive's objects and bucket the deny-delete statement refuses to every
 * principal (no exception: the logs expire through the lifecycle rules, which S3 runs itself).
 */
export const LOG_DELETION_ACTIONS = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:BypassGovernanceRetention',
  's3:DeleteBucket',
] as const;

/**
 * Bucket settings only {@link LogArchiveProps.policyManagerArns} may change (when given): the
 * policy itself, versioning, Object Lock, lifecycle, encryption, ownership and public access.
 */
export const LOG_PROTECTION_ACTIONS = [
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutBucketVersioning',
  's3:PutBucketObjectLockConfiguration',
  's3:PutLifecycleConfiguration',
  's3:PutEncryptionConfiguration',
  's3:PutBucketOwnershipControls',
  's3:PutBucketPublicAccessBlock',
] as const;

/** Props of {@link LogArchive}; fields without a default are required. */
export interface LogArchiveProps {
  /** Bucket name (globally unique, 3–63 lowercase characters). */
  readonly bucketName: string;
  /** KMS alias without `alias/` (e.g. `acme-log-archive`). */
  readonly keyAlias: string;
  /**
   * Account ID of the account holding the archive (the provider's account: the security
   * account, or a separate log-archive account); its IAM policies govern the key.
   */
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
  /**
   * S3 Object Lock default retention, or `false` for none (default GOVERNANCE for
   * `retentionDays`). Enabled with `aws_s3_bucket_object_lock_configuration` after versioning,
   * never with `aws_s3_bucket.object_lock_enabled` (which forces a new bucket), so an existing
   * archive bucket is locked in place. Source: S3 PutObjectLockConfiguration, "You can enable
   * Object Lock for new or existing buckets"
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectLockConfiguration.html).
   */
  readonly objectLock?: LogArchiveObjectLock | false;
  /**
   * Deny {@link LOG_DELETION_ACTIONS} to every principal in the bucket policy, and key
   * deletion/disabling in the key policy (default true).
   */
  readonly denyDelete?: boolean;
  /**
   * The only principals (exact role ARNs, e.g. the log archive stack's apply role) allowed
   * {@link LOG_PROTECTION_ACTIONS}; default none: no such statement (any administrator of the
   * account may change the bucket's settings, but not delete logs).
   */
  readonly policyManagerArns?: readonly string[];
  /** Provider for the log archive's account (the security account, or a separate log-archive account). */
  readonly provider: TerraformProvider;
}

/** KMS key + log-archive bucket in the archive account (the provider's). */
export class LogArchive extends Construct {
  /** The key that encrypts the logs (`key.keyArn` for the trail and Config). */
  readonly key: KmsKey;
  /** The bucket (`bucket.bucketName`, `bucket.policy` for the trail's `dependsOn`). */
  readonly bucket: SecureBucket;
  /** The Object Lock configuration (undefined when `objectLock` is false). */
  readonly objectLock?: S3BucketObjectLockConfigurationA;

  constructor(scope: Construct, id: string, props: LogArchiveProps) {
    super(scope, id);
    const provider = props.provider;
    const trailCondition = {
      test: 'StringEquals',
      variable: 'aws:SourceArn',
      values: [props.trailArn],
    };
    const configAccounts = props.configAccountIds ?? [];
    const denyDelete = props.denyDelete ?? true;
    const managers = [...(props.policyManagerArns ?? [])];
    const everyone = [{ type: '*', identifiers: ['*'] }];

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
    if (denyDelete) {
      keyStatements.push({
        sid: 'DenyKeyDeletion',
        effect: 'Deny',
        actions: ['kms:ScheduleKeyDeletion', 'kms:DisableKey'],
        resources: ['*'],
        principals: [{ type: 'AWS', identifiers: ['*'] }],
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
      if (denyDelete) {
        statements.push({
          sid: 'DenyLogDeletion',
          effect: 'Deny',
          actions: [...LOG_DELETION_ACTIONS],
          resources: [bucketArn, `${bucketArn}/*`],
          principals: everyone,
        });
      }
      if (managers.length > 0) {
        statements.push({
          sid: 'DenyProtectionChanges',
          effect: 'Deny',
          actions: [...LOG_PROTECTION_ACTIONS],
          resources: [bucketArn],
          principals: everyone,
          condition: [{ test: 'ArnNotLike', variable: 'aws:PrincipalArn', values: managers }],
        });
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
    markLogArchive(this.bucket.bucket);
    const lock =
      props.objectLock === false
        ? undefined
        : (props.objectLock ?? { mode: 'GOVERNANCE' as const, days: props.retentionDays });
    if (lock) {
      // Object Lock needs versioning on first ("To enable Object Lock for an existing bucket,
      // you must first enable versioning": provider doc of this resource).
      const versioning = this.bucket.node.tryFindChild('versioning');
      const after = TerraformResource.isTerraformResource(versioning) ? [versioning] : [];
      this.objectLock = new S3BucketObjectLockConfigurationA(this, 'object-lock', {
        provider,
        bucket: this.bucket.bucket.id,
        objectLockEnabled: 'Enabled',
        rule: { defaultRetention: { mode: lock.mode, days: lock.days } },
        dependsOn: after,
      });
    }
  }
}
