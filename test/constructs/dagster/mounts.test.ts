/**
 * Every ConfigMap and Secret a Dagster pod or launched run reads is created by a chart or by
 * the project (or is one the user listed in config, which the user provides): a name that
 * nothing creates leaves the pod in `CreateContainerConfigError` forever.
 *
 * Who creates what:
 * - the project: the objects of its manifests releases (ConfigMaps; Secrets written by an
 *   `ExternalSecret`, whose `spec.target.name` is the Secret, https://external-secrets.io/latest/api/externalsecret/);
 * - the `dagster-user-deployments` subchart: `{{ template "dagster.fullname" $ }}-<name>-user-env`
 *   for every code location (`templates/configmap-env-user.yaml`; names.ts `userEnvConfigMap`).
 *
 * Who reads what (dagster-io/dagster `helm/dagster`): `global.postgresqlSecretName` (every
 * component and run, `DAGSTER_PG_PASSWORD`), `global.celeryConfigSecretName` (Celery workers and
 * runs), each component's `envConfigMaps` / `envSecrets`, the K8sRunLauncher's and
 * CeleryK8sRunLauncher's `envConfigMaps` / `envSecrets` (`helpers/instance/_run-launcher.tpl`),
 * and each code location's container context (`env_config_maps`, `env_secrets`); Valkey's
 * `auth.usersExistingSecret`; Flower's `secretKeyRef`s.
 */
import { parse } from 'yaml';
import { CONTAINER_CONTEXT_ENV } from '../../../constructs/dagster/values';
import { userEnvConfigMap } from '../../../constructs/dagster/names';
import { platformReleases, manifestsOf, valuesOf } from '../../support/platform-fixture';

type Ref = { kind: 'ConfigMap' | 'Secret'; name: string; by: string };

/** What the project's manifests releases create: `ConfigMap/<name>`, `Secret/<name>`. */
function created(rel: Record<string, any>): Set<string> {
  const out = new Set<string>();
  for (const r of Object.values<any>(rel)) {
    if (!String(r.chart).includes('assets')) continue; // local manifests chart only
    for (const o of manifestsOf(r)) {
      if (o.kind === 'ConfigMap' || o.kind === 'Secret') out.add(`${o.kind}/${o.metadata.name}`);
      if (o.kind === 'ExternalSecret') out.add(`Secret/${o.spec.target?.name ?? o.metadata.name}`);
    }
  }
  return out;
}

/** Every ConfigMap/Secret the Dagster values, Valkey and Flower make a pod read. */
function referenced(rel: Record<string, any>): Ref[] {
  const v = valuesOf(rel.dagster);
  const refs: Ref[] = [{ kind: 'Secret', name: v.global.postgresqlSecretName, by: 'global' }];
  const names = (xs: { name: string }[] | undefined) => (xs ?? []).map((x) => x.name);
  const add = (kind: Ref['kind'], list: string[], by: string) =>
    list.forEach((name) => refs.push({ kind, name, by }));
  for (const [by, c] of [
    ['webserver', v.dagsterWebserver],
    ['daemon', v.dagsterDaemon],
  ] as const) {
    add('ConfigMap', names(c.envConfigMaps), by);
    add('Secret', names(c.envSecrets), by);
  }
  const launcher = v.runLauncher.config.k8sRunLauncher ?? v.runLauncher.config.celeryK8sRunLauncher;
  add('ConfigMap', names(launcher.envConfigMaps), 'run launcher');
  add('Secret', names(launcher.envSecrets), 'run launcher');
  if (v.runLauncher.type === 'CeleryK8sRunLauncher')
    refs.push({ kind: 'Secret', name: v.global.celeryConfigSecretName, by: 'celery' });
  for (const d of v['dagster-user-deployments'].deployments) {
    add('ConfigMap', names(d.envConfigMaps), `location ${d.name}`);
    add('Secret', names(d.envSecrets), `location ${d.name}`);
    const ctx = d.env[CONTAINER_CONTEXT_ENV] ? JSON.parse(d.env[CONTAINER_CONTEXT_ENV]).k8s : {};
    add('ConfigMap', ctx.env_config_maps ?? [], `runs of ${d.name}`);
    add('Secret', ctx.env_secrets ?? [], `runs of ${d.name}`);
    if (ctx.run_k8s_config?.container_config?.env_from)
      throw new Error('env_from in a container context: not modelled here');
  }
  if (rel['dagster-valkey'])
    refs.push({
      kind: 'Secret',
      name: parse(rel['dagster-valkey'].values[0]).auth.usersExistingSecret,
      by: 'valkey',
    });
  if (rel['dagster-flower'])
    for (const o of manifestsOf(rel['dagster-flower']))
      for (const c of o.spec?.template?.spec?.containers ?? [])
        for (const e of c.env ?? [])
          if (e.valueFrom?.secretKeyRef)
            refs.push({ kind: 'Secret', name: e.valueFrom.secretKeyRef.name, by: 'flower' });
  return refs;
}

const USER_LISTED = new Set(['user-cm', 'user-secret', 'loc-cm', 'loc-secret']);

describe.each([
  ['the example (K8sRunLauncher)', undefined],
  [
    'Celery with Flower, env layers and a second location',
    (raw: any) => {
      const d = raw.clusters['main-01'].dagster;
      d.runLauncher = {
        type: 'celery',
        env: { LOG_LEVEL: 'debug' },
        envConfigMaps: ['user-cm'],
        envSecrets: ['user-secret'],
      };
      d.codeLocations = [
        ...(d.codeLocations ?? []),
        {
          name: 'etl',
          image: { repository: 'registry.example/etl', tag: '1.0.0' },
          module: 'etl.defs',
          env: { A: 'b' },
          envConfigMaps: ['loc-cm'],
          envSecrets: ['loc-secret'],
        },
      ];
      raw.clusters['main-01'].platform = {
        ...(raw.clusters['main-01'].platform ?? {}),
        karpenter: { nodePools: { general: { architectures: ['amd64'] } } },
      };
    },
  ],
])('%s', (_name, edit) => {
  const { rel } = platformReleases(edit as any);
  const have = created(rel);

  it('every ConfigMap and Secret a pod or run reads is created by the project or a chart', () => {
    const chartCreated = new Set(
      valuesOf(rel.dagster)['dagster-user-deployments'].deployments.map(
        (d: any) => `ConfigMap/${userEnvConfigMap(d.name)}`,
      ),
    );
    const missing = referenced(rel).filter(
      (r) =>
        !USER_LISTED.has(r.name) &&
        !have.has(`${r.kind}/${r.name}`) &&
        !chartCreated.has(`${r.kind}/${r.name}`),
    );
    expect(missing).toEqual([]);
  });

  it('runs read only project-created sources besides the user’s (no dependency on chart names)', () => {
    const runRefs = referenced(rel).filter(
      (r) => r.by === 'run launcher' || r.by.startsWith('runs of'),
    );
    expect(runRefs.length).toBeGreaterThan(0);
    for (const r of runRefs)
      if (!USER_LISTED.has(r.name)) expect(have.has(`${r.kind}/${r.name}`)).toBe(true);
  });
});
