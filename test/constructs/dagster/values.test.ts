/**
 * Dagster chart values: upstream schema conformance (chart defaults merged), launcher choice,
 * env precedence, secrets, node pool placement, ingress scheme and authentication; snapshot.
 */
import {
  dagsterValues,
  codeLocationContainerContext,
  CONTAINER_CONTEXT_ENV,
} from '../../../constructs/dagster/values';
import { chartEnvFrom, resolveEnv } from '../../../constructs/dagster/env';
import { runPodEnvFrom } from '../../support/dagster-k8s-model';
import { DAGSTER_IMAGES } from '../../../envs/versions';
import { describeReference, validateChartValues } from '../../support/conformance';
import { dagster, INPUTS } from '../../support/dagster-fixtures';

const SCHEMA = 'dagster/values.schema.json';
const DEFAULTS = 'dagster/values.yaml';

/** A config with every env layer filled, two code locations, read-only webserver. */
const layered = dagster((d) => {
  d.webserver = {
    readOnly: true,
    env: { LOG: 'values' },
    envConfigMaps: ['web-cm-1', 'web-cm-2'],
    envSecrets: ['web-s-1', 'web-s-2'],
  };
  d.daemon = { env: { LOG: 'values' }, envConfigMaps: ['d-cm'], envSecrets: ['d-s'] };
  d.runLauncher = {
    env: { LOG: 'run-values' },
    envConfigMaps: ['run-cm-1', 'run-cm-2'],
    envSecrets: ['run-s-1', 'run-s-2'],
  };
  d.codeLocations = [
    {
      name: 'etl',
      image: { repository: 'registry.example/etl', tag: '2.3.1' },
      module: 'etl.defs',
      env: { LOG: 'loc-values' },
      envConfigMaps: ['etl-cm'],
      envSecrets: ['etl-s'],
    },
    {
      name: 'ml',
      image: { repository: 'registry.example/ml', tag: '0.9.0' },
      pythonFile: '/app/defs.py',
      port: 4000,
      includeConfigInLaunchedRuns: false,
    },
  ];
});

describe('dagster values', () => {
  const values = dagsterValues(dagster(), INPUTS) as any;
  const celery = dagsterValues(
    dagster(
      (d) =>
        (d.runLauncher = {
          type: 'celery',
          celery: { workerQueues: [{ name: 'heavy', replicas: 3 }] },
        }),
    ),
    INPUTS,
  ) as any;
  const full = dagsterValues(layered, INPUTS) as any;

  describeReference('upstream schema (chart defaults merged)', () => {
    it.each([
      ['example (K8sRunLauncher)', values],
      ['Celery launcher', celery],
      ['all env layers, read-only webserver, two locations', full],
    ])('%s validates', (_n, v) => {
      expect(validateChartValues(v, SCHEMA, DEFAULTS)).toEqual([]);
    });

    it('the validator does reject what the schema forbids', () => {
      const bad = { ...values, dagsterWebserver: { ...values.dagsterWebserver, replicas: 2 } };
      expect(validateChartValues(bad, SCHEMA, DEFAULTS).join('\n')).toMatch(
        /dagsterWebserver must NOT have additional properties.*replicas/,
      );
    });
  });

  it('uses the K8sRunLauncher by default, Celery with a Valkey broker on request', () => {
    expect(values.runLauncher.type).toBe('K8sRunLauncher');
    expect(values.runLauncher.config.celeryK8sRunLauncher).toBeUndefined();
    expect(values.redis).toEqual({ enabled: false });
    expect(celery.runLauncher.type).toBe('CeleryK8sRunLauncher');
    expect(celery.runLauncher.config.celeryK8sRunLauncher.workerQueues).toEqual([
      { name: 'heavy', replicaCount: 3 },
    ]);
    expect(celery.runLauncher.config.celeryK8sRunLauncher.image).toMatchObject({
      repository: DAGSTER_IMAGES.celeryK8s.repository,
      tag: DAGSTER_IMAGES.celeryK8s.tag,
    });
    expect(celery.redis).toMatchObject({
      enabled: true,
      internal: false,
      host: 'dagster-valkey.dagster.svc.cluster.local',
      port: 6379,
      brokerDbNumber: 0,
      backendDbNumber: 1,
    });
    expect(celery.rabbitmq.enabled).toBe(false);
  });

  it('takes the Celery broker URLs (with the Valkey password) from an External Secrets Secret, never from values', () => {
    // The chart would render the URLs, password included, from `redis.*` into its own Secret
    // and into Flower's env: both are off, and no password is in the values.
    expect(celery.generateCeleryConfigSecret).toBe(false);
    expect(celery.global.celeryConfigSecretName).toBe('dagster-celery-config-secret');
    expect(celery.redis.password).toBeUndefined();
    expect(celery.redis.usePassword).toBe(false);
    expect(celery.redis.brokerUrl).toBeUndefined();
    // Flower is ours (constructs/dagster/flower.ts), reading the same Secret
    expect(celery.flower).toEqual({ enabled: false });
    expect(JSON.stringify(celery)).not.toMatch(/redis:\/\/[^@"]*@/);
  });

  it('turns the bundled PostgreSQL off and points at CloudNativePG with the password from an existing Secret', () => {
    expect(values.postgresql).toMatchObject({
      enabled: false,
      postgresqlHost: INPUTS.postgres.host,
      postgresqlDatabase: 'dagster',
      postgresqlUsername: 'dagster',
      postgresqlPassword: '',
    });
    expect(values.postgresql.service.port).toBe(5432);
    expect(values.generatePostgresqlPasswordSecret).toBe(false);
    expect(values.global.postgresqlSecretName).toBe('dagster-postgresql-secret');
  });

  it('writes compute logs to S3 (no NoOp manager, no keys)', () => {
    expect(values.computeLogManager).toEqual({
      type: 'S3ComputeLogManager',
      config: {
        s3ComputeLogManager: {
          bucket: INPUTS.computeLogBucket,
          prefix: 'compute-logs',
          region: 'eu-central-1',
        },
      },
    });
    expect(JSON.stringify(values)).not.toMatch(/AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID/);
  });

  it('runs Jobs on the batch pool, amd64, not disrupted, with TTL cleanup, failing the pod when the run fails', () => {
    const k8s = values.runLauncher.config.k8sRunLauncher;
    expect(k8s.runK8sConfig.podSpecConfig).toEqual({
      nodeSelector: { ...INPUTS.batchNodePool!.nodeSelector, 'kubernetes.io/arch': 'amd64' },
      tolerations: INPUTS.batchNodePool!.tolerations,
    });
    // Karpenter v1.14 concepts/disruption.md: pods with `karpenter.sh/do-not-disrupt: "true"`
    // exclude their node from consolidation (and drift, unless terminationGracePeriod is set).
    expect(k8s.runK8sConfig.podTemplateSpecMetadata).toEqual({
      annotations: { 'karpenter.sh/do-not-disrupt': 'true' },
    });
    expect(k8s.runK8sConfig.jobSpecConfig).toEqual({ ttlSecondsAfterFinished: 86400 });
    expect(k8s.failPodOnRunFailure).toBe(true);
    expect(k8s.resources).toEqual({
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { memory: '2Gi' },
    });
    // webserver and daemon stay off the batch pool (architecture only)
    expect(values.dagsterWebserver.nodeSelector).toEqual({ 'kubernetes.io/arch': 'amd64' });
    expect(values.dagsterDaemon.tolerations).toBeUndefined();
  });

  it('resumes a crashed run once with the K8s launcher (supports_resume_run), never with Celery', () => {
    // dagster_k8s/launcher.py: K8sRunLauncher.supports_resume_run → True; the chart's
    // configmap-instance.yaml writes `max_resume_run_attempts` only when > 0.
    expect(values.dagsterDaemon.runMonitoring.maxResumeRunAttempts).toBe(1);
    // CeleryK8sRunLauncher defines no supports_resume_run (RunLauncher default False).
    expect(celery.dagsterDaemon.runMonitoring.maxResumeRunAttempts).toBe(0);
  });

  it('configures the daemon: queued coordinator, run monitoring and retries from config', () => {
    expect(values.dagsterDaemon.runCoordinator).toEqual({
      enabled: true,
      type: 'QueuedRunCoordinator',
      config: { queuedRunCoordinator: { maxConcurrentRuns: 10 } },
    });
    expect(values.dagsterDaemon.runMonitoring).toMatchObject({
      enabled: true,
      startTimeoutSeconds: 300,
      pollIntervalSeconds: 120,
    });
    expect(values.dagsterDaemon.runRetries).toEqual({ enabled: true, maxRetries: 1 });
    expect(values.dagsterWebserver.replicaCount).toBe(2);
  });

  it('deploys code locations with pinned images, module or file, on their own service account', () => {
    const [etl, ml] = full['dagster-user-deployments'].deployments;
    expect(etl).toMatchObject({
      name: 'etl',
      image: { repository: 'registry.example/etl', tag: '2.3.1' },
      dagsterApiGrpcArgs: ['--module-name', 'etl.defs'],
      port: 3030,
    });
    expect(ml).toMatchObject({ dagsterApiGrpcArgs: ['--python-file', '/app/defs.py'], port: 4000 });
    expect(etl.serviceAccount).toEqual({ name: 'dagster-user-code' });
    expect(full['dagster-user-deployments'].rbacEnabled).toBe(false);
    expect(full.rbacEnabled).toBe(false);
    expect(full.serviceAccount).toEqual({ create: false, name: 'dagster', annotations: {} });
  });

  describe('environment precedence: values, then ConfigMaps in order, then Secrets in order', () => {
    // Every source defines LOG; its value names the source. The last source must win.
    const contents = (names: string[]): Record<string, Record<string, string>> =>
      Object.fromEntries(names.map((n) => [n, { LOG: n, [`ONLY_${n.replace(/\W/g, '_')}`]: '1' }]));

    it('webserver and daemon: values go to the chart ConfigMap (first envFrom), never to env (which beats envFrom)', () => {
      for (const c of [full.dagsterWebserver, full.dagsterDaemon]) {
        expect(Array.isArray(c.env)).toBe(false);
        expect(c.env).toEqual({ LOG: 'values' });
      }
      const web = layered.webserver;
      const sources = chartEnvFrom('dagster-webserver-env', web);
      expect(sources).toEqual([
        { configMapRef: { name: 'dagster-webserver-env' } },
        { configMapRef: { name: 'web-cm-1' } },
        { configMapRef: { name: 'web-cm-2' } },
        { secretRef: { name: 'web-s-1' } },
        { secretRef: { name: 'web-s-2' } },
      ]);
      // what the chart gets, in the same order
      expect(full.dagsterWebserver.envConfigMaps).toEqual([
        { name: 'web-cm-1' },
        { name: 'web-cm-2' },
      ]);
      expect(full.dagsterWebserver.envSecrets).toEqual([{ name: 'web-s-1' }, { name: 'web-s-2' }]);
      const data = contents([
        'configmap/web-cm-1',
        'configmap/web-cm-2',
        'secret/web-s-1',
        'secret/web-s-2',
      ]);
      data['configmap/dagster-webserver-env'] = { LOG: 'values' };
      expect(resolveEnv(sources, data).LOG).toBe('secret/web-s-2');
      delete data['secret/web-s-2'].LOG;
      delete data['secret/web-s-1'].LOG;
      expect(resolveEnv(sources, data).LOG).toBe('configmap/web-cm-2');
    });

    it('code locations: map env (its user-env ConfigMap) then its ConfigMaps then Secrets', () => {
      const etl = full['dagster-user-deployments'].deployments[0];
      expect(etl.env.LOG).toBe('loc-values');
      expect(etl.envConfigMaps).toEqual([{ name: 'etl-cm' }]);
      expect(etl.envSecrets).toEqual([{ name: 'etl-s' }]);
      expect(etl.includeConfigInLaunchedRuns).toEqual({ enabled: false });
    });

    it('launched runs: plain values in the project’s ConfigMap, then ConfigMaps, then Secrets', () => {
      const k8s = full.runLauncher.config.k8sRunLauncher;
      expect(k8s.envConfigMaps).toEqual([
        { name: 'dagster-run-env' },
        { name: 'run-cm-1' },
        { name: 'run-cm-2' },
      ]);
      expect(k8s.envSecrets).toEqual([{ name: 'run-s-1' }, { name: 'run-s-2' }]);
      expect(k8s.envVars).toEqual([]);
      // nothing in container_config.env_from: it would come after every Secret (job.py)
      expect(k8s.runK8sConfig.containerConfig).toBeUndefined();
      expect(full.pipelineRun).toBeUndefined();
    });

    describe('through dagster-k8s’s merge (test/support/dagster-k8s-model.ts)', () => {
      const etl = full['dagster-user-deployments'].deployments[0];
      const context = JSON.parse(etl.env[CONTAINER_CONTEXT_ENV]);
      const k8s = full.runLauncher.config.k8sRunLauncher;
      const launcher = {
        env_config_maps: k8s.envConfigMaps.map((c: any) => c.name),
        env_secrets: k8s.envSecrets.map((c: any) => c.name),
      };
      const data = () => {
        const d: Record<string, Record<string, string>> = {};
        for (const n of [
          'dagster-run-env',
          'run-cm-1',
          'run-cm-2',
          'dagster-etl-run-env',
          'etl-cm',
        ])
          d[`configmap/${n}`] = { LOG: `configmap/${n}` };
        for (const n of ['run-s-1', 'run-s-2', 'etl-s']) d[`secret/${n}`] = { LOG: `secret/${n}` };
        return d;
      };

      it.each(['in-order', 'arbitrary'] as const)(
        'a run-launcher Secret beats a code location’s plain value with the same key (%s merge)',
        (order) => {
          const d = data();
          delete d['secret/etl-s'].LOG;
          expect(resolveEnv(runPodEnvFrom(launcher, context.k8s, order), d).LOG).toMatch(
            /^secret\/run-s-[12]$/,
          );
        },
      );

      it('the order is run values < run ConfigMaps < location values < location ConfigMaps < run Secrets < location Secrets', () => {
        const envFrom = runPodEnvFrom(launcher, context.k8s);
        expect(envFrom).toEqual([
          { configMapRef: { name: 'dagster-run-env' } },
          { configMapRef: { name: 'run-cm-1' } },
          { configMapRef: { name: 'run-cm-2' } },
          { configMapRef: { name: 'dagster-etl-run-env' } },
          { configMapRef: { name: 'etl-cm' } },
          { secretRef: { name: 'run-s-1' } },
          { secretRef: { name: 'run-s-2' } },
          { secretRef: { name: 'etl-s' } },
        ]);
        const d = data();
        expect(resolveEnv(envFrom, d).LOG).toBe('secret/etl-s');
        for (const k of ['secret/etl-s', 'secret/run-s-1', 'secret/run-s-2']) delete d[k].LOG;
        expect(resolveEnv(envFrom, d).LOG).toBe('configmap/etl-cm');
      });
    });

    it('runs of a location keep the dagster service account, the batch pool, the image’s architecture and no resources', () => {
      const etl = full['dagster-user-deployments'].deployments[0];
      const context = JSON.parse(etl.env[CONTAINER_CONTEXT_ENV]);
      expect(context).toEqual(
        codeLocationContainerContext(layered, layered.codeLocations[0], INPUTS),
      );
      expect(context.k8s.service_account_name).toBe('dagster');
      expect(context.k8s.run_k8s_config.pod_spec_config).toEqual({
        node_selector: { ...INPUTS.batchNodePool!.nodeSelector, 'kubernetes.io/arch': 'amd64' },
        tolerations: INPUTS.batchNodePool!.tolerations,
      });
      expect(context.k8s.run_k8s_config.pod_template_spec_metadata).toEqual({
        annotations: { 'karpenter.sh/do-not-disrupt': 'true' },
      });
      expect(context.k8s.run_k8s_config.job_spec_config).toEqual({
        ttl_seconds_after_finished: 86400,
      });
      // no resources: a scalar from this layer would replace the launcher's (container_context.py merge)
      expect(context.k8s.resources).toBeUndefined();
    });

    it('a location without includeConfigInLaunchedRuns passes nothing to its runs', () => {
      const ml = full['dagster-user-deployments'].deployments[1];
      expect(ml.env[CONTAINER_CONTEXT_ENV]).toBeUndefined();
    });
  });

  it('leaves the UI’s Ingresses to the project (ingress.ts), one per host', () => {
    expect(values.ingress).toEqual({ enabled: false });
    expect(full.dagsterWebserver.nameOverride).toBe('dagster-webserver');
  });

  it('snapshot of the example release values', () => {
    expect(values).toMatchSnapshot();
  });
});
