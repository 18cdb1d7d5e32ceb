/**
 * Shared fixtures of the Dagster tests: the example's `clusters.main-01.dagster` (edited and
 * parsed with the Dagster schema alone), the values inputs derived from the platform stubs,
 * the OIDC / Cognito authentication blocks, and the public subnets of the Dagster load balancers.
 */
import type { DagsterValuesInputs } from '../../constructs/dagster/values';
import { dagsterSchema, type DagsterConfig } from '../../envs/schema/dagster';
import { STUB_CLUSTER, STUB_SERVICES } from './platform-fixture';
import { rawExample } from './env';

/** The example's `clusters.main-01.dagster`, edited by `edit`, parsed with the Dagster schema. */
export function dagster(edit?: (d: any) => void): DagsterConfig {
  const d = rawExample().clusters['main-01'].dagster;
  edit?.(d);
  return dagsterSchema.parse(d);
}

/** Public subnets the Dagster ALBs live in (never the VPC CIDR). */
export const LB_CIDRS = ['10.0.0.0/24', '10.0.1.0/24'];

/** What `DagsterAddOn.valuesInputs` derives from the stub cluster outputs and services. */
export const INPUTS: DagsterValuesInputs = {
  region: 'eu-central-1',
  host: `dagster.${STUB_CLUSTER.zone.name}`,
  readOnlyHost: `dagster-readonly.${STUB_CLUSTER.zone.name}`,
  certificateArn: STUB_CLUSTER.certificateArn,
  ingressClassName: STUB_SERVICES.ingressClassName,
  computeLogBucket: STUB_CLUSTER.buckets.dagsterComputeLogs,
  postgres: {
    host: STUB_SERVICES.postgres!.host,
    port: STUB_SERVICES.postgres!.port,
    database: STUB_SERVICES.postgres!.database,
    username: STUB_SERVICES.postgres!.username,
  },
  batchNodePool: STUB_SERVICES.batchNodePool,
};

/** An OIDC `ingress.auth` block (client ID and secret by Secrets Manager reference). */
export const OIDC_AUTH = {
  type: 'oidc',
  issuer: 'https://login.acme.example',
  authorizationEndpoint: 'https://login.acme.example/authorize',
  tokenEndpoint: 'https://login.acme.example/token',
  userInfoEndpoint: 'https://login.acme.example/userinfo',
  clientSecretRef: { name: 'acme/main-01/dagster-oidc' },
} as const;

/** A Cognito `ingress.auth` block. */
export const COGNITO_AUTH = {
  type: 'cognito',
  userPoolArn: 'arn:aws:cognito-idp:eu-central-1:123456789012:userpool/eu-central-1_AbC123',
  userPoolClientId: 'abc123',
  userPoolDomain: 'acme-auth',
} as const;

/** A fresh copy of an auth block (the schema must not see a shared object mutated). */
export const auth = (a: typeof OIDC_AUTH | typeof COGNITO_AUTH): Record<string, unknown> =>
  structuredClone(a) as Record<string, unknown>;
