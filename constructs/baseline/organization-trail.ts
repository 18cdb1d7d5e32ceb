/**
 * The organization CloudTrail, created in the management account: every account of the
 * organization, every region, global service events, log file validation, SSE-KMS with the
 * log archive's key, delivered to the log-archive bucket in the security account.
 * Source: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html
 */
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';

export interface OrganizationTrailProps {
  /** Trail name (also in {@link trailArn}). */
  readonly name: string;
  /** Log-archive bucket name. */
  readonly bucketName: string;
  /** KMS key ARN that encrypts the log files. */
  readonly kmsKeyArn: string;
  /** Resources the trail must wait for (the bucket policy and key; CloudTrail checks them on create). */
  readonly dependsOn?: ITerraformDependable[];
}

/** `arn:aws:cloudtrail:<region>:<account>:trail/<name>`: the trail's ARN, needed before it exists by the bucket and key policies. */
export function trailArn(region: string, accountId: string, name: string): string {
  return `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`;
}

/** The organization trail. */
export class OrganizationTrail extends Construct {
  readonly trail: Cloudtrail;

  constructor(scope: Construct, id: string, props: OrganizationTrailProps) {
    super(scope, id);
    this.trail = new Cloudtrail(this, 'trail', {
      name: props.name,
      s3BucketName: props.bucketName,
      kmsKeyId: props.kmsKeyArn,
      isOrganizationTrail: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      dependsOn: props.dependsOn,
    });
  }
}
