/**
 * The Dagster add-on: the synthesized resources with their ordering, the ALB OIDC
 * authentication and the prerequisites for runs. NetworkPolicies, RBAC, ExternalSecrets
 * (Postgres, OIDC, the Celery broker) and Flower: dagster-addon.manifests.test.ts. Alerts and
 * the dashboard: alerts.test.ts.
 */
import { Testing, TerraformStack } from 'cdktf';
import { DagsterAddOn } from '../../../constructs/dagster/dagster-addon';
import { DAGSTER_CHARTS } from '../../../envs/versions';
import { parse } from 'yaml';
import {
  manifestsOf,
  objectsOfKind,
  releases,
  STUB_SERVICES,
  stubPlatformContext,
} from '../../support/platform-fixture';
import { auth, dagster, LB_CIDRS, OIDC_AUTH } from '../../support/dagster-fixtures';

/** Builds the add-on for `config` into a fresh stack with the stub context; parsed JSON. */
function synthAddOn(config = dagster(), podIdentityAssociation = false): Record<string, any> {
  const stack = new TerraformStack(Testing.app(), 'platform-test');
  new DagsterAddOn(config, { loadBalancerSubnetCidrs: LB_CIDRS, podIdentityAssociation }).build(
    stack,
    stubPlatformContext(stack),
  );
  return JSON.parse(Testing.synth(stack));
}

describe('DagsterAddOn synth', () => {
  let json: any;
  beforeAll(() => {
    json = synthAddOn(dagster(), true);
  });
  const rels = () => releases(json);

  it('installs the pinned dagster chart in its own namespace after its prerequisites', () => {
    const rel = rels().dagster;
    expect(rel).toMatchObject({
      chart: 'dagster',
      repository: DAGSTER_CHARTS.dagster.repository,
      version: DAGSTER_CHARTS.dagster.version,
      namespace: 'dagster',
      atomic: true,
    });
    expect(Object.values(json.resource.kubernetes_namespace_v1)[0]).toMatchObject({
      metadata: { name: 'dagster' },
    });
    const deps: string[] = rel.depends_on;
    expect(deps.some((d) => d.includes('kubernetes_namespace_v1'))).toBe(true);
    expect(deps).toContain(`helm_release.${rels()['dagster-prereqs'].logicalId}`);
    expect(deps.some((d) => d.includes('aws_eks_pod_identity_association'))).toBe(true);
    expect(deps).toEqual(
      expect.arrayContaining(['local.dep-external-secrets', 'local.dep-postgres']),
    );
  });

  it('applies the ExternalSecrets after the Postgres add-on created the password they read', () => {
    expect(rels()['dagster-prereqs'].depends_on).toEqual(
      expect.arrayContaining(['local.dep-external-secrets', 'local.dep-postgres']),
    );
  });

  it('can associate the dagster service account with the compute-log role (Pod Identity)', () => {
    expect(Object.values(json.resource.aws_eks_pod_identity_association)[0]).toEqual(
      expect.objectContaining({
        cluster_name: 'acme-main-01',
        namespace: 'dagster',
        service_account: 'dagster',
        role_arn: 'arn:aws:iam::111111111111:role/acme-main-01-dagster',
      }),
    );
    expect(synthAddOn().resource.aws_eks_pod_identity_association).toBeUndefined();
  });

  it('puts the host under the cluster zone and no secret value in the synthesized JSON', () => {
    const values = parse(rels().dagster.values[0]);
    const ingress = objectsOfKind(rels()['dagster-ingress'], 'Ingress');
    expect(ingress.dagster.spec.rules[0].host).toBe('dagster.main-01.acme.example');
    expect(values.postgresql.postgresqlPassword).toBe('');
    expect(values.generatePostgresqlPasswordSecret).toBe(false);
    expect(JSON.stringify(json)).not.toMatch(/hunter2|clientSecret"?:\s*"[^"]/);
  });

  it('delivers the rule through the monitoring stack and the dashboard with the sidecar label', () => {
    const monitoring = rels()['dagster-monitoring'];
    expect(manifestsOf(monitoring).map((o) => o.kind)).toEqual(['PrometheusRule']);
    expect(monitoring.depends_on).toContain('local.dep-kube-prometheus-stack');
    const cm = Object.values(json.resource.kubernetes_config_map_v1)[0] as any;
    expect(cm.metadata).toMatchObject({
      namespace: 'monitoring',
      labels: { grafana_dashboard: '1' },
    });
    expect(JSON.parse(cm.data['dagster.json']).title).toBe('Dagster runs');
  });

  it('has no broker, broker password or Flower with the K8s launcher', () => {
    expect(Object.keys(rels())).toEqual(
      expect.not.arrayContaining(['dagster-valkey', 'dagster-flower']),
    );
    expect(json.resource.aws_secretsmanager_secret).toBeUndefined();
  });

  describe('with the Celery launcher', () => {
    let j: any;
    let r: Record<string, any>;
    beforeAll(() => {
      j = synthAddOn(dagster((d) => (d.runLauncher = { type: 'celery' })));
      r = releases(j);
    });

    it('generates the broker password into Secrets Manager, write-only (never in state)', () => {
      const secrets = Object.values(j.resource.aws_secretsmanager_secret) as any[];
      expect(secrets.map((x) => x.name)).toEqual(['acme/main-01/dagster/valkey']);
      const version = Object.values(j.resource.aws_secretsmanager_secret_version)[0] as any;
      expect(version.secret_string).toBeUndefined();
      expect(version.secret_string_wo).toMatch(/ephemeral\.aws_secretsmanager_random_password\./);
      expect(version.secret_string_wo_version).toBe(1);
    });

    it('installs the pinned Valkey chart with auth after the ExternalSecrets, then Flower', () => {
      const valkey = r['dagster-valkey'];
      expect(valkey).toMatchObject({
        chart: 'valkey',
        repository: DAGSTER_CHARTS.valkey.repository,
        version: DAGSTER_CHARTS.valkey.version,
        namespace: 'dagster',
      });
      expect(parse(valkey.values[0]).auth.usersExistingSecret).toBe('dagster-valkey-auth');
      expect(valkey.depends_on).toContain(`helm_release.${r['dagster-prereqs'].logicalId}`);
      expect(r['dagster-prereqs'].depends_on).toEqual(
        expect.arrayContaining([expect.stringMatching(/^aws_secretsmanager_secret_version\./)]),
      );
      expect(manifestsOf(r['dagster-flower']).map((o) => o.kind)).toEqual([
        'Deployment',
        'Service',
      ]);
      expect(r['dagster-flower'].depends_on).toEqual([`helm_release.${valkey.logicalId}`]);
      expect(r.dagster.depends_on).toContain(`helm_release.${valkey.logicalId}`);
    });

    it('references the generated secret by name in the ExternalSecrets, no password anywhere', () => {
      const names = manifestsOf(r['dagster-prereqs'])
        .filter((o) => o.kind === 'ExternalSecret')
        .map((o) => o.metadata.name);
      expect(names).toEqual([
        'dagster-postgresql-secret',
        'dagster-valkey-auth',
        'dagster-celery-config-secret',
      ]);
      const text = JSON.stringify(j);
      expect(text).toContain('${aws_secretsmanager_secret.');
      expect(text).not.toMatch(/redis:\/\/:[^{]/); // only the {{ .password }} template
    });

    it('leaves Flower out when runLauncher.celery.flower is false', () => {
      const noFlower = releases(
        synthAddOn(dagster((d) => (d.runLauncher = { type: 'celery', celery: { flower: false } }))),
      );
      expect(noFlower['dagster-valkey']).toBeDefined();
      expect(noFlower['dagster-flower']).toBeUndefined();
    });
  });

  it('refuses a disabled config and a platform without Postgres', () => {
    expect(
      () =>
        new DagsterAddOn(
          dagster((d) => (d.enabled = false)),
          { loadBalancerSubnetCidrs: LB_CIDRS },
        ),
    ).toThrow('dagster.enabled is false');
    const stack = new TerraformStack(Testing.app(), 'platform-nopg');
    expect(() =>
      new DagsterAddOn(dagster(), { loadBalancerSubnetCidrs: LB_CIDRS }).build(
        stack,
        stubPlatformContext(stack, { ...STUB_SERVICES, postgres: undefined }),
      ),
    ).toThrow('services.postgres');
  });
});

describe('ALB OIDC authentication', () => {
  const objects = (edit?: (d: any) => void) => {
    const stack = new TerraformStack(Testing.app(), 'platform-oidc');
    return new DagsterAddOn(dagster(edit), { loadBalancerSubnetCidrs: LB_CIDRS }).prerequisites(
      stubPlatformContext(stack),
    ) as any[];
  };

  it('lets the load balancer controller read exactly the OIDC client Secret', () => {
    const all = objects((d) => (d.ingress = { scheme: 'internet-facing', auth: auth(OIDC_AUTH) }));
    const role = all.find(
      (o) => o.kind === 'Role' && o.metadata.name === 'aws-load-balancer-controller-secrets',
    );
    expect(role.metadata.namespace).toBe('dagster');
    expect(role.rules).toEqual([
      expect.objectContaining({ resources: ['secrets'], resourceNames: ['dagster-oidc-client'] }),
    ]);
    const binding = all.find(
      (o) => o.kind === 'RoleBinding' && o.roleRef?.name === 'aws-load-balancer-controller-secrets',
    );
    expect(binding.subjects).toEqual([
      expect.objectContaining({
        kind: 'ServiceAccount',
        name: 'aws-load-balancer-controller',
        namespace: 'kube-system',
      }),
    ]);
  });

  it('grants nothing when the UI is internal (no OIDC client to read)', () => {
    expect(objects().some((o) => o.metadata?.name === 'aws-load-balancer-controller-secrets')).toBe(
      false,
    );
  });
});

describe('prerequisites for runs', () => {
  const objects = (edit?: (d: any) => void) => {
    const stack = new TerraformStack(Testing.app(), 'platform-prereqs');
    return new DagsterAddOn(dagster(edit), { loadBalancerSubnetCidrs: LB_CIDRS }).prerequisites(
      stubPlatformContext(stack),
    ) as any[];
  };

  it('creates the ConfigMaps with the plain values of runs (the launcher’s and each location’s)', () => {
    const os = objects((d) => {
      d.runLauncher = { env: { LOG_LEVEL: 'info' } };
      d.codeLocations[0].env = { REGION: 'eu' };
    });
    const cms = Object.fromEntries(
      os.filter((o) => o.kind === 'ConfigMap').map((o) => [o.metadata.name, o.data]),
    );
    expect(cms).toEqual({
      'dagster-run-env': { LOG_LEVEL: 'info' },
      'dagster-example-run-env': { REGION: 'eu' },
    });
  });

  it('gives containers without resources the run defaults (Celery run and step pods get none)', () => {
    // https://kubernetes.io/docs/concepts/policy/limit-range/ — `defaultRequest` and `default`
    // apply to containers that set no requests/limits; the CeleryK8sRunLauncher sets none on run
    // pods (its `resources` are the Celery workers').
    const lr = objects().find((o) => o.kind === 'LimitRange');
    expect(lr.spec.limits).toEqual([
      {
        type: 'Container',
        defaultRequest: { cpu: '500m', memory: '1Gi' },
        default: { memory: '2Gi' },
      },
    ]);
  });
});
