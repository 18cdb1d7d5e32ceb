/**
 * Optional add-ons from config: Argo CD and cert-manager (values against the reference
 * schema, ClusterIssuer against the reference CRD); off by default.
 */
import { PLATFORM_CHARTS } from '../../constructs/versions';
import { describeReference, validateChartValues } from '../support/conformance';
import {
  buildPlatform,
  manifestsOf,
  releases,
  synthPlatform,
  validateCr,
  valuesOf,
} from './platform-fixture';

let rel: Record<string, any>;
let defaults: Record<string, any>;
beforeAll(() => {
  rel = releases(
    synthPlatform(
      buildPlatform((raw) => {
        raw.clusters['main-01'].platform.argoCd = { enabled: true };
        raw.clusters['main-01'].platform.certManager = { enabled: true };
      }),
    ),
  );
  defaults = releases(synthPlatform(buildPlatform()));
});

describe('optional add-ons', () => {
  it('are off by default', () => {
    expect(defaults['argo-cd']).toBeUndefined();
    expect(defaults['cert-manager']).toBeUndefined();
  });

  it('Argo CD: pinned chart, internal only (ClusterIP, no ingress), Dex off', () => {
    expect(rel['argo-cd']).toMatchObject({
      chart: 'argo-cd',
      repository: 'https://argoproj.github.io/argo-helm',
      version: PLATFORM_CHARTS.argoCd.version,
      namespace: 'argocd',
    });
    const v = valuesOf(rel['argo-cd']);
    expect(v.server).toEqual({ service: { type: 'ClusterIP' }, ingress: { enabled: false } });
    expect(v.dex).toEqual({ enabled: false });
  });

  it('cert-manager: pinned chart with CRDs, a self-signed ClusterIssuer after it', () => {
    expect(rel['cert-manager']).toMatchObject({
      chart: 'cert-manager',
      repository: 'https://charts.jetstack.io',
      version: PLATFORM_CHARTS.certManager.version,
      namespace: 'cert-manager',
    });
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
      validateCr(
        manifestsOf(rel['cert-manager-issuers'])[0],
        'cert-manager/cert-manager.io_clusterissuers.yaml',
      ),
    ).toEqual([]);
  });
});
