/**
 * Offline Terraform tier, part 1: every synthesized stack whose providers are all in the local
 * mirror is copied aside, initialised with `-backend=false` and passes `terraform validate`.
 * Stacks needing a provider the mirror lacks (helm, kubernetes, tfe) are listed, not validated.
 */
import { App } from 'cdktf';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLandingZone } from '../../stacks/app';
import { exampleEnv } from '../support/env';
import { describeOffline, providersAvailable, validateStackAsync } from '../support/terraform';

describeOffline('terraform validate of every stack', (tf) => {
  const outdir = mkdtempSync(join(tmpdir(), 'lz-out-'));
  const app = new App({ outdir, skipValidation: false });
  buildLandingZone(app, exampleEnv(), { backend: 'local' });
  app.synth();
  const stacks = readdirSync(join(outdir, 'stacks')).map((id) => ({
    id,
    json: JSON.parse(readFileSync(join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8')),
  }));
  const offline = stacks.filter((s) => providersAvailable(tf, s.json));
  const skipped = stacks.filter((s) => !providersAvailable(tf, s.json)).map((s) => s.id);
  if (skipped.length)
    console.log(`not validated (providers missing from the mirror): ${skipped.join(', ')}`);

  it('covers at least the organization, security and account stacks', () => {
    expect(offline.map((s) => s.id)).toEqual(
      expect.arrayContaining([
        'organization',
        'security',
        'account-management',
        'account-production',
      ]),
    );
  });

  // The validations run in parallel; each test then reads its stack's diagnostics.
  let diagnostics: Record<string, string> = {};
  beforeAll(async () => {
    const results = await Promise.all(offline.map((s) => validateStackAsync(tf, s.json)));
    diagnostics = Object.fromEntries(offline.map((s, i) => [s.id, results[i]]));
  }, 240_000); // seven AWS stacks since the account split, each loading the provider schema

  it.each(offline.map((s) => [s.id]))('%s is valid', (id) => {
    expect(diagnostics[id]).toBe('');
  });
});
