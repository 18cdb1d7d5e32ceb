/**
 * `npm run reference:download [-- <dir>] [--dry-run]`: fetches the upstream chart schemas,
 * chart defaults and CRDs the conformance tests check against, at the versions pinned in
 * `envs/versions.ts`, into `$LZ_REFERENCE_DIR` (default `../shared/reference`, beside the
 * clone) — the folder `test/support/conformance.ts` reads. Files come from the projects'
 * own repositories at the release tag (raw.githubusercontent.com), so they are exactly what
 * the pinned release ships.
 *
 * Not downloadable: `karpenter/controller-iam-and-interruption.json`, facts read by hand
 * from Karpenter's getting-started CloudFormation template (its URL is printed); the one test
 * that needs it skips without it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { DAGSTER_VERSION, PLATFORM_CHARTS } from '../../envs/versions';

/** One reference file: where it goes (relative to the reference folder) and where it comes from. */
export interface ReferenceSource {
  readonly file: string;
  readonly url: string;
  /** Applied to the downloaded text (e.g. Helm template lines removed from a CRD). */
  readonly transform?: (text: string) => string;
  /** A chart's Chart.yaml whose `appVersion` replaces `{appVersion}` in `url`. */
  readonly appVersionFrom?: string;
}

const raw = (repo: string, tag: string, path: string) =>
  `https://raw.githubusercontent.com/${repo}/${tag}/${path}`;
const v = (s: string) => (s.startsWith('v') ? s : `v${s}`);
/** Helm template lines (`{{- if … }}`) around a CRD kept in a chart's templates. */
const withoutTemplateLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => !/^\s*\{\{.*\}\}\s*$/.test(l))
    .join('\n');

/** Every downloadable reference file at the pinned versions. */
export function referenceSources(): ReferenceSource[] {
  const karpenter = v(PLATFORM_CHARTS.karpenter.version);
  const cnpgChart = PLATFORM_CHARTS.cloudnativePg.version;
  const certManager = v(PLATFORM_CHARTS.certManager.version);
  const kps = PLATFORM_CHARTS.kubePrometheusStack.version;
  const argo = PLATFORM_CHARTS.argoCd.version;
  const dagster = (p: string) => raw('dagster-io/dagster', DAGSTER_VERSION, `helm/dagster/${p}`);
  return [
    { file: 'dagster/values.schema.json', url: dagster('values.schema.json') },
    { file: 'dagster/values.yaml', url: dagster('values.yaml') },
    {
      file: 'dagster/user-deployments.values.schema.json',
      url: dagster('charts/dagster-user-deployments/values.schema.json'),
    },
    {
      file: 'dagster/user-deployments.values.yaml',
      url: dagster('charts/dagster-user-deployments/values.yaml'),
    },
    ...['karpenter.sh_nodepools.yaml', 'karpenter.k8s.aws_ec2nodeclasses.yaml'].map((f) => ({
      file: `karpenter/${f}`,
      url: raw('aws/karpenter-provider-aws', karpenter, `pkg/apis/crds/${f}`),
    })),
    {
      // At the operator version the pinned chart deploys: its Chart.yaml `appVersion`.
      file: 'cloudnative-pg/postgresql.cnpg.io_clusters.yaml',
      url: raw(
        'cloudnative-pg/cloudnative-pg',
        'v{appVersion}',
        'config/crd/bases/postgresql.cnpg.io_clusters.yaml',
      ),
      appVersionFrom: raw(
        'cloudnative-pg/charts',
        `cloudnative-pg-v${cnpgChart}`,
        'charts/cloudnative-pg/Chart.yaml',
      ),
    },
    {
      file: 'cloudnative-pg/operator-chart.values.schema.json',
      url: raw(
        'cloudnative-pg/charts',
        `cloudnative-pg-v${cnpgChart}`,
        'charts/cloudnative-pg/values.schema.json',
      ),
    },
    {
      file: 'cloudnative-pg/operator-chart.values.yaml',
      url: raw(
        'cloudnative-pg/charts',
        `cloudnative-pg-v${cnpgChart}`,
        'charts/cloudnative-pg/values.yaml',
      ),
    },
    {
      file: 'cert-manager/cert-manager.io_clusterissuers.yaml',
      url: raw(
        'cert-manager/cert-manager',
        certManager,
        'deploy/crds/cert-manager.io_clusterissuers.yaml',
      ),
    },
    ...['values.schema.json', 'values.yaml'].map((f) => ({
      file: `cert-manager/${f}`,
      url: raw('cert-manager/cert-manager', certManager, `deploy/charts/cert-manager/${f}`),
    })),
    ...['prometheusrules', 'servicemonitors'].map((k) => ({
      file: `prometheus-operator/crd-${k}.yaml`,
      url: raw(
        'prometheus-community/helm-charts',
        `kube-prometheus-stack-${kps}`,
        `charts/kube-prometheus-stack/charts/crds/crds/crd-${k}.yaml`,
      ),
    })),
    {
      file: 'argo-cd/argoproj.io_applications.yaml',
      url: raw(
        'argoproj/argo-helm',
        `argo-cd-${argo}`,
        'charts/argo-cd/templates/crds/crd-application.yaml',
      ),
      transform: withoutTemplateLines,
    },
  ];
}

/** Reference files that are derived by hand, with where they come from. */
export const HAND_DERIVED: Readonly<Record<string, string>> = {
  'karpenter/controller-iam-and-interruption.json': raw(
    'aws/karpenter-provider-aws',
    v(PLATFORM_CHARTS.karpenter.version),
    `website/content/en/${v(PLATFORM_CHARTS.karpenter.version).split('.').slice(0, 2).join('.')}/getting-started/getting-started-with-karpenter/cloudformation.yaml`,
  ),
};

/** The folder the conformance tests read: `$LZ_REFERENCE_DIR`, else `../shared/reference`. */
export function referenceDir(arg?: string): string {
  return resolve(
    arg ?? process.env.LZ_REFERENCE_DIR ?? join(__dirname, '..', '..', '..', 'shared', 'reference'),
  );
}

async function main(argv: string[]): Promise<void> {
  const dryRun = argv.includes('--dry-run');
  const dir = referenceDir(argv.find((a) => !a.startsWith('--')));
  let failed = 0;
  for (const s of referenceSources()) {
    if (dryRun) {
      console.log(
        `${s.file}  ←  ${s.url}${s.appVersionFrom ? ` (appVersion of ${s.appVersionFrom})` : ''}`,
      );
      continue;
    }
    let url = s.url;
    if (s.appVersionFrom) {
      const chart = await fetch(s.appVersionFrom);
      const appVersion = chart.ok ? parse(await chart.text())?.appVersion : undefined;
      if (!appVersion) {
        console.error(`${s.file}: no appVersion in ${s.appVersionFrom} (HTTP ${chart.status})`);
        failed++;
        continue;
      }
      url = url.replace('{appVersion}', String(appVersion).replace(/^v/, ''));
    }
    const response = await fetch(url);
    if (!response.ok) {
      console.error(`${s.file}: HTTP ${response.status} from ${url}`);
      failed++;
      continue;
    }
    const text = await response.text();
    const target = join(dir, s.file);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, s.transform ? s.transform(text) : text);
    console.log(`wrote ${target}`);
  }
  for (const [file, url] of Object.entries(HAND_DERIVED))
    console.log(`not downloaded: ${file} is derived by hand from ${url}`);
  if (failed > 0) process.exit(1);
}

if (require.main === module) void main(process.argv.slice(2));
