/**
 * The Dagster add-on's Kubernetes objects: NetworkPolicies, RBAC, ExternalSecrets (Postgres,
 * OIDC, the Celery broker), Valkey's values and Flower. The synthesized resources with their
 * ordering: dagster-addon.test.ts.
 */
import { valkeyValues } from '../../../constructs/dagster/dagster-addon';
import { dagsterNetworkPolicies } from '../../../constructs/dagster/network-policies';
import { dagsterRbac, RUN_ROLE_RULES } from '../../../constructs/dagster/rbac';
import { dagsterExternalSecrets } from '../../../constructs/dagster/external-secrets';
import { dagsterFlower } from '../../../constructs/dagster/flower';
import { DAGSTER_IMAGES } from '../../../envs/versions';
import { STUB_SERVICES } from '../../support/platform-fixture';
import { auth, dagster, LB_CIDRS, OIDC_AUTH } from '../../support/dagster-fixtures';

const PG = { namespace: 'postgres', podLabels: { 'cnpg.io/cluster': 'dagster-pg' }, port: 5432 };
const PG_PASSWORD = STUB_SERVICES.postgres!.passwordSecret;
const VALKEY_PASSWORD = { name: 'acme/main-01/dagster/valkey', property: 'password' };

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
