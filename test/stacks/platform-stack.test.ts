/**
 * The platform stack: providers authenticated with an `aws eks get-token` exec plugin (a
 * credential renewed for the whole apply, no kubeconfig), every Helm release pinned, fresh-cluster ordering (no
 * custom resource can be applied before the release that installs its CRD), the
 * PlatformServices contract, and the slot for application add-ons.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import type { ClusterAddOn, PlatformContext } from '../../constructs/platform/addon';
import { MANIFESTS_CHART_DIR } from '../../constructs/platform/manifests';
import { PLATFORM_CHARTS } from '../../envs/versions';
import {
  buildPlatform,
  platformReleases,
  releases,
  STUB_CLUSTER,
  STUB_SERVICES,
  synthPlatform,
} from '../support/platform-fixture';
import type { PlatformStack } from '../../stacks/platform-stack';

/** An application add-on stand-in (like Dagster): depends on Postgres, records its context. */
class ProbeAddOn implements ClusterAddOn {
  readonly name = 'probe';
  readonly dependsOn = ['postgres', 'aws-load-balancer-controller'];
  seen?: PlatformContext;
  build(scope: Construct, ctx: PlatformContext): ITerraformDependable {
    this.seen = ctx;
    return new ConfigMapV1(new Construct(scope, this.name), 'cm', {
      metadata: { name: 'probe', namespace: 'default' },
      data: { host: ctx.services.postgres!.host },
      dependsOn: this.dependsOn.map((d) => ctx.dependency(d)),
    });
  }
}

/** API group of a custom resource kind → release (by name) whose chart installs the CRD. */
const CRD_OWNERS: Record<string, string> = {
  'karpenter.sh': 'karpenter',
  'karpenter.k8s.aws': 'karpenter',
  'external-secrets.io': 'external-secrets',
  'postgresql.cnpg.io': 'cloudnative-pg',
  'monitoring.coreos.com': 'kube-prometheus-stack',
  'cert-manager.io': 'cert-manager',
  'elbv2.k8s.aws': 'aws-load-balancer-controller',
};
/** API groups served by Kubernetes itself (no CRD, nothing to wait for). */
const BUILT_IN_GROUPS = new Set([
  'v1',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'batch',
  'apps',
]);

let probe: ProbeAddOn;
let stack: PlatformStack;
let json: Record<string, any>;
let rel: Record<string, any>;
beforeAll(() => {
  probe = new ProbeAddOn();
  ({ stack, json, rel } = platformReleases(
    (raw) => {
      raw.clusters['main-01'].platform.argoCd = { enabled: true };
      raw.clusters['main-01'].platform.certManager = { enabled: true };
      // The framework is tested with a probe application add-on; Dagster has its own specs.
      raw.clusters['main-01'].dagster.enabled = false;
    },
    [probe],
  ));
});

describe('providers', () => {
  it('helm and kubernetes authenticate with an exec plugin (aws eks get-token), never one token or a kubeconfig', () => {
    const ca = `\${base64decode("${STUB_CLUSTER.clusterCertificateAuthority}")}`;
    const file = 'var.tfc_aws_dynamic_credentials.default.shared_config_file';
    // hashicorp/helm v3.1.1 docs/index.md: `kubernetes = { exec = { api_version, args, command } }`;
    // hashicorp/kubernetes v2.38.0 docs/index.md: an `exec` block with the same fields.
    const exec = {
      api_version: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: [
        'eks',
        'get-token',
        '--cluster-name',
        STUB_CLUSTER.clusterName,
        '--region',
        'eu-central-1',
      ],
      // environment variable names are case-sensitive: written verbatim, not snake-cased
      env: {
        AWS_CONFIG_FILE: `\${${file} != "" ? ${file} : pathexpand("~/.aws/config")}`,
        AWS_REGION: 'eu-central-1',
      },
    };
    expect(json.provider.helm).toEqual([
      { kubernetes: { host: STUB_CLUSTER.clusterEndpoint, cluster_ca_certificate: ca, exec } },
    ]);
    expect(json.provider.kubernetes).toEqual([
      { host: STUB_CLUSTER.clusterEndpoint, cluster_ca_certificate: ca, exec: [exec] },
    ]);
    // kubernetes v2.38.0 docs: "DO NOT mix `exec` blocks with other credential attributes such as `token`"
    expect(JSON.stringify(json.provider)).not.toMatch(
      /"token"|config_path|config_context|kubeconfig/,
    );
    // aws#46633: the ephemeral/data token (15 minutes) is never renewed
    expect(json.ephemeral?.aws_eks_cluster_auth).toBeUndefined();
    expect(json.data?.aws_eks_cluster_auth).toBeUndefined();
  });

  it('declares tfc_aws_dynamic_credentials in the shape Terraform Cloud fills (default for local runs)', () => {
    // https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/specifying-multiple-configurations
    expect(json.variable.tfc_aws_dynamic_credentials).toMatchObject({
      type: 'object({ default = object({ shared_config_file = string }), aliases = map(object({ shared_config_file = string })) })',
      default: { default: { shared_config_file: '' }, aliases: {} },
    });
  });

  it('declares the aws, helm and kubernetes providers', () => {
    expect(Object.keys(json.terraform.required_providers).sort()).toEqual([
      'aws',
      'helm',
      'kubernetes',
    ]);
  });
});

describe('every Helm release', () => {
  it('is pinned to an exact version (never latest or a range)', () => {
    expect(Object.keys(rel).length).toBe(15);
    for (const r of Object.values<any>(rel)) {
      expect(r.version).toMatch(/^v?\d+\.\d+\.\d+$/);
      if (!r.chart.startsWith('./assets/')) expect(r.repository).toMatch(/^(https|oci):\/\//);
    }
  });

  it('is atomic and waits', () => {
    for (const r of Object.values<any>(rel))
      expect(r).toMatchObject({ atomic: true, wait: true, cleanup_on_fail: true });
  });

  it('manifests releases use the local chart, packaged as a stack asset, at its pinned version', () => {
    const chart = parse(readFileSync(join(MANIFESTS_CHART_DIR, 'Chart.yaml'), 'utf8'));
    expect(chart.version).toBe(PLATFORM_CHARTS.manifests.version);
    expect(chart.name).toBe(PLATFORM_CHARTS.manifests.chart);
    const local = Object.values<any>(rel).filter((r) => r.chart.startsWith('./assets/'));
    expect(local.map((r) => r.name).sort()).toEqual([
      'aws-load-balancer-controller-crds',
      'cert-manager-issuers',
      'external-secrets-stores',
      'karpenter-node-pools',
      'monitoring-secrets',
      'postgres-dagster',
    ]);
    expect(new Set(local.map((r) => r.chart)).size).toBe(1);
    expect(local[0].chart).toMatch(/^\.\/assets\/lz-manifests-chart\/[0-9A-F]+$/);
  });
});

describe('a fresh cluster', () => {
  const dependsOnClosure = (address: string): Set<string> => {
    const [type, name] = address.split('.');
    const seen = new Set<string>();
    const walk = (t: string, n: string) => {
      for (const d of json.resource[t]?.[n]?.depends_on ?? []) {
        if (seen.has(d)) continue;
        seen.add(d);
        const [dt, dn] = d.split('.');
        walk(dt, dn);
      }
    };
    walk(type, name);
    return seen;
  };

  it('has no kubernetes_manifest (it needs the CRD at plan time)', () => {
    expect(json.resource.kubernetes_manifest).toBeUndefined();
  });

  it('applies every custom resource after the release that installs its CRD', () => {
    let checked = 0;
    for (const r of Object.values<any>(rel).filter((x) => x.chart.startsWith('./assets/'))) {
      const closure = dependsOnClosure(`helm_release.${r.logicalId}`);
      for (const m of parse(r.values[0]).manifests) {
        const group = String(m.apiVersion).split('/')[0];
        if (BUILT_IN_GROUPS.has(group)) continue;
        const owner = CRD_OWNERS[group];
        expect({ object: `${m.kind}/${m.metadata.name}`, owner }).toEqual({
          object: `${m.kind}/${m.metadata.name}`,
          owner: expect.any(String),
        });
        expect({
          release: r.name,
          needs: owner,
          ok: closure.has(`helm_release.${rel[owner].logicalId}`),
        }).toEqual({ release: r.name, needs: owner, ok: true });
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it('installs every workload after Karpenter has node pools (system nodes are tainted)', () => {
    const pools = `helm_release.${rel['karpenter-node-pools'].logicalId}`;
    for (const r of Object.values<any>(rel)) {
      if (['karpenter', 'karpenter-node-pools'].includes(r.name)) continue;
      expect({
        release: r.name,
        afterPools: dependsOnClosure(`helm_release.${r.logicalId}`).has(pools),
      }).toEqual({ release: r.name, afterPools: true });
    }
  });
});

describe('PlatformServices and application add-ons', () => {
  it('publishes the secret store, ingress class, Postgres facts, batch pool and monitoring labels', () => {
    // STUB_SERVICES is a literal (the shared fixture application add-on tests build against).
    expect(stack.services).toEqual(STUB_SERVICES);
    expect(stack.services.postgres?.host).toBe('dagster-pg-rw.postgres.svc.cluster.local');
    expect(stack.services.batchNodePool?.tolerations).toEqual([
      { key: 'workload-class', operator: 'Equal', value: 'batch', effect: 'NoSchedule' },
    ]);
  });

  it('application add-ons come last, get the same context and can depend on platform add-ons', () => {
    expect(stack.addOns.map((a) => a.name).at(-1)).toBe('probe');
    expect(probe.seen).toMatchObject({
      clusterKey: 'main-01',
      region: 'eu-central-1',
      cluster: STUB_CLUSTER,
      services: stack.services,
    });
    const cm = Object.values<any>(json.resource.kubernetes_config_map_v1)[0];
    expect(cm.depends_on).toEqual([
      `helm_release.${rel['postgres-dagster'].logicalId}`,
      `helm_release.${rel['aws-load-balancer-controller'].logicalId}`,
    ]);
  });

  it('an application add-on depending on a disabled add-on fails with its names', () => {
    expect(() =>
      buildPlatform(
        (raw) => {
          raw.clusters['main-01'].platform.postgres = { enabled: false };
          raw.clusters['main-01'].dagster.enabled = false;
        },
        [new ProbeAddOn()],
      ),
    ).toThrow('add-on probe depends on "postgres", which is not enabled');
  });
});

describe('Dagster from the environment', () => {
  it('is the first application add-on when clusters.<key>.dagster.enabled, after Postgres', () => {
    const withDagster = buildPlatform(() => undefined);
    expect(withDagster.addOns.map((a) => a.name).at(-1)).toBe('dagster');
    const r = releases(synthPlatform(withDagster));
    expect(r.dagster.depends_on).toEqual(
      expect.arrayContaining([`helm_release.${r['postgres-dagster'].logicalId}`]),
    );
  });

  it('is absent when disabled', () => {
    expect(stack.addOns.map((a) => a.name)).not.toContain('dagster');
  });
});
