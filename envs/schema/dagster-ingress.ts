/**
 * `clusters.<name>.dagster.ingress`: how the Dagster UI is exposed (an ALB through the AWS Load
 * Balancer Controller), under which host names, and with which authentication (OIDC or
 * Cognito on the load balancer). Part of the Dagster schema (`dagster.ts`).
 */
import { z } from 'zod';

/** A Secrets Manager reference (never a value). */
const secretRef = z
  .object({
    name: z
      .string()
      .regex(/^[\w/+=.@-]{1,512}$/, 'must be a Secrets Manager secret name')
      .describe(
        "Secrets Manager secret name, under the cluster's External Secrets prefix (`<prefix>/<cluster>/…`) so the store may read it.",
      ),
    clientIdProperty: z
      .string()
      .min(1)
      .default('clientId')
      .describe('JSON property holding the client ID (default `clientId`).'),
    clientSecretProperty: z
      .string()
      .min(1)
      .default('clientSecret')
      .describe('JSON property holding the client secret (default `clientSecret`).'),
  })
  .strict();

const noValue = (what: string) =>
  z.unknown().refine((v) => v === undefined, {
    message: `${what} never goes in config; use clientSecretRef (a Secrets Manager reference)`,
  });

const https = z.url({ protocol: /^https$/, message: 'must be an https:// URL' });

/**
 * ALB authentication with an OIDC provider.
 * https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#authentication
 */
const oidcAuth = z
  .object({
    type: z.literal('oidc'),
    issuer: https,
    authorizationEndpoint: https,
    tokenEndpoint: https,
    userInfoEndpoint: https,
    scope: z
      .string()
      .default('openid email profile')
      .describe('Requested scopes (default `openid email profile`).'),
    clientSecretRef: secretRef.describe(
      'The client ID and secret, read from Secrets Manager by External Secrets.',
    ),
    clientSecret: noValue('clientSecret').optional(),
    clientId: noValue('clientId').optional(),
  })
  .strict();

/** ALB authentication with a Cognito user pool (the ALB reads the client secret from Cognito). */
const cognitoAuth = z
  .object({
    type: z.literal('cognito'),
    userPoolArn: z
      .string()
      .regex(
        /^arn:aws:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[\w-]+_[A-Za-z0-9]+$/,
        'must be a Cognito user pool ARN',
      ),
    userPoolClientId: z.string().regex(/^[a-z0-9]{1,128}$/, 'must be a Cognito app client ID'),
    userPoolDomain: z
      .string()
      .regex(/^[a-z0-9](-?[a-z0-9])*$/, 'must be a Cognito domain prefix')
      .describe('User pool domain prefix (e.g. `acme-auth`), not the full host name.'),
    scope: z.string().default('openid email'),
    clientSecret: noValue('clientSecret').optional(),
  })
  .strict();

/** A DNS label path under the cluster zone (`dagster`, `ui.dagster`). */
const subdomain = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/,
    'must be a host name relative to the cluster zone (e.g. dagster); the zone is appended',
  );

/** `clusters.<name>.dagster.ingress`: the UI's load balancer, host names and authentication. */
export const ingress = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        'Expose the UI through an ALB (default true). Without it, use `kubectl port-forward`.',
      ),
    subdomain: subdomain
      .default('dagster')
      .describe('Host under the cluster zone: `<subdomain>.<cluster zone>` (default `dagster`).'),
    readOnlySubdomain: subdomain
      .default('dagster-readonly')
      .describe('Host of the read-only webserver, when enabled (default `dagster-readonly`).'),
    scheme: z
      .enum(['internal', 'internet-facing'])
      .default('internal')
      .describe('`internal` (default) or `internet-facing`; the latter requires `auth`.'),
    inboundCidrs: z
      .array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'must be an IPv4 CIDR'))
      .optional()
      .describe(
        'Client CIDRs allowed at the load balancer (default: the ALB default, all of its scheme).',
      ),
    auth: z
      .discriminatedUnion('type', [oidcAuth, cognitoAuth])
      .optional()
      .describe(
        'Authentication on the load balancer: OIDC or Cognito. Required when internet-facing.',
      ),
    readOnlyAuth: z
      .discriminatedUnion('type', [oidcAuth, cognitoAuth])
      .optional()
      .describe(
        'Authentication of the read-only host (`webserver.readOnly`), on its own load balancer. Default: `auth`. Give it its own OIDC client (or Cognito app client) so people allowed to read are not thereby allowed on the read-write host: the ALB authenticates, the IdP decides who may use each client.',
      ),
  })
  .strict()
  .prefault({});
