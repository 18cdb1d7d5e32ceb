/**
 * ExternalSecrets (External Secrets Operator, `external-secrets.io/v1`,
 * https://external-secrets.io/latest/api/externalsecret/) that put credentials into the
 * Dagster namespace from AWS Secrets Manager, so no secret is in config or synthesized JSON.
 */
import type { DagsterConfig } from '../../envs/schema/dagster';
import { DAGSTER_NAMESPACE, OIDC_SECRET, POSTGRES_SECRET, POSTGRES_SECRET_KEY } from './names';

type Obj = Record<string, unknown>;

/** Inputs: the store and the Postgres password reference. */
export interface DagsterExternalSecretsInputs {
  /** `ClusterSecretStore` reading AWS Secrets Manager. */
  readonly secretStoreName: string;
  /** Secrets Manager secret (name) and JSON property of the Postgres password. */
  readonly postgresPassword: { readonly name: string; readonly property: string };
}

const externalSecret = (name: string, store: string, target: string, data: Obj[]): Obj => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: {
    name,
    namespace: DAGSTER_NAMESPACE,
    labels: { 'app.kubernetes.io/part-of': 'dagster' },
  },
  spec: {
    refreshInterval: '1h',
    secretStoreRef: { kind: 'ClusterSecretStore', name: store },
    target: { name: target, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
    data,
  },
});

/**
 * - `dagster-postgresql-secret` with key `postgresql-password` (the chart's
 *   `global.postgresqlSecretName` shape);
 * - with OIDC auth, `dagster-oidc-client` with keys `clientID` and `clientSecret`, the shape the
 *   AWS Load Balancer Controller reads for `auth-idp-oidc`
 *   (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#auth-idp-oidc).
 */
export function dagsterExternalSecrets(
  config: DagsterConfig,
  inputs: DagsterExternalSecretsInputs,
): Obj[] {
  const out = [
    externalSecret('dagster-postgresql', inputs.secretStoreName, POSTGRES_SECRET, [
      {
        secretKey: POSTGRES_SECRET_KEY,
        remoteRef: {
          key: inputs.postgresPassword.name,
          property: inputs.postgresPassword.property,
        },
      },
    ]),
  ];
  const auth = config.ingress.enabled ? config.ingress.auth : undefined;
  if (auth?.type === 'oidc') {
    const ref = auth.clientSecretRef;
    out.push(
      externalSecret('dagster-oidc-client', inputs.secretStoreName, OIDC_SECRET, [
        { secretKey: 'clientID', remoteRef: { key: ref.name, property: ref.clientIdProperty } },
        {
          secretKey: 'clientSecret',
          remoteRef: { key: ref.name, property: ref.clientSecretProperty },
        },
      ]),
    );
  }
  return out;
}
