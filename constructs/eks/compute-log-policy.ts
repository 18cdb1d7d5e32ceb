/**
 * The IAM statements of the Dagster code servers' Pod Identity role (`dagster-user-code`):
 * tick logs of sensors and schedules go to the compute log manager (S3), under its prefix only.
 */
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DAGSTER_COMPUTE_LOG_PREFIX } from './addon-identities';

type Statement = DataAwsIamPolicyDocumentStatement;

const cond = (test: string, variable: string, ...values: string[]) => ({ test, variable, values });

/**
 * Dagster code servers: read and write objects under `<prefix>/` of the compute-log bucket (the
 * S3 compute log manager uploads tick logs and reads them back), no delete, no other key; list
 * only that prefix (`s3:prefix` condition,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html).
 */
export function computeLogPrefixStatements(
  c: { readonly region: string },
  bucketArn: string,
  kmsKeyArn: string | undefined,
  prefix: string = DAGSTER_COMPUTE_LOG_PREFIX,
): Statement[] {
  return [
    {
      sid: 'ListPrefix',
      effect: 'Allow',
      actions: ['s3:ListBucket'],
      resources: [bucketArn],
      condition: [cond('StringLike', 's3:prefix', `${prefix}/*`)],
    },
    {
      sid: 'PrefixObjects',
      effect: 'Allow',
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [`${bucketArn}/${prefix}/*`],
    },
    ...(kmsKeyArn
      ? [
          {
            sid: 'BucketKey',
            effect: 'Allow',
            actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
            resources: [kmsKeyArn],
            condition: [cond('StringEquals', 'kms:ViaService', `s3.${c.region}.amazonaws.com`)],
          },
        ]
      : []),
  ];
}
