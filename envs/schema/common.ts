/**
 * Building blocks shared by the environment schema modules.
 */
import { z } from 'zod';

/**
 * AWS commercial regions known to this version of the landing zone.
 * Source: https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 */
export const AWS_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
  'eu-north-1',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'mx-central-1',
  'sa-east-1',
] as const;

/** One AWS region code from {@link AWS_REGIONS}. */
export const awsRegion = z.string().refine((r) => (AWS_REGIONS as readonly string[]).includes(r), {
  message: 'unknown AWS region',
});

/** A key in a config map: lowercase letters, digits and hyphens, starting with a letter (max 32). */
export const name = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,31}$/,
    'must be lowercase letters, digits or hyphens, starting with a letter (max 32)',
  );

/** An email address (RFC 5322 subset accepted by AWS Organizations and Identity Center). */
export const email = z.email({ message: 'must be a valid email address' });

/** AWS tags: keys 1–128 characters, values up to 256. */
export const tagMap = z.record(z.string().min(1).max(128), z.string().max(256));

/** An IAM managed policy ARN, AWS-managed or customer-managed. */
export const managedPolicyArn = z
  .string()
  .regex(/^arn:aws:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/, 'must be an IAM managed policy ARN');

/** A 12-digit AWS account ID. */
export const accountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account ID');

/** A name map's keys, validated as {@link name}. */
export function namedRecord<T extends z.ZodType>(value: T) {
  return z.record(name, value);
}

/** Adds one issue to `ctx`; a shorthand used by the cross-field checks. */
export function issue(ctx: z.RefinementCtx, path: (string | number)[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

/** Indexes of later duplicates of each value, for "duplicate" messages. */
export function duplicates<T>(values: T[]): { index: number; value: T; first: number }[] {
  const seen = new Map<T, number>();
  const out: { index: number; value: T; first: number }[] = [];
  values.forEach((value, index) => {
    const first = seen.get(value);
    if (first === undefined) seen.set(value, index);
    else out.push({ index, value, first });
  });
  return out;
}
