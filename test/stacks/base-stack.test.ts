/**
 * `LZ_BACKEND=local`: every consumer's `terraform_remote_state` finds the producer's state file.
 * Terraform resolves a relative local path against the directory it runs in, which cdktf sets to
 * `<outdir>/stacks/<stack>` for each stack (cdktf 0.21 `lib/manifest.js`, `workingDirectory`);
 * cdktf's `LocalBackend.getRemoteStateDataSource` reuses the producer's `path` in the consumer
 * (`lib/backends/local-backend.js`).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Testing } from 'cdktf';
import { buildLandingZone } from '../../stacks/app';
import { exampleEnv } from '../support/env';

describe('local backend (LZ_BACKEND=local)', () => {
  it('gives consumers remote-state paths that resolve, from their own folder, to the producer state file', () => {
    const app = Testing.app();
    buildLandingZone(app, exampleEnv(), { backend: 'local' });
    app.synth();
    const manifest = JSON.parse(readFileSync(join(app.outdir, 'manifest.json'), 'utf8'));
    const folder = (id: string) => join(app.outdir, manifest.stacks[id].workingDirectory);
    const json = (id: string) =>
      JSON.parse(readFileSync(join(app.outdir, manifest.stacks[id].synthesizedStackPath), 'utf8'));
    const stateOf: Record<string, string> = {};
    for (const id of Object.keys(manifest.stacks)) {
      const local = json(id).terraform.backend?.local;
      if (local && id !== 'tfc') stateOf[id] = resolve(folder(id), local.path);
    }
    let checked = 0;
    for (const id of Object.keys(manifest.stacks)) {
      for (const r of Object.values<any>(json(id).data?.terraform_remote_state ?? {})) {
        expect(r.backend).toBe('local');
        const target = resolve(folder(id), r.config.path);
        expect(Object.values(stateOf)).toContain(target);
        expect(target.startsWith(folder(id))).toBe(false); // not inside the consumer's own folder
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(3);
  });
});
