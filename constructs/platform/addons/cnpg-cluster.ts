/**
 * The CloudNativePG Postgres cluster for Dagster: the `Cluster` (postgresql.cnpg.io/v1), its
 * `ScheduledBackup`, the Secrets Manager password and the `ExternalSecret` that turns it into
 * the Kubernetes Secret CloudNativePG bootstraps the database owner from, plus (with
 * monitoring) a `PodMonitor` and a `PrometheusRule`. Everything custom is delivered as one
 * {@link ManifestsRelease} after the operator, External Secrets and (optionally) monitoring.
 *
 * References (CloudNativePG 1.30):
 * - Cluster: https://cloudnative-pg.io/documentation/current/cloudnative-pg.v1/#postgresql-cnpg-io-v1-Cluster
 * - Backups to S3 with IAM role credentials: https://cloudnative-pg.io/documentation/current/appendixes/object_stores/#aws-s3
 * - Bootstrap secret: https://cloudnative-pg.io/documentation/current/bootstrap/#bootstrap-an-empty-cluster-initdb
 * - Monitoring: https://cloudnative-pg.io/documentation/current/monitoring/
 * - Network policies (operator → pods on 8000 and 5432, pods ↔ pods, pods → Kubernetes API):
 *   https://cloudnative-pg.io/documentation/current/networking/
 */
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ManifestsRelease } from '../manifests';
import { externalSecret } from './external-secrets';
import { GeneratedPasswordSecret, PASSWORD_PROPERTY, USERNAME_PROPERTY } from '../generated-secret';
import { POSTGRES_IMAGE } from '../../../envs/versions';
import {
  DAGSTER_QUERIES_CONFIGMAP,
  dagsterRunQueries,
  postgresPodMonitor,
  postgresRules,
} from './cnpg-monitoring';

export { POSTGRES_NAMESPACE, POSTGRES_CLUSTER_NAME } from './cnpg-monitoring';
import { POSTGRES_NAMESPACE, POSTGRES_CLUSTER_NAME } from './cnpg-monitoring';
/** Kubernetes Secret (basic-auth) with the database owner's credentials. */
export const POSTGRES_APP_SECRET = `${POSTGRES_CLUSTER_NAME}-app`;
/** Namespace of the CloudNativePG operator (add-on `cloudnative-pg`). */
export const CNPG_OPERATOR_NAMESPACE = 'cnpg-system';
/** Label of the operator's pods (`app.kubernetes.io/name` of the chart `cloudnative-pg`). */
export const CNPG_OPERATOR_POD_LABELS = { 'app.kubernetes.io/name': 'cloudnative-pg' } as const;
/** PostgreSQL's port on the instance pods. */
export const POSTGRES_PORT = 5432;
/** The instance manager's status port, which the operator polls. */
export const CNPG_STATUS_PORT = 8000;
/** The instances' Prometheus exporter port (`metrics`). */
export const CNPG_METRICS_PORT = 9187;
/** Namespaces whose pods may connect to Postgres by default. */
export const DEFAULT_POSTGRES_CLIENT_NAMESPACES: readonly string[] = ['dagster'];
/** The EKS Pod Identity agent (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-how-it-works.html). */
const POD_IDENTITY_AGENT_CIDR = '169.254.170.23/32';
/** EC2 instance metadata: never reachable from the database pods. */
const IMDS_CIDR = '169.254.169.254/32';

/** Props of {@link CnpgPostgres}. */
export interface CnpgPostgresProps {
  /** Instances (primary + replicas). */
  readonly instances: number;
  /** Data volume per instance, GiB. */
  readonly storageGiB: number;
  /** StorageClass of the volumes (the default `gp3`). */
  readonly storageClass: string;
  /** Backup and WAL retention, days. */
  readonly backupRetentionDays: number;
  /** Base backup schedule, six-field cron (seconds first). */
  readonly backupSchedule: string;
  /** S3 bucket name for backups (cluster stack output). */
  readonly backupBucket: string;
  /** Availability zones the cluster spans: instances ≤ zones → one per zone required, else preferred. */
  readonly availabilityZoneCount: number;
  /** Database name. Default `dagster`. */
  readonly database?: string;
  /** Database owner. Default `dagster`. */
  readonly owner?: string;
  /** Full Secrets Manager name of the generated password. */
  readonly passwordSecretName: string;
  /** External Secrets store to read it with. */
  readonly secretStoreName: string;
  /**
   * Monitoring: labels for the `PrometheusRule` and the namespace Prometheus runs in (allowed
   * to scrape port 9187); omit to create no PodMonitor, rules or scrape policy.
   */
  readonly monitoring?: {
    readonly ruleLabels: Record<string, string>;
    readonly namespace: string;
  };
  /**
   * Namespaces whose pods may connect to Postgres (port 5432); every other source is denied
   * by the namespace's NetworkPolicies. Default {@link DEFAULT_POSTGRES_CLIENT_NAMESPACES}
   * (`dagster`).
   */
  readonly clientNamespaces?: readonly string[];
  /** Operator release, External Secrets stores, storage class, monitoring release. */
  readonly dependsOn: ITerraformDependable[];
}

/**
 * The `Cluster` object (postgresql.cnpg.io/v1): pinned image, no superuser access, zone
 * anti-affinity, owner bootstrapped from {@link POSTGRES_APP_SECRET}, barman-cloud backups to
 * `s3://<backupBucket>/dagster-pg` with the instances' IAM role, gzip, encrypted by the bucket's
 * default SSE-KMS key; instances on on-demand capacity only (a spot reclaim of the primary's node
 * is a failover).
 */
export function postgresCluster(props: CnpgPostgresProps): Record<string, unknown> {
  const database = props.database ?? 'dagster';
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: POSTGRES_CLUSTER_NAME, namespace: POSTGRES_NAMESPACE },
    spec: {
      instances: props.instances,
      imageName: POSTGRES_IMAGE,
      primaryUpdateStrategy: 'unsupervised',
      enableSuperuserAccess: false,
      storage: { size: `${props.storageGiB}Gi`, storageClass: props.storageClass },
      affinity: {
        enablePodAntiAffinity: true,
        topologyKey: 'topology.kubernetes.io/zone',
        podAntiAffinityType:
          props.instances <= props.availabilityZoneCount ? 'required' : 'preferred',
        // Karpenter launches on-demand nodes for the instances (the general pool allows both).
        nodeSelector: { 'karpenter.sh/capacity-type': 'on-demand' },
      },
      bootstrap: {
        initdb: {
          database,
          owner: props.owner ?? 'dagster',
          secret: { name: POSTGRES_APP_SECRET },
        },
      },
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '1Gi' } },
      ...(props.monitoring
        ? {
            monitoring: {
              customQueriesConfigMap: [
                { name: DAGSTER_QUERIES_CONFIGMAP.name, key: DAGSTER_QUERIES_CONFIGMAP.key },
              ],
            },
          }
        : {}),
      backup: {
        retentionPolicy: `${props.backupRetentionDays}d`,
        barmanObjectStore: {
          destinationPath: `s3://${props.backupBucket}/${POSTGRES_CLUSTER_NAME}`,
          // The instance pods' service account has a Pod Identity role (cluster stack).
          s3Credentials: { inheritFromIAMRole: true },
          // No `encryption`: the CRD's "empty string (use the bucket policy, default)" — the
          // bucket's default SSE-KMS with its customer-managed key. `AES256` would force SSE-S3
          // and bypass that key; `aws:kms` names no key (config/crd/bases/postgresql.cnpg.io_clusters.yaml
          // at v1.30.0) and would use the AWS-managed `aws/s3` key.
          wal: { compression: 'gzip' },
          data: { compression: 'gzip' },
        },
      },
    },
  };
}

/** The `ScheduledBackup` object (first backup immediately). */
export function postgresScheduledBackup(schedule: string): Record<string, unknown> {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'ScheduledBackup',
    metadata: { name: `${POSTGRES_CLUSTER_NAME}-daily`, namespace: POSTGRES_NAMESPACE },
    spec: {
      schedule,
      immediate: true,
      backupOwnerReference: 'self',
      method: 'barmanObjectStore',
      cluster: { name: POSTGRES_CLUSTER_NAME },
    },
  };
}

/** What {@link postgresNetworkPolicies} needs. */
export interface PostgresNetworkPolicyInputs {
  /** Namespaces whose pods may connect on 5432 (e.g. `dagster`). */
  readonly clientNamespaces: readonly string[];
  /** Namespace of Prometheus, allowed to scrape 9187; omit without monitoring. */
  readonly monitoringNamespace?: string;
}

const namespaceSelector = (name: string) => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
});
const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: 'TCP', port }));

/**
 * NetworkPolicies (networking.k8s.io/v1) of the `postgres` namespace: deny by default, then
 * only what CloudNativePG and its clients need (CloudNativePG networking guide):
 * - `default-deny`: no ingress or egress for any pod of the namespace;
 * - `allow-dns-egress`: to kube-dns (UDP and TCP 53);
 * - `allow-https-egress`: TCP 443 anywhere except the instance metadata service (the instance
 *   manager talks to the Kubernetes API; barman-cloud writes to S3; STS), and TCP 80 to the
 *   Pod Identity agent (backup credentials);
 * - `allow-operator`: the operator's pods (namespace `cnpg-system`) to the cluster's pods on
 *   8000 (status) and 5432;
 * - `allow-replication`: the cluster's pods (instances and their jobs) to each other on 5432
 *   and 8000, both directions;
 * - `allow-clients`: pods of each client namespace to the cluster's pods on 5432;
 * - `allow-metrics-scrape` (with monitoring): the monitoring namespace to 9187.
 *
 * Enforced on EKS by the VPC CNI network policy agent (`enableNetworkPolicy` of the vpc-cni
 * add-on). https://kubernetes.io/docs/concepts/services-networking/network-policies/
 *
 * @throws Error if `clientNamespaces` is empty (nothing could use the database)
 */
export function postgresNetworkPolicies(
  inputs: PostgresNetworkPolicyInputs,
): Record<string, unknown>[] {
  if (inputs.clientNamespaces.length === 0)
    throw new Error('postgresNetworkPolicies: clientNamespaces is empty');
  const policy = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: POSTGRES_NAMESPACE },
    spec,
  });
  const clusterPods = { matchLabels: { 'cnpg.io/cluster': POSTGRES_CLUSTER_NAME } };
  return [
    policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy('allow-dns-egress', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              ...namespaceSelector('kube-system'),
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
    policy('allow-https-egress', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [IMDS_CIDR] } }], ports: tcp(443) },
        { to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT_CIDR } }], ports: tcp(80) },
      ],
    }),
    policy('allow-operator', {
      podSelector: clusterPods,
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              ...namespaceSelector(CNPG_OPERATOR_NAMESPACE),
              podSelector: { matchLabels: { ...CNPG_OPERATOR_POD_LABELS } },
            },
          ],
          ports: tcp(CNPG_STATUS_PORT, POSTGRES_PORT),
        },
      ],
    }),
    policy('allow-replication', {
      podSelector: clusterPods,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [{ podSelector: clusterPods }], ports: tcp(POSTGRES_PORT, CNPG_STATUS_PORT) },
      ],
      egress: [{ to: [{ podSelector: clusterPods }], ports: tcp(POSTGRES_PORT, CNPG_STATUS_PORT) }],
    }),
    policy('allow-clients', {
      podSelector: clusterPods,
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: inputs.clientNamespaces.map((ns) => namespaceSelector(ns)),
          ports: tcp(POSTGRES_PORT),
        },
      ],
    }),
    ...(inputs.monitoringNamespace
      ? [
          policy('allow-metrics-scrape', {
            podSelector: clusterPods,
            policyTypes: ['Ingress'],
            ingress: [
              {
                from: [namespaceSelector(inputs.monitoringNamespace)],
                ports: tcp(CNPG_METRICS_PORT),
              },
            ],
          }),
        ]
      : []),
  ];
}

/**
 * The Postgres cluster, its password, secrets, backups and the namespace's NetworkPolicies
 * ({@link postgresNetworkPolicies}), in the namespace `postgres` (created here, Pod Security
 * `restricted`). `release` is what dependents wait for; it has `prevent_destroy`.
 * @throws Error if `instances` < 1, `availabilityZoneCount` < 1 or `clientNamespaces` is empty.
 */
export class CnpgPostgres extends Construct {
  /** The `postgres` namespace (Pod Security `restricted`). */
  readonly namespace: NamespaceV1;
  /** The generated owner password in Secrets Manager. */
  readonly password: GeneratedPasswordSecret;
  /** The manifests release (what dependents such as Dagster wait for). */
  readonly release: ManifestsRelease['release'];
  /** The objects applied: NetworkPolicies, ExternalSecret, Cluster, ScheduledBackup, monitoring. */
  readonly manifests: Record<string, unknown>[];

  constructor(scope: Construct, id: string, props: CnpgPostgresProps) {
    super(scope, id);
    if (props.instances < 1) throw new Error('CnpgPostgres: instances must be at least 1');
    if (props.availabilityZoneCount < 1)
      throw new Error('CnpgPostgres: availabilityZoneCount must be at least 1');
    this.namespace = new NamespaceV1(this, 'namespace', {
      metadata: {
        name: POSTGRES_NAMESPACE,
        labels: {
          'app.kubernetes.io/managed-by': 'terraform',
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
        },
      },
    });
    this.password = new GeneratedPasswordSecret(this, 'password', {
      secretName: props.passwordSecretName,
      description: `Password of the Postgres owner of database ${props.database ?? 'dagster'} (CloudNativePG cluster ${POSTGRES_CLUSTER_NAME})`,
      username: props.owner ?? 'dagster',
    });
    this.manifests = [
      ...postgresNetworkPolicies({
        clientNamespaces: props.clientNamespaces ?? DEFAULT_POSTGRES_CLIENT_NAMESPACES,
        monitoringNamespace: props.monitoring?.namespace,
      }),
      externalSecret({
        name: POSTGRES_APP_SECRET,
        namespace: POSTGRES_NAMESPACE,
        type: 'kubernetes.io/basic-auth',
        store: props.secretStoreName,
        data: {
          username: { key: this.password.secretName, property: USERNAME_PROPERTY },
          password: { key: this.password.secretName, property: PASSWORD_PROPERTY },
        },
      }),
      postgresCluster(props),
      postgresScheduledBackup(props.backupSchedule),
      ...(props.monitoring
        ? [
            {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: {
                name: DAGSTER_QUERIES_CONFIGMAP.name,
                namespace: POSTGRES_NAMESPACE,
                // CloudNativePG reloads labelled query ConfigMaps (`cnpg.io/reload`).
                labels: { 'cnpg.io/reload': '' },
              },
              data: {
                [DAGSTER_QUERIES_CONFIGMAP.key]: dagsterRunQueries(props.database ?? 'dagster'),
              },
            },
            postgresPodMonitor(),
            postgresRules(props.monitoring.ruleLabels),
          ]
        : []),
    ];
    this.release = new ManifestsRelease(this, 'manifests', {
      name: 'postgres-dagster',
      namespace: POSTGRES_NAMESPACE,
      manifests: this.manifests,
      dependsOn: [...props.dependsOn, this.namespace, this.password.version],
      stateful: true,
    }).release;
  }
}
