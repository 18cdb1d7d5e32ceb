/**
 * The add-on framework: HelmAddOn (pinning, namespace, values as YAML, depends_on),
 * ManifestsRelease (local chart asset, input checks), toYaml (tokens quoted), installAddOns
 * (order, unknown dependency, cycle, duplicates) and GeneratedPasswordSecret.
 */
import { Testing, TerraformStack, Lazy } from 'cdktf';
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { parse } from 'yaml';
import { HelmAddOn } from '../../../constructs/platform/helm-addon';
import { ManifestsRelease } from '../../../constructs/platform/manifests';
import { toYaml } from '../../../constructs/platform/values';
import { installAddOns } from '../../../constructs/platform/platform-addons';
import { GeneratedPasswordSecret } from '../../../constructs/platform/generated-secret';
import type { ClusterAddOn, PlatformContext } from '../../../constructs/platform/addon';
import { STUB_CLUSTER } from '../../support/platform-fixture';

class DemoAddOn extends HelmAddOn {
  constructor(name: string, version: string, dependsOn: string[] = [], namespace = 'demo') {
    super({
      name,
      chart: { chart: 'demo', repository: 'https://charts.example.com', version },
      namespace,
      dependsOn,
    });
  }
  protected values(ctx: PlatformContext): Record<string, unknown> {
    return { cluster: ctx.cluster.clusterName, optional: undefined, list: [1, 2] };
  }
}

class Named implements ClusterAddOn {
  constructor(
    readonly name: string,
    readonly dependsOn: string[] = [],
  ) {}
  build(scope: Construct): ITerraformDependable {
    return new ManifestsRelease(scope, this.name, {
      name: this.name,
      namespace: 'default',
      manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: this.name } }],
    }).release;
  }
}

const base = {
  clusterKey: 'main-01',
  region: 'eu-central-1',
  cluster: STUB_CLUSTER,
  services: { secretStoreName: 's', ingressClassName: 'alb' },
};

describe('HelmAddOn', () => {
  let json: Record<string, any>;
  beforeAll(() => {
    const stack = new TerraformStack(Testing.app(), 'demo');
    installAddOns(
      stack,
      [new DemoAddOn('a', '1.2.3'), new DemoAddOn('b', '0.1.0', ['a'], 'kube-system')],
      base,
    );
    json = JSON.parse(Testing.synth(stack));
  });

  it('refuses unpinned chart versions', () => {
    for (const v of ['latest', '', '^1.2.0', '1.x', '>=1.0.0', '~1.2']) {
      expect(() => new DemoAddOn('x', v)).toThrow(
        `add-on x: chart demo version "${v}" is not pinned`,
      );
    }
  });

  it('creates the namespace with Pod Security labels (not for system namespaces) and the release after it', () => {
    const namespaces = Object.values<any>(json.resource.kubernetes_namespace_v1);
    expect(namespaces).toHaveLength(1);
    expect(namespaces[0].metadata).toEqual({
      name: 'demo',
      labels: {
        'app.kubernetes.io/managed-by': 'terraform',
        'pod-security.kubernetes.io/enforce': 'baseline',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
      },
    });
    const a = Object.values<any>(json.resource.helm_release).find((r) => r.name === 'a');
    expect(a).toMatchObject({
      chart: 'demo',
      repository: 'https://charts.example.com',
      version: '1.2.3',
      namespace: 'demo',
      create_namespace: false,
    });
    expect(a.depends_on).toEqual([expect.stringMatching(/^kubernetes_namespace_v1\.a_namespace_/)]);
  });

  it('serialises values with the yaml library, dropping undefined', () => {
    const a = Object.values<any>(json.resource.helm_release).find((r) => r.name === 'a');
    expect(parse(a.values[0])).toEqual({ cluster: 'acme-main-01', list: [1, 2] });
  });

  it('waits for Karpenter by default (the system nodes are tainted)', () => {
    class Plain extends HelmAddOn {
      constructor() {
        super({ name: 'plain', chart: { chart: 'p', version: '1.0.0' }, namespace: 'p' });
      }
      protected values(): Record<string, unknown> {
        return {};
      }
    }
    expect(new Plain().dependsOn).toEqual(['karpenter']);
    expect(new DemoAddOn('a', '1.2.3').dependsOn).toEqual([]);
  });

  it('depends_on the releases of its dependsOn add-ons', () => {
    const entries = Object.entries<any>(json.resource.helm_release);
    const [aId] = entries.find(([, r]) => r.name === 'a')!;
    const b = entries.find(([, r]) => r.name === 'b')![1];
    expect(b.depends_on).toEqual([`helm_release.${aId}`]);
  });
});

describe('ManifestsRelease', () => {
  it('rejects an empty list and objects without apiVersion, kind or name', () => {
    const stack = new TerraformStack(Testing.app(), 'm');
    expect(
      () => new ManifestsRelease(stack, 'e', { name: 'e', namespace: 'd', manifests: [] }),
    ).toThrow('ManifestsRelease e: no manifests');
    expect(
      () =>
        new ManifestsRelease(stack, 'f', {
          name: 'f',
          namespace: 'd',
          manifests: [{ kind: 'X', metadata: { name: 'x' } }],
        }),
    ).toThrow('ManifestsRelease f: manifests[0] needs apiVersion, kind and metadata.name');
  });

  it('shares one chart asset per stack', () => {
    const stack = new TerraformStack(Testing.app(), 'm2');
    const one = new ManifestsRelease(stack, 'one', {
      name: 'one',
      namespace: 'd',
      manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }],
    });
    const two = new ManifestsRelease(stack, 'two', {
      name: 'two',
      namespace: 'd',
      manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y' } }],
    });
    const json = JSON.parse(Testing.synth(stack));
    const charts = Object.values<any>(json.resource.helm_release).map((r) => r.chart);
    expect(new Set(charts).size).toBe(1);
    expect(one.release).not.toBe(two.release);
  });
});

describe('toYaml', () => {
  it('double-quotes strings holding Terraform tokens, keeps others plain', () => {
    const token = Lazy.stringValue({ produce: () => 'x' });
    const text = toYaml({ plain: 'abc', ref: token, n: 3 });
    expect(text).toMatch(/^plain: abc$/m);
    expect(text).toMatch(/^ref: "\$\{TfToken\[TOKEN\.\d+\]\}"$/m);
  });
});

describe('installAddOns', () => {
  const install = (addOns: ClusterAddOn[]) =>
    installAddOns(new TerraformStack(Testing.app(), 'i'), addOns, base);

  it('builds in dependency order, keeping list order otherwise', () => {
    const built = install([new Named('c', ['b']), new Named('a'), new Named('b', ['a'])]);
    expect([...built.keys()]).toEqual(['a', 'b', 'c']);
  });

  it('rejects unknown dependencies, cycles and duplicates', () => {
    expect(() => install([new Named('a', ['zzz'])])).toThrow(
      'add-on a depends on "zzz", which is not enabled',
    );
    expect(() => install([new Named('a', ['b']), new Named('b', ['a'])])).toThrow(
      'add-on dependency cycle among: a, b',
    );
    expect(() => install([new Named('a'), new Named('a')])).toThrow('add-on "a" is listed twice');
  });
});

describe('GeneratedPasswordSecret', () => {
  it('rejects short passwords and bad recovery windows', () => {
    const stack = new TerraformStack(Testing.app(), 'g');
    expect(
      () =>
        new GeneratedPasswordSecret(stack, 'p', {
          secretName: 'x',
          description: 'd',
          username: 'u',
          length: 8,
        }),
    ).toThrow(/below 16/);
    expect(
      () =>
        new GeneratedPasswordSecret(stack, 'q', {
          secretName: 'x',
          description: 'd',
          username: 'u',
          recoveryWindowInDays: 0,
        }),
    ).toThrow(/7-30/);
  });
});
