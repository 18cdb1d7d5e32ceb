/**
 * ExternalSecrets (External Secrets Operator, `external-secrets.io/v1`,
 * https://external-secrets.io/latest/api/externalsecret/) that put credentials into the
 * Dagster namespace from AWS Secrets Manager, so no secret is in config or synthesized JSON.
 * Built with the platform's {@link externalSecret} helper (the ExternalSecret and the Secret
 * it writes share one name).
 */
import type { DagsterConfig } from '../../envs/schema/dagster';
import { externalSecret } from '../platform/addons/external-secrets';
import { oidcSecrets } from './ingress';
import {
  CELERY_CONFIG_SECRET,
  DAGSTER_NAMESPACE,
  POSTGRES_SECRET,
  POSTGRES_SECRET_KEY,
  VALKEY_AUTH_SECRET,
  VALKEY_PORT,
  VALKEY_RELEASE,
  VALKEY_USER,
} from './names';

type Obj = Record<string, unknown>;

/** A Secrets Manager secret (full name) and the JSON property of the value in it. */
export interface SecretPropertyRef {
  readonly name: string;
  readonly property: string;
}

/** Inputs: the store and the password references. */
export interface DagsterExternalSecretsInputs {
  /** `ClusterSecretStore` reading AWS Secrets Manager. */
  readonly secretStoreName: string;
  /** Secrets Manager secret (name) and JSON property of the Postgres password. */
  readonly postgresPassword: SecretPropertyRef;
  /**
   * Secrets Manager secret (name, may be a token) and JSON property of the generated Valkey
   * password. Required with the Celery run launcher, ignored otherwise.
   */
  readonly valkeyPassword?: SecretPropertyRef;
}

const LABELS = { 'app.kubernetes.io/part-of': 'dagster' };

/** Celery URL of Valkey database `db`, the password filled in by the External Secrets template. */
export function celeryUrlTemplate(db: number): string {
  // Go template (External Secrets template engine v2), not Helm: the manifests chart renders
  // values verbatim. The generated password has no punctuation, so it needs no URL escaping.
  return `redis://:{{ .password }}@${VALKEY_RELEASE}.${DAGSTER_NAMESPACE}.svc.cluster.local:${VALKEY_PORT}/${db}`;
}

/** Valkey database numbers of the Celery broker and result backend. */
export const CELERY_DB = { broker: 0, backend: 1 } as const;

/**
 * - `dagster-postgresql-secret` with key `postgresql-password` (the chart's
 *   `global.postgresqlSecretName` shape);
 * - with OIDC auth, `dagster-oidc-client` with keys `clientID` and `clientSecret`, the shape the
 *   AWS Load Balancer Controller reads for `auth-idp-oidc`
 *   (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#auth-idp-oidc);
 * - with the Celery launcher, `dagster-valkey-auth` (key `default`: the Valkey chart's
 *   `auth.usersExistingSecret`) and `dagster-celery-config-secret` with
 *   `DAGSTER_CELERY_BROKER_URL` / `DAGSTER_CELERY_BACKEND_URL` (the chart's
 *   `global.celeryConfigSecretName` shape, `generateCeleryConfigSecret: false`), both from the
 *   same generated password
 *   (https://external-secrets.io/latest/guides/templating/).
 * @throws Error if the Celery launcher is chosen and `inputs.valkeyPassword` is missing
 */
export function dagsterExternalSecrets(
  config: DagsterConfig,
  inputs: DagsterExternalSecretsInputs,
): Obj[] {
  const store = inputs.secretStoreName;
  const out: Obj[] = [
    externalSecret({
      name: POSTGRES_SECRET,
      namespace: DAGSTER_NAMESPACE,
      store,
      labels: LABELS,
      data: {
        [POSTGRES_SECRET_KEY]: {
          key: inputs.postgresPassword.name,
          property: inputs.postgresPassword.property,
        },
      },
    }),
  ];
  for (const { name, auth } of oidcSecrets(config)) {
    const ref = auth.clientSecretRef;
    out.push(
      externalSecret({
        name,
        namespace: DAGSTER_NAMESPACE,
        store,
        labels: LABELS,
        data: {
          clientID: { key: ref.name, property: ref.clientIdProperty },
          clientSecret: { key: ref.name, property: ref.clientSecretProperty },
        },
      }),
    );
  }
  if (config.runLauncher.type === 'celery') {
    const pw = inputs.valkeyPassword;
    if (!pw)
      throw new Error(
        'dagsterExternalSecrets: the Celery launcher needs inputs.valkeyPassword (the generated broker password)',
      );
    const ref = { key: pw.name, property: pw.property };
    out.push(
      externalSecret({
        name: VALKEY_AUTH_SECRET,
        namespace: DAGSTER_NAMESPACE,
        store,
        labels: LABELS,
        data: { [VALKEY_USER]: ref },
      }),
      withTemplateData(
        externalSecret({
          name: CELERY_CONFIG_SECRET,
          namespace: DAGSTER_NAMESPACE,
          store,
          labels: LABELS,
          data: { password: ref },
        }),
        {
          DAGSTER_CELERY_BROKER_URL: celeryUrlTemplate(CELERY_DB.broker),
          DAGSTER_CELERY_BACKEND_URL: celeryUrlTemplate(CELERY_DB.backend),
        },
      ),
    );
  }
  return out;
}

/**
 * Adds `spec.target.template.data` (Go templates over the fetched keys) to an ExternalSecret
 * from {@link externalSecret}: the written Secret then holds only the templated keys
 * (`mergePolicy: Replace`, the default).
 */
function withTemplateData(es: Obj, data: Record<string, string>): Obj {
  const spec = es.spec as { target: { template?: Obj } } & Obj;
  return {
    ...es,
    spec: {
      ...spec,
      target: {
        ...spec.target,
        template: { ...(spec.target.template ?? {}), engineVersion: 'v2', data },
      },
    },
  };
}
