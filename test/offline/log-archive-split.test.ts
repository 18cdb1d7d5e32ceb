/**
 * Offline Terraform tier for the separate log-archive account (test/support/log-archive-split.ts):
 * the variant's security stack (three dynamic-credentials configurations, the archive on the
 * `log-archive` provider), organization stack (the security roles in the log-archive
 * account's StackSet) and the log-archive account's own stack, synthesized through a real app
 * (cross-stack references become `terraform_remote_state` reads), pass `terraform validate`
 * against hashicorp/aws from the local mirror.
 */
import { App } from 'cdktf';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLandingZone } from '../../stacks/app';
import { LOG_ARCHIVE_ACCOUNT, splitArchiveEnv } from '../support/log-archive-split';
import { describeOffline, validateStackAsync } from '../support/terraform';

describeOffline('terraform validate with a separate log-archive account', (tf) => {
  const outdir = mkdtempSync(join(tmpdir(), 'lz-log-archive-'));
  const app = new App({ outdir, skipValidation: false });
  buildLandingZone(app, splitArchiveEnv(), { backend: 'local' });
  app.synth();
  const ids = ['security', 'organization', `account-${LOG_ARCHIVE_ACCOUNT}`];
  const stack = (id: string) =>
    JSON.parse(readFileSync(join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8'));

  let diagnostics: Record<string, string> = {};
  beforeAll(async () => {
    const results = await Promise.all(ids.map((id) => validateStackAsync(tf, stack(id))));
    diagnostics = Object.fromEntries(ids.map((id, i) => [id, results[i]]));
  }, 180_000);

  it('reads the archive account through remote state, not a resource of its own stack', () => {
    const security = stack('security');
    const bucket = Object.values<any>(security.resource.aws_s3_bucket)[0];
    expect(bucket.provider).toBe('aws.log-archive');
    expect(bucket.bucket).toMatch(/^acme-log-archive-\$\{data\.terraform_remote_state\./);
  });

  it.each(ids.map((id) => [id]))('%s is valid', (id) => {
    expect(diagnostics[id]).toBe('');
  });
});
