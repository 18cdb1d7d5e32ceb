/**
 * A customer-managed KMS key with the landing zone's defaults: symmetric, automatic yearly
 * rotation on, a 30-day deletion window, `prevent_destroy`, an alias, and a key policy that
 * delegates to IAM in the owning account plus any service statements the caller adds.
 *
 * Sources: https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html,
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { KmsKey as AwsKmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

/**
 * The key-policy statement that lets CloudWatch Logs in `region` use a key for the log groups
 * matching `logGroupArnPattern` only (condition on the `aws:logs:arn` encryption context).
 * Source: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 * @param sid statement ID
 * @param region region of the log groups (a token is fine)
 * @param logGroupArnPattern ARN or `ArnLike` pattern of the log groups
 */
export function cloudWatchLogsKeyStatement(
  sid: string,
  region: string,
  logGroupArnPattern: string,
): DataAwsIamPolicyDocumentStatement {
  return {
    sid,
    effect: 'Allow',
    principals: [{ type: 'Service', identifiers: [`logs.${region}.amazonaws.com`] }],
    actions: [
      'kms:Encrypt*',
      'kms:Decrypt*',
      'kms:ReEncrypt*',
      'kms:GenerateDataKey*',
      'kms:Describe*',
    ],
    resources: ['*'],
    condition: [
      {
        test: 'ArnLike',
        variable: 'kms:EncryptionContext:aws:logs:arn',
        values: [logGroupArnPattern],
      },
    ],
  };
}

export interface KmsKeyProps {
  /** Alias without the `alias/` prefix (e.g. `acme-main-01-eks`). */
  readonly alias: string;
  /** Human description of what the key protects. */
  readonly description: string;
  /** Account ID (12 digits, or a token) that owns the key; its IAM policies govern use of the key. */
  readonly accountId: string;
  /** ARN partition (default `aws`). */
  readonly partition?: string;
  /**
   * Extra key-policy statements, e.g. a service principal such as CloudWatch Logs
   * (default none). Source: https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
   */
  readonly policyStatements?: DataAwsIamPolicyDocumentStatement[];
  /** Days (7–30) between scheduling deletion and deletion (default 30). */
  readonly deletionWindowDays?: number;
  /** Provider (account/region) to create the key with. */
  readonly provider?: TerraformProvider;
  /** Tags of the key (default none beyond the provider's default tags). */
  readonly tags?: Record<string, string>;
}

/**
 * A KMS key with rotation on and `prevent_destroy`.
 * @throws Error if `deletionWindowDays` is outside 7–30
 */
export class KmsKey extends Construct {
  /** The key (symmetric, rotation on, `prevent_destroy`). */
  readonly key: AwsKmsKey;
  /** `alias/<alias>` pointing at the key. */
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: KmsKeyProps) {
    super(scope, id);
    const window = props.deletionWindowDays ?? 30;
    if (window < 7 || window > 30)
      throw new Error(`${id}: deletionWindowDays ${window} must be 7-30`);
    const partition = props.partition ?? 'aws';
    const policy = new DataAwsIamPolicyDocument(this, 'policy', {
      provider: props.provider,
      statement: [
        {
          sid: 'EnableIamPoliciesOfTheAccount',
          effect: 'Allow',
          principals: [
            { type: 'AWS', identifiers: [`arn:${partition}:iam::${props.accountId}:root`] },
          ],
          actions: ['kms:*'],
          resources: ['*'],
        },
        ...(props.policyStatements ?? []),
      ],
    });
    this.key = new AwsKmsKey(this, 'key', {
      provider: props.provider,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: window,
      policy: policy.json,
      tags: props.tags,
      lifecycle: { preventDestroy: true },
    });
    this.alias = new KmsAlias(this, 'alias', {
      provider: props.provider,
      name: `alias/${props.alias}`,
      targetKeyId: this.key.keyId,
    });
  }

  /** The key's ARN. */
  get keyArn(): string {
    return this.key.arn;
  }
}
