/**
 * Optional add-ons from config: Argo CD and cert-manager (values against the reference
 * schema, ClusterIssuer against the reference CRD); off by default.
 */
import { PLATFORM_CHARTS } from '../../../../envs/versions';
import {
  describeReference,
  validateChartValues,
  validateCustomResource,
} from '../../../support/conformance';
import {
  expectChart,
  manifestsOf,
  platformReleases,
  valuesOf,
} from '../../../support/platform-fixture';

let rel: Record<string, any>;
let defaults: Record<string, any>;
beforeAll(() => {
  rel = platformReleases((raw) => {
    raw.clusters['main-01'].platform.argoCd = { enabled: true };
    raw.clusters['main-01'].platform.certManager = { enabled: true };
  }).rel;
  defaults = platformReleases().rel;
});

describe('optional add-ons', () => {
  it('are off by default', () => {
    expect(defaults['argo-cd']).toBeUndefined();
    expect(defaults['cert-manager']).toBeUndefined();
  });

  it('Argo CD: pinned chart, internal only (ClusterIP, no ingress), Dex off', () => {
    expectChart(rel['argo-cd'], PLATFORM_CHARTS.argoCd, 'argocd');
    const v = valuesOf(rel['argo-cd']);
    expect(v.server).toEqual({ service: { type: 'ClusterIP' }, ingress: { enabled: false } });
    expect(v.dex).toEqual({ enabled: false });
  });

  it('cert-manager: pinned chart with CRDs, a self-signed ClusterIssuer after it', () => {
    expectChart(rel['cert-manager'], PLATFORM_CHARTS.certManager, 'cert-manager');
    expect(valuesOf(rel['cert-manager']).crds).toEqual({ enabled: true, keep: true });
    expect(manifestsOf(rel['cert-manager-issuers'])).toEqual([
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'ClusterIssuer',
        metadata: { name: 'selfsigned' },
        spec: { selfSigned: {} },
      },
    ]);
    expect(rel['cert-manager-issuers'].depends_on).toEqual([
      `helm_release.${rel['cert-manager'].logicalId}`,
    ]);
  });
});

describeReference('cert-manager against the reference schema and CRD', () => {
  it('values are valid (chart defaults merged)', () => {
    expect(
      validateChartValues(
        valuesOf(rel['cert-manager']),
        'cert-manager/values.schema.json',
        'cert-manager/values.yaml',
      ),
    ).toEqual([]);
  });

  it('ClusterIssuer validates', () => {
    expect(
      validateCustomResource(
        manifestsOf(rel['cert-manager-issuers'])[0],
        'cert-manager/cert-manager.io_clusterissuers.yaml',
      ),
    ).toEqual([]);
  });
});
