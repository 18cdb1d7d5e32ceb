/**
 * Account-level security defaults for one account: EBS encryption by default in every
 * given region, the S3 account-level public access block, and the IAM password policy.
 * Sources: https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { EbsEncryptionByDefault } from '@cdktf/provider-aws/lib/ebs-encryption-by-default';
import { S3AccountPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-account-public-access-block';
import { IamAccountPasswordPolicy } from '@cdktf/provider-aws/lib/iam-account-password-policy';

/** The IAM password policy settings (see `security.passwordPolicy`). */
export interface PasswordPolicySettings {
  /** Minimum length, characters (14–128). */
  readonly minimumLength: number;
  readonly requireLowercase: boolean;
  readonly requireUppercase: boolean;
  readonly requireNumbers: boolean;
  readonly requireSymbols: boolean;
  /** Previous passwords that cannot be reused (1–24). */
  readonly reusePrevention: number;
  /** Days before a password expires (1–1095). */
  readonly maxAgeDays: number;
  /** Whether users may change their own password. */
  readonly allowUsersToChange: boolean;
}

export interface AccountDefaultsProps {
  /**
   * One provider per region for EBS encryption by default (a regional setting), the first
   * being the home region; `undefined` entries mean the stack's default provider.
   */
  readonly regionalProviders: { region: string; provider?: TerraformProvider }[];
  readonly passwordPolicy: PasswordPolicySettings;
}

/** EBS default encryption, S3 account public access block and password policy of one account. */
export class AccountDefaults extends Construct {
  constructor(scope: Construct, id: string, props: AccountDefaultsProps) {
    super(scope, id);
    const home = props.regionalProviders[0]?.provider;
    for (const { region, provider } of props.regionalProviders) {
      new EbsEncryptionByDefault(this, `ebs-encryption-${region}`, { provider, enabled: true });
    }
    new S3AccountPublicAccessBlock(this, 's3-public-access-block', {
      provider: home,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const p = props.passwordPolicy;
    new IamAccountPasswordPolicy(this, 'password-policy', {
      provider: home,
      minimumPasswordLength: p.minimumLength,
      requireLowercaseCharacters: p.requireLowercase,
      requireUppercaseCharacters: p.requireUppercase,
      requireNumbers: p.requireNumbers,
      requireSymbols: p.requireSymbols,
      passwordReusePrevention: p.reusePrevention,
      maxPasswordAge: p.maxAgeDays,
      allowUsersToChangePassword: p.allowUsersToChange,
      hardExpiry: false,
    });
  }
}
