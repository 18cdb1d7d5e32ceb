/**
 * The Dagster add-on: NetworkPolicies, RBAC, ExternalSecrets, alert rules (against the
 * PrometheusRule CRD), dashboard, and the synthesized resources with their ordering.
 */
import { Testing, TerraformLocal, TerraformStack } from 'cdktf';
import type { ITerraformDependable } from 'cdktf';
import { DagsterAddOn } from '../constructs/dagster/dagster-addon';
import { dagsterNetworkPolicies } from '../constructs/dagster/network-policies';
import { dagsterRbac, RUN_ROLE_RULES } from '../constructs/dagster/rbac';
import { dagsterExternalSecrets } from '../constructs/dagster/external-secrets';
import { dagsterPrometheusRule } from '../constructs/dagster/alerts';
import { dagsterDashboard } from '../constructs/dagster/dashboard';
import type { PlatformContext } from '../constructs/addons/addon';
import { DAGSTER_CHARTS } from '../constructs/versions';
import { dagsterSchema, type DagsterConfig } from '../envs/schema/dagster';
import { parse } from 'yaml';
import { describeReference, validateCustomResource } from './support/conformance';
import { rawExample } from './support/env';

const dagster = (edit?: (d: any) => void): DagsterConfig => {
  const d = rawExample().clusters['main-01'].dagster;
  edit?.(d);
  return dagsterSchema.parse(d);
};

const PG = { namespace: 'postgres', podLabels: { 'cnpg.io/cluster': 'dagster-pg' }, port: 5432 };

function context(scope: TerraformStack): PlatformContext {
  const deps: Record<string, ITerraformDependable> = {};
  return {
    clusterKey: 'main-01',
    region: 'eu-central-1',
    cluster: {
      clusterName: 'acme-main-01',
      clusterEndpoint: 'https://x',
      clusterCertificateAuthority: 'Y2E=',
      clusterSecurityGroupId: 'sg-1',
      vpcId: 'vpc-1',
      karpenter: {
        nodeRoleName: 'n',
        interruptionQueueName: 'q',
        controllerRoleArn: 'arn:aws:iam::123456789012:role/k',
      },
      addonRoleArns: { dagster: 'arn:aws:iam::123456789012:role/acme-main-01-dagster' },
      zone: { id: 'Z1', name: 'main-01.acme.example' },
      certificateArn: 'arn:aws:acm:eu-central-1:123456789012:certificate/abc',
      buckets: { postgresBackups: 'pg', dagsterComputeLogs: 'acme-main-01-dagster-logs' },
      secretsPrefix: 'acme/main-01/',
    },
    services: {
      secretStoreName: 'aws-secrets-manager',
      ingressClassName: 'alb',
      postgres: {
        host: 'dagster-pg-rw.postgres.svc.cluster.local',
        port: 5432,
        database: 'dagster',
        username: 'dagster',
        namespace: 'postgres',
        podLabels: PG.podLabels,
        passwordSecret: { name: 'acme/main-01/dagster-postgres', property: 'password' },
      },
      batchNodePool: {
        name: 'batch',
        nodeSelector: { 'karpenter.sh/nodepool': 'batch' },
        tolerations: [{ key: 'workload', operator: 'Equal', value: 'batch', effect: 'NoSchedule' }],
      },
      monitoring: {
        namespace: 'monitoring',
        ruleLabels: { release: 'kube-prometheus-stack' },
        dashboardLabel: { key: 'grafana_dashboard', value: '1' },
      },
    },
    // A stand-in construct inside the stack so depends_on resolves.
    dependency: (name) => (deps[name] ??= new TerraformLocal(scope, `dep-${name}`, name)),
  };
}

describe('network policies', () => {
  const policies = dagsterNetworkPolicies(dagster(), {
    loadBalancerSourceCidr: '10.0.0.0/16',
    postgres: PG,
  }) as any[];
  const byName = Object.fromEntries(policies.map((p) => [p.metadata.name, p.spec]));

  it('deny everything by default in the namespace', () => {
    expect(policies[0].metadata).toMatchObject({ name: 'default-deny', namespace: 'dagster' });
    expect(byName['default-deny']).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it('allow the load balancer to the webserver only', () => {
    const p = byName['allow-load-balancer-to-webserver'];
    expect(p.podSelector.matchExpressions[0]).toEqual({
      key: 'component',
      operator: 'In',
      values: ['dagster-webserver', 'dagster-webserver-read-only'],
    });
    expect(p.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ protocol: 'TCP', port: 80 }] },
    ]);
  });

  it('allow webserver, daemon and runs to the code locations on their gRPC ports', () => {
    const p = byName['allow-grpc-to-code-locations'];
    expect(p.podSelector).toEqual({ matchLabels: { component: 'user-deployments' } });
    expect(p.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 3030 }]);
    expect(p.ingress[0].from[0].podSelector.matchExpressions[0].values).toEqual(
      expect.arrayContaining(['dagster-webserver', 'dagster-daemon']),
    );
    expect(p.ingress[0].from[1].podSelector.matchExpressions[0]).toEqual({
      key: 'app.kubernetes.io/component',
      operator: 'In',
      values: ['run_worker', 'step_worker'],
    });
  });

  it('allow every Dagster pod to Postgres, DNS and HTTPS (not the metadata service)', () => {
    expect(byName['allow-postgres-egress'].egress[0]).toEqual({
      to: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'postgres' } },
          podSelector: { matchLabels: PG.podLabels },
        },
      ],
      ports: [{ protocol: 'TCP', port: 5432 }],
    });
    expect(byName['allow-dns-egress'].egress[0].ports).toEqual([
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ]);
    const aws = byName['allow-aws-and-kubernetes-api-egress'].egress;
    expect(aws[0]).toEqual({
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }],
      ports: [{ protocol: 'TCP', port: 443 }],
    });
    expect(aws[1].to[0].ipBlock.cidr).toBe('169.254.170.23/32');
  });

  it('allow the Celery broker only with the Celery launcher', () => {
    expect(byName['allow-celery-broker']).toBeUndefined();
    const celery = dagsterNetworkPolicies(
      dagster((d) => (d.runLauncher = { type: 'celery' })),
      { loadBalancerSourceCidr: '10.0.0.0/16', postgres: PG },
    ) as any[];
    expect(celery.map((p) => p.metadata.name)).toEqual(
      expect.arrayContaining(['allow-celery-broker', 'allow-celery-broker-egress']),
    );
  });
});

describe('RBAC', () => {
  const objects = dagsterRbac() as any[];
  it('a namespaced Role lets runs manage Jobs and Pods in the Dagster namespace only', () => {
    expect(objects.map((o) => o.kind)).toEqual([
      'ServiceAccount',
      'ServiceAccount',
      'Role',
      'RoleBinding',
    ]);
    expect(objects.some((o) => /^Cluster/.test(o.kind))).toBe(false);
    const role = objects[2];
    expect(role.metadata.namespace).toBe('dagster');
    expect(role.rules).toEqual(RUN_ROLE_RULES);
    expect(role.rules.find((r: any) => r.resources.includes('jobs')).verbs).toEqual(
      expect.arrayContaining(['create']),
    );
    expect(role.rules.find((r: any) => r.resources.includes('pods')).verbs).toEqual(
      expect.arrayContaining(['create']),
    );
    expect(JSON.stringify(role.rules)).not.toContain('*');
    expect(objects[3].subjects).toEqual([
      { kind: 'ServiceAccount', name: 'dagster', namespace: 'dagster' },
    ]);
  });
  it('code location servers get their own service account without a token or rights', () => {
    expect(objects[1]).toMatchObject({
      metadata: { name: 'dagster-user-code' },
      automountServiceAccountToken: false,
    });
  });
});

describe('external secrets', () => {
  it('deliver the Postgres password in the chart’s shape, by reference only', () => {
    const [pg] = dagsterExternalSecrets(dagster(), {
      secretStoreName: 'aws-secrets-manager',
      postgresPassword: { name: 'acme/main-01/dagster-postgres', property: 'password' },
    }) as any[];
    expect(pg.apiVersion).toBe('external-secrets.io/v1');
    expect(pg.spec.target.name).toBe('dagster-postgresql-secret');
    expect(pg.spec.secretStoreRef).toEqual({
      kind: 'ClusterSecretStore',
      name: 'aws-secrets-manager',
    });
    expect(pg.spec.data).toEqual([
      {
        secretKey: 'postgresql-password',
        remoteRef: { key: 'acme/main-01/dagster-postgres', property: 'password' },
      },
    ]);
  });
  it('deliver the OIDC client for the ALB when OIDC is configured', () => {
    const cfg = dagster((d) => {
      d.ingress = {
        scheme: 'internet-facing',
        auth: {
          type: 'oidc',
          issuer: 'https://i.example',
          authorizationEndpoint: 'https://i.example/a',
          tokenEndpoint: 'https://i.example/t',
          userInfoEndpoint: 'https://i.example/u',
          clientSecretRef: { name: 'acme/main-01/oidc' },
        },
      };
    });
    const oidc = (
      dagsterExternalSecrets(cfg, {
        secretStoreName: 's',
        postgresPassword: { name: 'p', property: 'password' },
      }) as any[]
    )[1];
    expect(oidc.spec.target.name).toBe('dagster-oidc-client');
    expect(oidc.spec.data.map((d: any) => d.secretKey)).toEqual(['clientID', 'clientSecret']);
  });
});

describe('alerts', () => {
  const rule = dagsterPrometheusRule(dagster(), { release: 'kube-prometheus-stack' }) as any;
  const rules = Object.fromEntries(rule.spec.groups[0].rules.map((r: any) => [r.alert, r]));

  describeReference('PrometheusRule CRD', () => {
    it('validates against the CRD', () => {
      expect(validateCustomResource(rule, 'prometheus-operator/crd-prometheusrules.yaml')).toEqual(
        [],
      );
      expect(
        validateCustomResource(
          {
            ...rule,
            spec: { groups: [{ name: 'x', rules: [{ alert: 'A', for: 'soon', expr: 'up' }] }] },
          },
          'prometheus-operator/crd-prometheusrules.yaml',
        ),
      ).not.toEqual([]);
    });
  });

  it('run failed comes from kube-state-metrics Job status, not a timestamp comparison', () => {
    expect(rules.DagsterRunFailed.expr).toBe(
      'max by (namespace, job_name) (kube_job_status_failed{namespace="dagster", job_name=~"dagster-run-.+"}) > 0',
    );
    expect(rules.DagsterRunFailed.expr).not.toMatch(/time|timestamp/);
  });
  it('daemon down for 5 minutes, also when the series is absent', () => {
    expect(rules.DagsterDaemonDown.for).toBe('5m');
    expect(rules.DagsterDaemonDown.expr).toContain(
      'absent(kube_deployment_status_replicas_available{namespace="dagster", deployment="dagster-daemon"})',
    );
  });
  it('pipeline stale beyond the configured threshold', () => {
    const r = dagsterPrometheusRule(
      dagster((d) => (d.alerts = { pipelineStaleSeconds: 7200 })),
      {},
    ) as any;
    expect(
      r.spec.groups[0].rules.find((x: any) => x.alert === 'DagsterPipelineStale').expr,
    ).toContain('[7200s:5m]');
  });
  it('code location unavailable names every location', () => {
    expect(rules.DagsterCodeLocationUnavailable.expr).toContain(
      'dagster-dagster-user-deployments-example',
    );
    expect(rule.metadata.labels.release).toBe('kube-prometheus-stack');
  });
  it('dashboard covers runs, failures and durations', () => {
    const titles = (dagsterDashboard().panels as any[]).map((p) => p.title);
    expect(titles).toEqual(
      expect.arrayContaining(['Runs in progress', 'Run failures', 'Run duration']),
    );
  });
});

describe('DagsterAddOn synth', () => {
  let json: any;
  beforeAll(() => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'platform-test');
    new DagsterAddOn(dagster(), { vpcCidr: '10.0.0.0/16', podIdentityAssociation: true }).build(
      stack,
      context(stack),
    );
    json = JSON.parse(Testing.synth(stack));
  });
  const releases = () => Object.values(json.resource.helm_release) as any[];

  it('installs the pinned dagster chart in its own namespace after its prerequisites', () => {
    const rel = releases().find((r) => r.name === 'dagster');
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
    expect(deps.some((d) => d.includes('prereqs'))).toBe(true);
    expect(deps.some((d) => d.includes('aws_eks_pod_identity_association'))).toBe(true);
    expect(deps).toEqual(
      expect.arrayContaining(['local.dep-external-secrets', 'local.dep-postgres']),
    );
  });

  it('can associate the dagster service account with the compute-log role (Pod Identity), off by default', () => {
    expect(Object.values(json.resource.aws_eks_pod_identity_association)[0]).toEqual(
      expect.objectContaining({
        cluster_name: 'acme-main-01',
        namespace: 'dagster',
        service_account: 'dagster',
        role_arn: 'arn:aws:iam::123456789012:role/acme-main-01-dagster',
      }),
    );
  });

  it('puts the host under the cluster zone and no secret value in the synthesized JSON', () => {
    const text = JSON.stringify(json);
    expect(text).toContain('dagster.main-01.acme.example');
    const rel = releases().find((r) => r.name === 'dagster');
    const values = parse(rel.values[0]);
    expect(values.postgresql.postgresqlPassword).toBe('');
    expect(values.generatePostgresqlPasswordSecret).toBe(false);
    expect(text).not.toMatch(/hunter2|clientSecret"?:\s*"[^"]/);
  });

  it('delivers the rule through the monitoring stack and the dashboard with the sidecar label', () => {
    expect(releases().map((r) => r.name)).toEqual(
      expect.arrayContaining(['dagster-prereqs', 'dagster-monitoring']),
    );
    const cm = Object.values(json.resource.kubernetes_config_map_v1)[0] as any;
    expect(cm.metadata).toMatchObject({
      namespace: 'monitoring',
      labels: { grafana_dashboard: '1' },
    });
    expect(JSON.parse(cm.data['dagster.json']).title).toBe('Dagster runs');
  });

  it('adds a pinned Valkey broker only for Celery', () => {
    expect(releases().some((r) => r.chart === 'valkey')).toBe(false);
    const app = Testing.app();
    const stack = new TerraformStack(app, 'platform-celery');
    new DagsterAddOn(
      dagster((d) => (d.runLauncher = { type: 'celery' })),
      { vpcCidr: '10.0.0.0/16' },
    ).build(stack, context(stack));
    const j = JSON.parse(Testing.synth(stack));
    const valkey = (Object.values(j.resource.helm_release) as any[]).find(
      (r) => r.chart === 'valkey',
    );
    expect(valkey).toMatchObject({
      repository: DAGSTER_CHARTS.valkey.repository,
      version: DAGSTER_CHARTS.valkey.version,
      namespace: 'dagster',
    });
    expect(j.resource.aws_eks_pod_identity_association).toBeUndefined();
  });

  it('refuses a disabled config and a platform without Postgres', () => {
    expect(
      () =>
        new DagsterAddOn(
          dagster((d) => (d.enabled = false)),
          { vpcCidr: '10.0.0.0/16' },
        ),
    ).toThrow('dagster.enabled is false');
    const app = Testing.app();
    const stack = new TerraformStack(app, 'platform-nopg');
    const ctx = context(stack);
    expect(() =>
      new DagsterAddOn(dagster(), { vpcCidr: '10.0.0.0/16' }).build(stack, {
        ...ctx,
        services: { ...ctx.services, postgres: undefined },
      }),
    ).toThrow('services.postgres');
  });
});
