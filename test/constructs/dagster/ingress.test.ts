/**
 * The Dagster UI's load balancers: one ALB per host (read-write, read-only) with its own
 * authentication, both in the cluster's public subnets, and the webserver NetworkPolicy admitting
 * only those subnets (never the VPC CIDR, where every pod and node lives, so a pod could reach the
 * webserver past the ALB's authentication).
 *
 * Upstream: `IngressClassParams.spec.subnets.tags` / `spec.scheme`
 * (kubernetes-sigs/aws-load-balancer-controller v3.5.0 `apis/elbv2/v1beta1/ingressclassparams_types.go`:
 * "subnets in the load balancer's VPC where each tag specified in the map key contains one of the
 * values in the corresponding value list"); annotations
 * https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/.
 */
import { dagsterIngressObjects } from '../../../constructs/dagster/ingress';
import { dagsterExternalSecrets } from '../../../constructs/dagster/external-secrets';
import { auth, COGNITO_AUTH, dagster, INPUTS, OIDC_AUTH } from '../../support/dagster-fixtures';
import { objectsOfKind, platformReleases } from '../../support/platform-fixture';
import { planAddresses } from '../../../envs/address-plan';
import { addressPlanInput } from '../../../envs/schema/network';
import { exampleEnv } from '../../support/env';

const objects = (edit?: (d: any) => void) =>
  dagsterIngressObjects(dagster(edit), INPUTS, 'acme-main-01') as any[];
const byKind = (os: any[], kind: string) =>
  Object.fromEntries(os.filter((o) => o.kind === kind).map((o) => [o.metadata.name, o]));

describe('Dagster ingress', () => {
  it('an own IngressClass whose params place every Dagster ALB in the cluster’s public subnets', () => {
    for (const scheme of ['internal', 'internet-facing']) {
      const os = objects((d) => {
        d.ingress = { scheme, ...(scheme === 'internet-facing' ? { auth: auth(OIDC_AUTH) } : {}) };
      });
      const params = byKind(os, 'IngressClassParams')['dagster-alb'];
      expect(params.spec).toEqual({
        scheme,
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dagster' } },
        subnets: {
          tags: {
            'kubernetes.io/role/elb': ['1'],
            'kubernetes.io/cluster/acme-main-01': ['shared', 'owned'],
          },
        },
      });
      expect(byKind(os, 'IngressClass')['dagster-alb'].spec).toEqual({
        controller: 'ingress.k8s.aws/alb',
        parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'dagster-alb' },
      });
    }
  });

  it('routes each host to its webserver Service on port 80 with the ACM certificate', () => {
    const ing = byKind(
      objects((d) => (d.webserver = { readOnly: true })),
      'Ingress',
    );
    expect(Object.keys(ing)).toEqual(['dagster', 'dagster-read-only']);
    const backend = (i: any) => i.spec.rules[0].http.paths[0].backend.service;
    expect(ing.dagster.spec.rules[0].host).toBe(INPUTS.host);
    expect(backend(ing.dagster)).toEqual({
      name: 'dagster-dagster-webserver',
      port: { number: 80 },
    });
    expect(backend(ing['dagster-read-only'])).toEqual({
      name: 'dagster-dagster-webserver-read-only',
      port: { number: 80 },
    });
    expect(ing.dagster.metadata.annotations['alb.ingress.kubernetes.io/certificate-arn']).toBe(
      INPUTS.certificateArn,
    );
    expect(ing.dagster.spec.ingressClassName).toBe('dagster-alb');
  });

  it('the read-only host has its own ALB and its own OIDC client when readOnlyAuth is set', () => {
    const ro = { ...auth(OIDC_AUTH), clientSecretRef: { name: 'acme/main-01/dagster-ro' } };
    const config = dagster((d) => {
      d.webserver = { readOnly: true };
      d.ingress = { scheme: 'internet-facing', auth: auth(OIDC_AUTH), readOnlyAuth: ro };
    });
    const ing = byKind(dagsterIngressObjects(config, INPUTS, 'c') as any[], 'Ingress');
    const idp = (i: any) =>
      JSON.parse(i.metadata.annotations['alb.ingress.kubernetes.io/auth-idp-oidc']);
    expect(idp(ing.dagster).secretName).toBe('dagster-oidc-client');
    expect(idp(ing['dagster-read-only']).secretName).toBe('dagster-oidc-client-read-only');
    // no group.name: two Ingresses are two ALBs, two listeners, two auth configurations
    for (const i of Object.values<any>(ing))
      expect(i.metadata.annotations['alb.ingress.kubernetes.io/group.name']).toBeUndefined();
    const es = dagsterExternalSecrets(config, {
      secretStoreName: 's',
      postgresPassword: { name: 'p', property: 'password' },
    }) as any[];
    expect(es.map((e) => e.metadata.name)).toEqual(
      expect.arrayContaining(['dagster-oidc-client', 'dagster-oidc-client-read-only']),
    );
    expect(
      es.find((e) => e.metadata.name === 'dagster-oidc-client-read-only').spec.data[0].remoteRef
        .key,
    ).toBe('acme/main-01/dagster-ro');
  });

  it('every host the config can expose to the internet is authenticated', () => {
    let publicHosts = 0;
    for (const scheme of ['internal', 'internet-facing'] as const)
      for (const block of [undefined, OIDC_AUTH, COGNITO_AUTH]) {
        let os: any[];
        try {
          os = objects((d) => {
            d.webserver = { readOnly: true };
            d.ingress = { scheme, ...(block ? { auth: auth(block) } : {}) };
          });
        } catch {
          expect([scheme, block]).toEqual(['internet-facing', undefined]);
          continue;
        }
        if (scheme !== 'internet-facing') continue;
        for (const i of Object.values<any>(byKind(os, 'Ingress'))) {
          publicHosts++;
          const a = i.metadata.annotations;
          expect(a['alb.ingress.kubernetes.io/auth-type']).toMatch(/^(oidc|cognito)$/);
          expect(a['alb.ingress.kubernetes.io/auth-on-unauthenticated-request']).toBe(
            'authenticate',
          );
        }
      }
    expect(publicHosts).toBe(4);
  });

  it('is absent when ingress.enabled is false', () => {
    expect(objects((d) => (d.ingress = { enabled: false }))).toEqual([]);
  });
});

describe('the webserver NetworkPolicy in the platform stack', () => {
  it('admits the cluster’s public subnets (the ALBs’ subnets), not the VPC CIDR', () => {
    const { rel } = platformReleases();
    const p = objectsOfKind(rel['dagster-prereqs'], 'NetworkPolicy')[
      'allow-load-balancer-to-webserver'
    ];
    const env = exampleEnv();
    const plan = planAddresses(addressPlanInput(env.network, Object.keys(env.clusters)));
    const publicCidrs = plan.clusters['main-01'].publicSubnets.map((s) => s.cidr);
    const from = p.spec.ingress[0].from.map((f: any) => f.ipBlock.cidr);
    expect(from).toEqual(publicCidrs);
    expect(from).not.toContain(env.network.cidr);
    for (const s of plan.clusters['main-01'].privateSubnets) expect(from).not.toContain(s.cidr);
  });
});
