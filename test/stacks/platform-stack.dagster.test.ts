/**
 * Dagster end to end in the example's platform stack (`platform-main-01`, built with the
 * whole landing zone so the cluster stack's outputs are real references, not stubs): the
 * release's S3 bucket, zone and certificate come from the cluster stack; the password
 * ExternalSecret names the secret the platform generates; runs land on the batch pool the
 * platform publishes and Karpenter taints; the rules carry the labels Prometheus selects.
 *
 * `Testing.synth` of one stack leaves a reference to another stack's resource as that
 * resource's address (`${aws_s3_bucket.…}`); `cdktf synth` turns it into a remote-state
 * output read (`${data.terraform_remote_state.cross-stack-reference-input-cluster-main-01…}`).
 * A resource address that does not exist in the platform stack is therefore a cross-stack
 * reference.
 */
import { parse } from 'yaml';
import type { PlatformStack } from '../../stacks/platform-stack';
import { sharedExample, synthJson } from '../support/synth';
import { manifestsOf, objectsOfKind, releases, valuesOf } from '../support/platform-fixture';

let platform: PlatformStack;
let json: Record<string, any>;
let rel: Record<string, any>;
let values: Record<string, any>;
beforeAll(() => {
  platform = sharedExample().platforms['main-01'];
  json = synthJson(platform);
  rel = releases(json);
  values = valuesOf(rel.dagster);
});

/** `${<type>.<logical id>.<attribute>}` → the resource type, if `text` is exactly one reference. */
const referencedType = (text: string): string | undefined =>
  /^\$\{([a-z0-9_]+)\.[^.}]+\.[a-z_]+\}$/.exec(text)?.[1];

describe('dagster in the example platform stack', () => {
  it('is installed, with its prerequisites and monitoring releases', () => {
    expect(Object.keys(rel)).toEqual(
      expect.arrayContaining(['dagster', 'dagster-prereqs', 'dagster-monitoring']),
    );
  });

  it('writes compute logs to the cluster stack’s bucket (a cross-stack reference, not a literal)', () => {
    const s3 = values.computeLogManager.config.s3ComputeLogManager;
    expect(values.computeLogManager.type).toBe('S3ComputeLogManager');
    expect(s3.bucket).toMatch(/^\$\{aws_s3_bucket\.dagster-compute-logs_bucket_[^.]+\.bucket\}$/);
    expect(json.resource.aws_s3_bucket).toBeUndefined(); // the bucket lives in the cluster stack
    expect(s3.region).toBe('eu-central-1');
  });

  it('puts the UI under the cluster zone with the cluster’s certificate', () => {
    const ingress = objectsOfKind(rel['dagster-ingress'], 'Ingress').dagster;
    const host: string = ingress.spec.rules[0].host;
    expect(host.startsWith('dagster.')).toBe(true);
    expect(referencedType(host.slice('dagster.'.length))).toBe('aws_route53_zone');
    expect(
      referencedType(ingress.metadata.annotations['alb.ingress.kubernetes.io/certificate-arn']),
      // The example has no dns.parent: the cluster stack does not wait for validation (the
      // delegation is a manual step), so the ARN is the certificate's own.
    ).toBe('aws_acm_certificate');
    expect(json.resource.aws_route53_zone).toBeUndefined();
    const params = objectsOfKind(rel['dagster-ingress'], 'IngressClassParams')['dagster-alb'];
    expect(params.spec.scheme).toBe('internal');
  });

  it('reads the Postgres password the platform generates, through External Secrets', () => {
    const es = objectsOfKind(rel['dagster-prereqs'], 'ExternalSecret')['dagster-postgresql-secret'];
    const pg = platform.services.postgres!;
    expect(es.spec.data).toEqual([
      {
        secretKey: 'postgresql-password',
        remoteRef: { key: pg.passwordSecret.name, property: pg.passwordSecret.property },
      },
    ]);
    expect(es.spec.secretStoreRef.name).toBe(platform.services.secretStoreName);
    expect(values.global.postgresqlSecretName).toBe('dagster-postgresql-secret');
    expect(values.postgresql.postgresqlHost).toBe(pg.host);
  });

  it('places runs on the batch pool the platform publishes, tolerating the taint Karpenter sets', () => {
    const pool = platform.services.batchNodePool!;
    const spec = values.runLauncher.config.k8sRunLauncher.runK8sConfig.podSpecConfig;
    const amd64 = { 'kubernetes.io/arch': 'amd64' };
    expect(spec).toEqual({
      nodeSelector: { ...pool.nodeSelector, ...amd64 },
      tolerations: pool.tolerations,
    });
    const context = JSON.parse(
      values['dagster-user-deployments'].deployments[0].env.DAGSTER_CLI_API_GRPC_CONTAINER_CONTEXT,
    );
    expect(context.k8s.run_k8s_config.pod_spec_config).toEqual({
      node_selector: { ...pool.nodeSelector, ...amd64 },
      tolerations: pool.tolerations,
    });
    // the NodePool of that name taints its nodes with exactly what runs tolerate
    const nodePoolRelease = Object.values(rel).find((r: any) =>
      (manifestsOf(r) ?? []).some((o: any) => o.kind === 'NodePool'),
    );
    const nodePool = objectsOfKind(nodePoolRelease, 'NodePool')[pool.name];
    expect(nodePool.spec.template.spec.taints).toEqual(
      pool.tolerations.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
    );
    // Karpenter labels every node with its NodePool's name (karpenter.sh/nodepool)
    expect(pool.nodeSelector).toEqual({ 'karpenter.sh/nodepool': pool.name });
  });

  it('labels its PrometheusRule for the monitoring stack’s ruleSelector', () => {
    const [rule] = manifestsOf(rel['dagster-monitoring']);
    const prometheus = valuesOf(rel['kube-prometheus-stack']).prometheus.prometheusSpec;
    expect(rule.kind).toBe('PrometheusRule');
    expect(rule.metadata.labels).toMatchObject(prometheus.ruleSelector.matchLabels);
    // rules in any namespace are picked up (or the dagster namespace is selected)
    expect(prometheus.ruleNamespaceSelector).toEqual({});
    expect(rel['dagster-monitoring'].depends_on).toContain(
      `helm_release.${rel['kube-prometheus-stack'].logicalId}`,
    );
  });

  it('leaves no password in the release values', () => {
    const text = rel.dagster.values[0] as string;
    expect(parse(text).postgresql.postgresqlPassword).toBe('');
    expect(text).not.toMatch(/password:\s*[^"\s]/i);
  });
});
