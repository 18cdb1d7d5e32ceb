/**
 * The Dagster add-on: NetworkPolicies, RBAC, ExternalSecrets (Postgres, OIDC, the Celery
 * broker), Flower, and the synthesized resources with their ordering. Alerts and the
 * dashboard: dagster-alerts.test.ts.
 */
import { Testing, TerraformStack } from 'cdktf';
import { DagsterAddOn, valkeyValues } from '../../../constructs/dagster/dagster-addon';
import { dagsterNetworkPolicies } from '../../../constructs/dagster/network-policies';
import { dagsterRbac, RUN_ROLE_RULES } from '../../../constructs/dagster/rbac';
import { dagsterExternalSecrets } from '../../../constructs/dagster/external-secrets';
import { dagsterFlower } from '../../../constructs/dagster/flower';
import { DAGSTER_CHARTS, DAGSTER_IMAGES } from '../../../envs/versions';
import { parse } from 'yaml';
import {
  manifestsOf,
  objectsOfKind,
  releases,
  STUB_SERVICES,
  stubPlatformContext,
} from '../../support/platform-fixture';
import { auth, dagster, OIDC_AUTH } from '../../support/dagster-fixtures';

const PG = { namespace: 'postgres', podLabels: { 'cnpg.io/cluster': 'dagster-pg' }, port: 5432 };
const PG_PASSWORD = STUB_SERVICES.postgres!.passwordSecret;
const VALKEY_PASSWORD = { name: 'acme/main-01/dagster/valkey', property: 'password' };
/** Public subnets the Dagster ALBs live in (never the VPC CIDR). */
const LB_CIDRS = ['10.0.0.0/24', '10.0.1.0/24'];

/** Builds the add-on for `config` into a fresh stack with the stub context; parsed JSON. */
function synthAddOn(config = dagster(), podIdentityAssociation = false): Record<string, any> {
  const stack = new TerraformStack(Testing.app(), 'platform-test');
  new DagsterAddOn(config, { loadBalancerSubnetCidrs: LB_CIDRS, podIdentityAssociation }).build(
    stack,
    stubPlatformContext(stack),
  );
  return JSON.parse(Testing.synth(stack));
}

describe('network policies', () => {
  const policies = dagsterNetworkPolicies(dagster(), {
    loadBalancerSourceCidrs: LB_CIDRS,
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
      {
        from: [{ ipBlock: { cidr: '10.0.0.0/24' } }, { ipBlock: { cidr: '10.0.1.0/24' } }],
        ports: [{ protocol: 'TCP', port: 80 }],
      },
    ]);
  });

  it('refuses an empty load balancer source list', () => {
    expect(() =>
      dagsterNetworkPolicies(dagster(), { loadBalancerSourceCidrs: [], postgres: PG }),
    ).toThrow(/loadBalancerSourceCidrs is empty/);
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
      { loadBalancerSourceCidrs: LB_CIDRS, postgres: PG },
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
  const kinds = (objs: any[]) => objs.map((o) => `${o.kind}/${o.metadata.name}`);

  it('deliver the Postgres password in the chart’s shape, by reference only', () => {
    const objs = dagsterExternalSecrets(dagster(), {
      secretStoreName: 'aws-secrets-manager',
      postgresPassword: PG_PASSWORD,
    }) as any[];
    expect(kinds(objs)).toEqual(['ExternalSecret/dagster-postgresql-secret']);
    const [pg] = objs;
    expect(pg.apiVersion).toBe('external-secrets.io/v1');
    expect(pg.metadata.namespace).toBe('dagster');
    expect(pg.spec.target).toMatchObject({
      name: 'dagster-postgresql-secret',
      creationPolicy: 'Owner',
    });
    expect(pg.spec.secretStoreRef).toEqual({
      kind: 'ClusterSecretStore',
      name: 'aws-secrets-manager',
    });
    expect(pg.spec.data).toEqual([
      {
        secretKey: 'postgresql-password',
        remoteRef: { key: 'acme/main-01/postgres/dagster', property: 'password' },
      },
    ]);
  });

  it('deliver the OIDC client for the ALB when OIDC is configured', () => {
    const cfg = dagster((d) => (d.ingress = { scheme: 'internet-facing', auth: auth(OIDC_AUTH) }));
    const oidc = (
      dagsterExternalSecrets(cfg, { secretStoreName: 's', postgresPassword: PG_PASSWORD }) as any[]
    )[1];
    expect(oidc.spec.target.name).toBe('dagster-oidc-client');
    expect(oidc.spec.data).toEqual([
      {
        secretKey: 'clientID',
        remoteRef: { key: 'acme/main-01/dagster-oidc', property: 'clientId' },
      },
      {
        secretKey: 'clientSecret',
        remoteRef: { key: 'acme/main-01/dagster-oidc', property: 'clientSecret' },
      },
    ]);
  });

  describe('Celery broker', () => {
    const celery = dagster((d) => (d.runLauncher = { type: 'celery' }));
    const objs = dagsterExternalSecrets(celery, {
      secretStoreName: 'aws-secrets-manager',
      postgresPassword: PG_PASSWORD,
      valkeyPassword: VALKEY_PASSWORD,
    }) as any[];
    const byName = Object.fromEntries(objs.map((o) => [o.metadata.name, o]));

    it('give Valkey the generated password under the ACL user’s key', () => {
      expect(byName['dagster-valkey-auth'].spec.data).toEqual([
        { secretKey: 'default', remoteRef: { key: VALKEY_PASSWORD.name, property: 'password' } },
      ]);
    });

    it('write the chart’s celery config Secret: broker and backend URLs with the same password', () => {
      const es = byName['dagster-celery-config-secret'];
      expect(es.spec.target.name).toBe('dagster-celery-config-secret');
      expect(es.spec.data).toEqual([
        { secretKey: 'password', remoteRef: { key: VALKEY_PASSWORD.name, property: 'password' } },
      ]);
      expect(es.spec.target.template).toMatchObject({
        engineVersion: 'v2',
        data: {
          DAGSTER_CELERY_BROKER_URL:
            'redis://:{{ .password }}@dagster-valkey.dagster.svc.cluster.local:6379/0',
          DAGSTER_CELERY_BACKEND_URL:
            'redis://:{{ .password }}@dagster-valkey.dagster.svc.cluster.local:6379/1',
        },
      });
    });

    it('are required with the Celery launcher', () => {
      expect(() =>
        dagsterExternalSecrets(celery, { secretStoreName: 's', postgresPassword: PG_PASSWORD }),
      ).toThrow('the Celery launcher needs inputs.valkeyPassword');
    });
  });
});

describe('Valkey and Flower', () => {
  it('Valkey requires a password for its default user, read from the External Secrets Secret', () => {
    const v = valkeyValues() as any;
    expect(v.auth).toEqual({
      enabled: true,
      usersExistingSecret: 'dagster-valkey-auth',
      aclUsers: { default: { permissions: '~* &* +@all' } },
    });
    expect(JSON.stringify(v)).not.toMatch(/"password"/);
  });

  it('Flower reads the broker URLs from the Secret, runs non-root and is not exposed', () => {
    const [deploy, svc] = dagsterFlower() as any[];
    const pod = deploy.spec.template.spec;
    const c = pod.containers[0];
    expect(c.image).toBe(`${DAGSTER_IMAGES.celeryK8s.repository}:${DAGSTER_IMAGES.celeryK8s.tag}`);
    expect(c.env.filter((e: any) => e.valueFrom)).toEqual([
      {
        name: 'CELERY_BROKER_URL',
        valueFrom: {
          secretKeyRef: { name: 'dagster-celery-config-secret', key: 'DAGSTER_CELERY_BROKER_URL' },
        },
      },
      {
        name: 'CELERY_RESULT_BACKEND',
        valueFrom: {
          secretKeyRef: { name: 'dagster-celery-config-secret', key: 'DAGSTER_CELERY_BACKEND_URL' },
        },
      },
    ]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(deploy.spec.template.metadata.labels).toMatchObject({
      component: 'flower',
    });
    expect(svc.spec.type).toBe('ClusterIP');
  });
});

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
