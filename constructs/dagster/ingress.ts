/**
 * The Dagster UI's load balancers: an `IngressClass` of its own (`dagster-alb`) whose
 * `IngressClassParams` place every Dagster ALB in the cluster's **public** subnets, whatever its
 * scheme, and one `Ingress` per host — read-write and (with `webserver.readOnly`) read-only —
 * so each host is its own ALB with its own authentication.
 *
 * Why the public subnets for an internal ALB too: the webserver's NetworkPolicy admits traffic
 * only from the load balancer's subnets; pods and nodes live in the private subnets, so an ALB
 * there would share its source range with every pod of the VPC and the policy could not tell
 * the ALB (which authenticates) from a pod (which would bypass it). An internal ALB in public
 * subnets still gets private addresses only. `IngressClassParams.spec.subnets.tags`: "subnets
 * in the load balancer's VPC where each tag specified in the map key contains one of the values
 * in the corresponding value list" (`apis/elbv2/v1beta1/ingressclassparams_types.go` at
 * kubernetes-sigs/aws-load-balancer-controller v3.5.0); the public subnets carry
 * `kubernetes.io/role/elb=1` and `kubernetes.io/cluster/<cluster>=shared` (constructs/network/vpc.ts).
 *
 * Annotations: https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/
 */
import type { DagsterConfig } from '../../envs/schema/dagster';
import { DAGSTER_NAMESPACE, OIDC_SECRET, WEBSERVER_PORT, webserverService } from './names';

type Obj = Record<string, unknown>;
type Auth = NonNullable<DagsterConfig['ingress']['auth']>;

/** What the Ingresses need besides the config (`DagsterValuesInputs` fields of the same names). */
export interface DagsterIngressInputs {
  /** ACM certificate ARN for the HTTPS listener. */
  readonly certificateArn: string;
  /** Host of the UI (`dagster.<cluster zone>`). */
  readonly host: string;
  /** Host of the read-only UI. */
  readonly readOnlyHost: string;
}

/** The `IngressClass` (and `IngressClassParams`) of the Dagster UI. */
export const DAGSTER_INGRESS_CLASS = 'dagster-alb';
/** The AWS Load Balancer Controller's IngressClass controller name. */
export const ALB_CONTROLLER = 'ingress.k8s.aws/alb';
/** Tag of the subnets the load balancer controller places internet-facing load balancers in. */
export const PUBLIC_SUBNET_ROLE_TAG = 'kubernetes.io/role/elb';

/** ALB annotations of one UI host. */
export function ingressAnnotations(
  config: DagsterConfig,
  inputs: Pick<DagsterIngressInputs, 'certificateArn'>,
  auth: Auth | undefined,
  oidcSecret: string = OIDC_SECRET,
): Record<string, string> {
  const ing = config.ingress;
  const a: Record<string, string> = {
    'alb.ingress.kubernetes.io/target-type': 'ip',
    'alb.ingress.kubernetes.io/certificate-arn': inputs.certificateArn,
    'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
    'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    'alb.ingress.kubernetes.io/healthcheck-path': '/server_info',
    'alb.ingress.kubernetes.io/load-balancer-attributes':
      'routing.http.drop_invalid_header_fields.enabled=true',
  };
  if (ing.inboundCidrs) a['alb.ingress.kubernetes.io/inbound-cidrs'] = ing.inboundCidrs.join(',');
  if (auth?.type === 'oidc') {
    a['alb.ingress.kubernetes.io/auth-type'] = 'oidc';
    a['alb.ingress.kubernetes.io/auth-idp-oidc'] = JSON.stringify({
      issuer: auth.issuer,
      authorizationEndpoint: auth.authorizationEndpoint,
      tokenEndpoint: auth.tokenEndpoint,
      userInfoEndpoint: auth.userInfoEndpoint,
      secretName: oidcSecret,
    });
    a['alb.ingress.kubernetes.io/auth-scope'] = auth.scope;
  } else if (auth?.type === 'cognito') {
    a['alb.ingress.kubernetes.io/auth-type'] = 'cognito';
    a['alb.ingress.kubernetes.io/auth-idp-cognito'] = JSON.stringify({
      userPoolARN: auth.userPoolArn,
      userPoolClientID: auth.userPoolClientId,
      userPoolDomain: auth.userPoolDomain,
    });
    a['alb.ingress.kubernetes.io/auth-scope'] = auth.scope;
  }
  if (auth) {
    a['alb.ingress.kubernetes.io/auth-on-unauthenticated-request'] = 'authenticate';
    a['alb.ingress.kubernetes.io/auth-session-timeout'] = '28800';
  }
  return a;
}

/** Kubernetes Secret of the read-only host's OIDC client (when it has its own). */
export const READ_ONLY_OIDC_SECRET = `${OIDC_SECRET}-read-only`;

/** The read-only host's authentication: `ingress.readOnlyAuth`, else `ingress.auth`. */
export function readOnlyAuth(config: DagsterConfig): Auth | undefined {
  return config.ingress.readOnlyAuth ?? config.ingress.auth;
}

/**
 * The OIDC client Secrets the load balancer controller reads: {@link OIDC_SECRET} for
 * `ingress.auth`, {@link READ_ONLY_OIDC_SECRET} for a read-only host with its own OIDC client.
 */
export function oidcSecrets(
  config: DagsterConfig,
): { name: string; auth: Auth & { type: 'oidc' } }[] {
  if (!config.ingress.enabled) return [];
  const out: { name: string; auth: Auth & { type: 'oidc' } }[] = [];
  const main = config.ingress.auth;
  if (main?.type === 'oidc') out.push({ name: OIDC_SECRET, auth: main });
  const ro = config.ingress.readOnlyAuth;
  if (config.webserver.readOnly && ro?.type === 'oidc')
    out.push({ name: READ_ONLY_OIDC_SECRET, auth: ro });
  return out;
}

/**
 * The IngressClass, its IngressClassParams (scheme and public subnets of `clusterName`) and the
 * Ingress of each host. Empty when `ingress.enabled` is false.
 * @param clusterName EKS cluster name (the `kubernetes.io/cluster/<name>` subnet tag; may be a token)
 */
export function dagsterIngressObjects(
  config: DagsterConfig,
  inputs: DagsterIngressInputs,
  clusterName: string,
): Obj[] {
  if (!config.ingress.enabled) return [];
  const labels = { 'app.kubernetes.io/part-of': 'dagster' };
  const ingress = (
    name: string,
    host: string,
    service: string,
    auth: Auth | undefined,
    oidcSecret = OIDC_SECRET,
  ): Obj => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name,
      namespace: DAGSTER_NAMESPACE,
      labels,
      annotations: ingressAnnotations(config, inputs, auth, oidcSecret),
    },
    spec: {
      ingressClassName: DAGSTER_INGRESS_CLASS,
      rules: [
        {
          host,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: service, port: { number: WEBSERVER_PORT } } },
              },
            ],
          },
        },
      ],
    },
  });
  return [
    {
      apiVersion: 'elbv2.k8s.aws/v1beta1',
      kind: 'IngressClassParams',
      metadata: { name: DAGSTER_INGRESS_CLASS, labels },
      spec: {
        scheme: config.ingress.scheme,
        namespaceSelector: {
          matchLabels: { 'kubernetes.io/metadata.name': DAGSTER_NAMESPACE },
        },
        subnets: {
          tags: {
            [PUBLIC_SUBNET_ROLE_TAG]: ['1'],
            [`kubernetes.io/cluster/${clusterName}`]: ['shared', 'owned'],
          },
        },
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: DAGSTER_INGRESS_CLASS, labels },
      spec: {
        controller: ALB_CONTROLLER,
        parameters: {
          apiGroup: 'elbv2.k8s.aws',
          kind: 'IngressClassParams',
          name: DAGSTER_INGRESS_CLASS,
        },
      },
    },
    ingress('dagster', inputs.host, webserverService(), config.ingress.auth),
    ...(config.webserver.readOnly
      ? [
          ingress(
            'dagster-read-only',
            inputs.readOnlyHost,
            webserverService(true),
            readOnlyAuth(config),
            config.ingress.readOnlyAuth ? READ_ONLY_OIDC_SECRET : OIDC_SECRET,
          ),
        ]
      : []),
  ];
}
