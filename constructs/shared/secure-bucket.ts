/**
 * An S3 bucket with the landing zone's defaults: versioned, encrypted (SSE-KMS with the given
 * key, else SSE-S3), every public access block on, bucket-owner-enforced ownership, a TLS-only
 * bucket policy, lifecycle rules, and `prevent_destroy`.
 */
import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { TerraformProvider } from 'cdktf';

export interface SecureBucketProps {
  /** Globally unique bucket name (3–63 characters, lowercase). */
  readonly bucketName: string;
  /** KMS key ARN for SSE-KMS (default: SSE-S3, `AES256`). */
  readonly kmsKeyArn?: string;
  /** Days after which current objects expire (default: never). */
  readonly expirationDays?: number;
  /** Days after which noncurrent versions expire (default 90). */
  readonly noncurrentVersionExpirationDays?: number;
  /** Days after which objects move to Glacier Instant Retrieval (default: never). */
  readonly transitionToGlacierIrDays?: number;
  /**
   * Extra bucket-policy statements (e.g. service principals that write to the bucket), or a
   * function that writes them from the bucket's ARN (the bucket's own attribute, so no ARN is
   * rebuilt from its name). Default none.
   */
  readonly policyStatements?:
    | DataAwsIamPolicyDocumentStatement[]
    | ((bucketArn: string) => DataAwsIamPolicyDocumentStatement[]);
  /** `force_destroy` (default false; stateful buckets keep it off). */
  readonly forceDestroy?: boolean;
  /** Provider (account/region) to create the bucket with. */
  readonly provider?: TerraformProvider;
}

/** A secure-by-default S3 bucket. */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const provider = props.provider;
    this.bucket = new S3Bucket(this, 'bucket', {
      provider,
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? false,
      lifecycle: { preventDestroy: true },
    });
    const bucket = this.bucket.id;
    new S3BucketVersioningA(this, 'versioning', {
      provider,
      bucket,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      provider,
      bucket,
      rule: [
        {
          applyServerSideEncryptionByDefault: props.kmsKeyArn
            ? { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }
            : { sseAlgorithm: 'AES256' },
          bucketKeyEnabled: props.kmsKeyArn !== undefined,
        },
      ],
    });
    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      provider,
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      provider,
      bucket,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      provider,
      bucket,
      rule: [
        {
          id: 'default',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
          noncurrentVersionExpiration: [
            { noncurrentDays: props.noncurrentVersionExpirationDays ?? 90 },
          ],
          expiration: props.expirationDays ? [{ days: props.expirationDays }] : undefined,
          transition: props.transitionToGlacierIrDays
            ? [{ days: props.transitionToGlacierIrDays, storageClass: 'GLACIER_IR' }]
            : undefined,
        },
      ],
    });
    const doc = new DataAwsIamPolicyDocument(this, 'policy-document', {
      provider,
      statement: [
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          actions: ['s3:*'],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          principals: [{ type: '*', identifiers: ['*'] }],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
        ...(typeof props.policyStatements === 'function'
          ? props.policyStatements(this.bucket.arn)
          : (props.policyStatements ?? [])),
      ],
    });
    this.policy = new S3BucketPolicy(this, 'policy', { provider, bucket, policy: doc.json });
  }

  get bucketName(): string {
    return this.bucket.bucket;
  }

  get bucketArn(): string {
    return this.bucket.arn;
  }
}
