/**
 * NetworkPolicies of the Dagster namespace, as plain Kubernetes objects
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/): default deny
 * for ingress and egress, then only the flows Dagster needs. Enforced on EKS by the VPC CNI
 * network policy agent (`enableNetworkPolicy` of the vpc-cni add-on).
 */
import type { DagsterConfig } from '../../envs/schema/dagster';
import {
  COMPONENT,
  DAGSTER_NAMESPACE,
  RUN_COMPONENTS,
  VALKEY_PORT,
  VALKEY_RELEASE,
  WEBSERVER_PORT,
} from './names';

/** What the policies need besides the config. */
export interface DagsterNetworkPolicyInputs {
  /**
   * CIDRs the load balancer's traffic to its targets comes from: the subnets the Dagster ALBs
   * are placed in (the cluster's public subnets, `ingress.ts`; ALB target type `ip`). Never the
   * VPC CIDR or the private subnets, where every pod and node lives. At least one.
   */
  readonly loadBalancerSourceCidrs: readonly string[];
  /** The Postgres pods: namespace, pod labels and port. */
  readonly postgres: {
    readonly namespace: string;
    readonly podLabels: Record<string, string>;
    readonly port: number;
  };
}

/** The EKS Pod Identity agent's link-local address (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-how-it-works.html). */
export const POD_IDENTITY_AGENT_CIDR = '169.254.170.23/32';
/** EC2 instance metadata service, never reachable from Dagster pods. */
export const IMDS_CIDR = '169.254.169.254/32';

type Obj = Record<string, unknown>;

const policy = (name: string, spec: Obj): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: {
    name,
    namespace: DAGSTER_NAMESPACE,
    labels: { 'app.kubernetes.io/part-of': 'dagster' },
  },
  spec,
});

/** Selects every pod of the namespace (a fresh object per use: no YAML aliases in the rendered values). */
const allPods = () => ({});
const components = (values: readonly string[]) => ({
  matchExpressions: [{ key: 'component', operator: 'In', values: [...values] }],
});
const runPods = {
  matchExpressions: [
    { key: 'app.kubernetes.io/component', operator: 'In', values: [...RUN_COMPONENTS] },
  ],
};

/**
 * The policies, in apply order (default deny first).
 * @returns NetworkPolicy objects (networking.k8s.io/v1)
 * @throws Error if `loadBalancerSourceCidrs` is empty (the UI would be unreachable)
 */
export function dagsterNetworkPolicies(
  config: DagsterConfig,
  inputs: DagsterNetworkPolicyInputs,
): Obj[] {
  // A function, so each policy gets its own list (no YAML aliases in the rendered values).
  const grpcPorts = () =>
    [...new Set(config.codeLocations.map((l) => l.port))].map((port) => ({
      protocol: 'TCP',
      port,
    }));
  if (inputs.loadBalancerSourceCidrs.length === 0)
    throw new Error('dagsterNetworkPolicies: loadBalancerSourceCidrs is empty');
  const celery = config.runLauncher.type === 'celery';
  const webservers = [COMPONENT.webserver, COMPONENT.webserverReadOnly];
  const out: Obj[] = [
    policy('default-deny', { podSelector: allPods(), policyTypes: ['Ingress', 'Egress'] }),
    policy('allow-dns-egress', {
      podSelector: allPods(),
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    }),
    policy('allow-postgres-egress', {
      podSelector: allPods(),
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': inputs.postgres.namespace },
              },
              podSelector: { matchLabels: inputs.postgres.podLabels },
            },
          ],
          ports: [{ protocol: 'TCP', port: inputs.postgres.port }],
        },
      ],
    }),
    // AWS APIs (S3 compute logs, STS) and the Kubernetes API (run Jobs) are HTTPS; the
    // instance metadata service stays blocked. Pod Identity credentials come from the node agent.
    policy('allow-aws-and-kubernetes-api-egress', {
      podSelector: allPods(),
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [IMDS_CIDR] } }],
          ports: [{ protocol: 'TCP', port: 443 }],
        },
        {
          to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT_CIDR } }],
          ports: [{ protocol: 'TCP', port: 80 }],
        },
      ],
    }),
    policy('allow-load-balancer-to-webserver', {
      podSelector: components(webservers),
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: inputs.loadBalancerSourceCidrs.map((cidr) => ({ ipBlock: { cidr } })),
          ports: [{ protocol: 'TCP', port: WEBSERVER_PORT }],
        },
      ],
    }),
    policy('allow-grpc-to-code-locations', {
      podSelector: { matchLabels: { component: COMPONENT.userCode } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { podSelector: components([...webservers, COMPONENT.daemon, COMPONENT.celery]) },
            { podSelector: runPods },
          ],
          ports: grpcPorts(),
        },
      ],
    }),
    policy('allow-grpc-egress-to-code-locations', {
      podSelector: allPods(),
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ podSelector: { matchLabels: { component: COMPONENT.userCode } } }],
          ports: grpcPorts(),
        },
      ],
    }),
  ];
  if (celery) {
    const valkeyPods = { matchLabels: { 'app.kubernetes.io/instance': VALKEY_RELEASE } };
    out.push(
      policy('allow-celery-broker', {
        podSelector: valkeyPods,
        policyTypes: ['Ingress'],
        ingress: [
          { from: [{ podSelector: allPods() }], ports: [{ protocol: 'TCP', port: VALKEY_PORT }] },
        ],
      }),
      policy('allow-celery-broker-egress', {
        podSelector: allPods(),
        policyTypes: ['Egress'],
        egress: [
          { to: [{ podSelector: valkeyPods }], ports: [{ protocol: 'TCP', port: VALKEY_PORT }] },
        ],
      }),
    );
  }
  return out;
}
