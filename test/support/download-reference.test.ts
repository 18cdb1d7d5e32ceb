/**
 * The download script for the conformance data covers every reference file a test reads, at
 * the versions pinned in envs/versions.ts (release tags, never a branch). It needs no network
 * here: the table is checked, not fetched.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { HAND_DERIVED, referenceSources } from './download-reference';
import { PLATFORM_CHARTS } from '../../envs/versions';

const testDir = join(__dirname, '..');
const sources = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
const FOLDERS = [
  'dagster',
  'karpenter',
  'cloudnative-pg',
  'cert-manager',
  'prometheus-operator',
  'argo-cd',
];

describe('npm run reference:download', () => {
  it('covers every reference file named in a test', () => {
    const named = new Set(
      sources(testDir).flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/['`]((?:[a-z-]+)\/[\w.-]+\.(?:ya?ml|json))['`]/g)]
          .map((m) => m[1])
          .filter((p) => FOLDERS.includes(p.split('/')[0])),
      ),
    );
    const covered = new Set([
      ...referenceSources().map((s) => s.file),
      ...Object.keys(HAND_DERIVED),
    ]);
    expect(named.size).toBeGreaterThan(2);
    expect([...named].filter((f) => !covered.has(f))).toEqual([]);
  });

  it('fetches release tags at the pinned versions, never a branch', () => {
    for (const s of referenceSources()) expect(s.url).not.toMatch(/\/(main|master|HEAD|latest)\//);
    const urls = referenceSources()
      .map((s) => s.url)
      .join('\n');
    expect(urls).toContain(`/v${PLATFORM_CHARTS.karpenter.version}/pkg/apis/crds/`);
    expect(urls).toContain(
      `/kube-prometheus-stack-${PLATFORM_CHARTS.kubePrometheusStack.version}/`,
    );
    expect(urls).toContain(`/argo-cd-${PLATFORM_CHARTS.argoCd.version}/`);
  });

  it('removes Helm template lines from a CRD kept in chart templates', () => {
    const argo = referenceSources().find((s) => s.file.startsWith('argo-cd/'))!;
    expect(argo.transform!('{{- if .Values.crds.install }}\napiVersion: x\n{{- end }}\n')).toBe(
      'apiVersion: x\n',
    );
  });
});
