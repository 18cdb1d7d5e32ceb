/**
 * The AWS Security Reference Architecture split as a test variant: the example (or a scaled
 * environment) plus a member account `log-archive` in the `security` OU holding the log
 * archive (`security.logArchive.account`), the security tooling staying in `security`.
 * Source: https://docs.aws.amazon.com/prescriptive-guidance/latest/security-reference-architecture/log-archive.html
 * ("The Log Archive account is dedicated to ingesting and archiving all security-related logs
 * and backups").
 */
import type { Environment } from '../../envs/schema';
import { parseEnvironment } from '../../envs/load';
import { scaledRaw, type ScaleOptions } from './scale';

/** The key of the variant's log-archive account. */
export const LOG_ARCHIVE_ACCOUNT = 'log-archive';

/** {@link scaledRaw} (default: the example) with the separate log-archive account, as raw data. */
export function splitArchiveRaw(options: ScaleOptions = {}): Record<string, any> {
  const raw = scaledRaw(options);
  raw.organization.accounts[LOG_ARCHIVE_ACCOUNT] = {
    email: 'aws+log-archive@acme.example',
    ou: 'security',
  };
  raw.security.logArchive = { ...raw.security.logArchive, account: LOG_ARCHIVE_ACCOUNT };
  return raw;
}

/** {@link splitArchiveRaw}, validated. */
export function splitArchiveEnv(options: ScaleOptions = {}): Environment {
  return parseEnvironment(
    splitArchiveRaw(options),
    `log-archive-split(${JSON.stringify(options)})`,
  );
}
