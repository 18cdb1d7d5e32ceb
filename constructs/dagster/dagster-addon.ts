/**
 * The Dagster add-on of a platform stack: the `dagster` chart in its own namespace, with
 * CloudNativePG as its database, compute logs in S3 through Pod Identity, runs as Jobs on the
 * Karpenter batch pool, an ALB ingress (internal by default; public only with OIDC/Cognito),
 * NetworkPolicies, least-privilege RBAC, alerts and a Grafana dashboard.
 *
 * Build order (Terraform `depends_on`), so a fresh cluster applies in one run:
 * namespace (and, Celery only, the generated Valkey password in Secrets Manager) →
 * prerequisites (`dagster-prereqs`: service accounts, Role, NetworkPolicies, ExternalSecrets;
 * after the External Secrets add-on and the Postgres add-on, whose password they read) →
 * Valkey with ACL auth and Flower (`dagster-flower`; Celery only) → the `dagster` release
 * (after the platform add-ons named in `dependsOn`) → `dagster-monitoring` (PrometheusRule,
 * after the monitoring add-on) and the dashboard ConfigMap.
 */
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { Release as HelmRelease } from '@cdktf/provider-helm/lib/release';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import type { ClusterAddOn, PlatformContext } from '../platform/addon';
import { ManifestsRelease } from '../platform/manifests';
import { loadBalancerSecretAccess } from '../platform/addons/aws-load-balancer-controller';
import { GeneratedPasswordSecret, PASSWORD_PROPERTY } from '../platform/generated-secret';
import { toYaml } from '../platform/values';
import type { DagsterConfig } from '../../envs/schema/dagster';
import { DAGSTER_CHARTS } from '../../envs/versions';
import { dagsterValues, type DagsterValuesInputs } from './values';
import { dagsterNetworkPolicies } from './network-policies';
import { dagsterLimitRange, dagsterRbac } from './rbac';
import { runEnvConfigMaps } from './env';
import { dagsterIngressObjects, oidcSecrets } from './ingress';
import { dagsterExternalSecrets, type SecretPropertyRef } from './external-secrets';
import { dagsterFlower } from './flower';
import { dagsterPrometheusRule } from './alerts';
import { dagsterDashboard } from './dashboard';
import {
  DAGSTER_NAMESPACE,
  DAGSTER_RELEASE,
  DAGSTER_SERVICE_ACCOUNT,
  VALKEY_AUTH_SECRET,
  VALKEY_PASSWORD_SECRET_NAME,
  VALKEY_RELEASE,
  VALKEY_USER,
} from './names';

/** Options of {@link DagsterAddOn} besides the config. */
export interface DagsterAddOnOptions {
  /**
   * CIDRs the ALB reaches the webserver pods from (target type `ip`): the cluster's public
   * subnets, where `ingress.ts` places every Dagster ALB (literals from the address plan). Used by
   * the load balancer → webserver NetworkPolicy; never the VPC CIDR (every pod and node is in it).
   */
  readonly loadBalancerSubnetCidrs: readonly string[];
  /**
   * Names of platform add-ons the Dagster release waits for. Default
   * {@link DEFAULT_DAGSTER_DEPENDENCIES}: `external-secrets` (the password Secret), `postgres`
   * (the CloudNativePG `Cluster`), `aws-load-balancer-controller` (its Ingress webhook) and
   * `karpenter` (the batch pool).
   */
  readonly dependsOn?: readonly string[];
  /** Add-on that installs the External Secrets CRDs (default `external-secrets`). */
  readonly externalSecretsAddOn?: string;
  /** Add-on that installs the PrometheusRule CRD (default `kube-prometheus-stack`); used only when `services.monitoring` is set. */
  readonly monitoringAddOn?: string;
  /**
   * Create the EKS Pod Identity association of the `dagster` service account with
   * `cluster.addonRoleArns['dagster']` here. Default false: the cluster stack already
   * associates `dagster/dagster` with that role (`constructs/eks/addon-identities.ts`), and
   * EKS allows one association per service account.
   */
  readonly podIdentityAssociation?: boolean;
}

/** Default {@link DagsterAddOnOptions.dependsOn}. */
export const DEFAULT_DAGSTER_DEPENDENCIES = [
  'external-secrets',
  'postgres',
  'aws-load-balancer-controller',
  'karpenter',
] as const;

/**
 * Dagster as a {@link ClusterAddOn}.
 *
 * @example
 * ```ts
 * if (cluster.dagster.enabled)
 *   addOns.push(new DagsterAddOn(cluster.dagster, { loadBalancerSubnetCidrs: ['10.0.0.0/24'] }));
 * ```
 */
export class DagsterAddOn implements ClusterAddOn {
  readonly name = 'dagster';
  readonly dependsOn: readonly string[];
  /** Namespace of the release and the runs. */
  readonly namespace = DAGSTER_NAMESPACE;

  /**
   * @param config the validated `clusters.<name>.dagster`
   * @throws Error if `config.enabled` is false (do not add the add-on then)
   */
  constructor(
    readonly config: DagsterConfig,
    readonly options: DagsterAddOnOptions,
  ) {
    if (!config.enabled)
      throw new Error('DagsterAddOn: dagster.enabled is false; do not add the add-on');
    this.dependsOn = options.dependsOn ?? DEFAULT_DAGSTER_DEPENDENCIES;
  }

  /** The chart-independent facts the values need, from the platform context. */
  valuesInputs(ctx: PlatformContext): DagsterValuesInputs {
    const pg = ctx.services.postgres;
    if (!pg)
      throw new Error(
        'DagsterAddOn: the platform provides no Postgres (services.postgres); enable CloudNativePG',
      );
    const zone = ctx.cluster.zone.name;
    return {
      region: ctx.region,
      host: `${this.config.ingress.subdomain}.${zone}`,
      readOnlyHost: `${this.config.ingress.readOnlySubdomain}.${zone}`,
      certificateArn: ctx.cluster.certificateArn,
      ingressClassName: ctx.services.ingressClassName,
      computeLogBucket: ctx.cluster.buckets.dagsterComputeLogs,
      postgres: { host: pg.host, port: pg.port, database: pg.database, username: pg.username },
      batchNodePool: ctx.services.batchNodePool,
    };
  }

  /** The `dagster` chart values for `ctx`. */
  values(ctx: PlatformContext): Record<string, unknown> {
    return dagsterValues(this.config, this.valuesInputs(ctx));
  }

  /**
   * The objects of the `dagster-prereqs` release (service accounts, RBAC, policies, ExternalSecrets).
   * @param valkeyPassword the generated Valkey password's secret (Celery launcher only)
   * @throws Error if the platform has no Postgres, or Celery is chosen without `valkeyPassword`
   */
  prerequisites(
    ctx: PlatformContext,
    valkeyPassword?: SecretPropertyRef,
  ): Record<string, unknown>[] {
    const pg = ctx.services.postgres;
    if (!pg)
      throw new Error(
        'DagsterAddOn: the platform provides no Postgres (services.postgres); enable CloudNativePG',
      );
    return [
      ...dagsterRbac(),
      dagsterLimitRange(this.config.runLauncher.resources),
      ...runEnvConfigMaps(this.config),
      ...dagsterNetworkPolicies(this.config, {
        loadBalancerSourceCidrs: this.options.loadBalancerSubnetCidrs,
        postgres: { namespace: pg.namespace, podLabels: pg.podLabels, port: pg.port },
      }),
      ...dagsterExternalSecrets(this.config, {
        secretStoreName: ctx.services.secretStoreName,
        postgresPassword: pg.passwordSecret,
        valkeyPassword,
      }),
      // The load balancer controller reads the OIDC client secret for ALB authentication; it
      // gets a Role for exactly that Secret (its chart grants no Secret access by default).
      ...(oidcSecrets(this.config).length > 0
        ? loadBalancerSecretAccess(
            DAGSTER_NAMESPACE,
            oidcSecrets(this.config).map((s) => s.name),
          )
        : []),
    ];
  }

  /**
   * Creates the namespace, the prerequisites release, (Celery) the broker password, Valkey and
   * Flower, the `dagster` release and (with monitoring) the rule and dashboard, under a child
   * construct `dagster` of `scope`, in the order of the module comment.
   * @returns the `dagster` Helm release (what dependents wait for)
   * @throws Error if the platform provides no Postgres, an add-on named in `dependsOn` is not
   *   enabled, or `podIdentityAssociation` is set and `cluster.addonRoleArns['dagster']` is missing
   */
  build(scope: Construct, ctx: PlatformContext): ITerraformDependable {
    const own = new Construct(scope, this.name);
    const namespace = new NamespaceV1(own, 'namespace', {
      metadata: {
        name: DAGSTER_NAMESPACE,
        labels: {
          'app.kubernetes.io/managed-by': 'terraform',
          'pod-security.kubernetes.io/enforce': 'baseline',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
        },
      },
    });

    const celery = this.config.runLauncher.type === 'celery';
    // Celery broker password: generated into Secrets Manager (never in config, plan or state),
    // delivered to Valkey and to the celery config Secret by External Secrets.
    const valkeyPassword = celery
      ? new GeneratedPasswordSecret(own, 'valkey-password', {
          secretName: `${ctx.cluster.secretsPrefix}${VALKEY_PASSWORD_SECRET_NAME}`,
          description: `Celery broker (Valkey) password of Dagster on cluster ${ctx.clusterKey}`,
          username: VALKEY_USER,
        })
      : undefined;

    const prereqs = new ManifestsRelease(own, 'prereqs', {
      name: 'dagster-prereqs',
      namespace: DAGSTER_NAMESPACE,
      manifests: this.prerequisites(
        ctx,
        valkeyPassword && { name: valkeyPassword.secretName, property: PASSWORD_PROPERTY },
      ),
      dependsOn: [
        namespace,
        ctx.dependency(this.options.externalSecretsAddOn ?? 'external-secrets'),
        // The ExternalSecrets read these passwords: create them first, so the first sync
        // succeeds instead of backing off.
        ...(this.dependsOn.includes('postgres') ? [ctx.dependency('postgres')] : []),
        ...(valkeyPassword ? [valkeyPassword.version] : []),
      ],
    });

    const deps: ITerraformDependable[] = [namespace, prereqs.release];
    if (this.options.podIdentityAssociation ?? false) {
      const roleArn = ctx.cluster.addonRoleArns['dagster'];
      if (!roleArn)
        throw new Error(
          "DagsterAddOn: cluster.addonRoleArns['dagster'] (compute-log role) is missing",
        );
      deps.push(
        new EksPodIdentityAssociation(own, 'pod-identity', {
          clusterName: ctx.cluster.clusterName,
          namespace: DAGSTER_NAMESPACE,
          serviceAccount: DAGSTER_SERVICE_ACCOUNT,
          roleArn,
        }),
      );
    }

    if (celery) {
      const valkey = new HelmRelease(own, 'valkey', {
        name: VALKEY_RELEASE,
        chart: DAGSTER_CHARTS.valkey.chart,
        repository: DAGSTER_CHARTS.valkey.repository,
        version: DAGSTER_CHARTS.valkey.version,
        namespace: DAGSTER_NAMESPACE,
        createNamespace: false,
        values: [toYaml(valkeyValues())],
        atomic: true,
        cleanupOnFail: true,
        wait: true,
        timeout: 300,
        maxHistory: 10,
        dependsOn: [prereqs.release],
      });
      deps.push(valkey);
      if (this.config.runLauncher.celery.flower) {
        new ManifestsRelease(own, 'flower', {
          name: 'dagster-flower',
          namespace: DAGSTER_NAMESPACE,
          manifests: dagsterFlower(),
          dependsOn: [valkey],
        });
      }
    }

    const release = new HelmRelease(own, 'release', {
      name: DAGSTER_RELEASE,
      chart: DAGSTER_CHARTS.dagster.chart,
      repository: DAGSTER_CHARTS.dagster.repository,
      version: DAGSTER_CHARTS.dagster.version,
      namespace: DAGSTER_NAMESPACE,
      createNamespace: false,
      values: [toYaml(this.values(ctx))],
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      timeout: 900,
      maxHistory: 10,
      dependsOn: [...deps, ...this.dependsOn.map((d) => ctx.dependency(d))],
    });

    // The UI's IngressClass and Ingresses, after the webserver Services and the load balancer
    // controller (its IngressClassParams CRD and its validating webhooks).
    const ingress = dagsterIngressObjects(
      this.config,
      this.valuesInputs(ctx),
      ctx.cluster.clusterName,
    );
    if (ingress.length > 0) {
      new ManifestsRelease(own, 'ingress', {
        name: 'dagster-ingress',
        namespace: DAGSTER_NAMESPACE,
        manifests: ingress,
        dependsOn: [release, ctx.dependency('aws-load-balancer-controller')],
      });
    }

    const monitoring = ctx.services.monitoring;
    if (monitoring) {
      new ManifestsRelease(own, 'monitoring', {
        name: 'dagster-monitoring',
        namespace: DAGSTER_NAMESPACE,
        manifests: [dagsterPrometheusRule(this.config, monitoring.ruleLabels)],
        dependsOn: [
          namespace,
          ctx.dependency(this.options.monitoringAddOn ?? 'kube-prometheus-stack'),
        ],
      });
      new ConfigMapV1(own, 'dashboard', {
        metadata: {
          name: 'dagster-dashboard',
          namespace: monitoring.namespace,
          labels: {
            [monitoring.dashboardLabel.key]: monitoring.dashboardLabel.value,
            'app.kubernetes.io/part-of': 'dagster',
          },
        },
        data: { 'dagster.json': JSON.stringify(dagsterDashboard()) },
        dependsOn: [ctx.dependency(this.options.monitoringAddOn ?? 'kube-prometheus-stack')],
      });
    }
    return release;
  }
}

/**
 * Values of the Valkey chart (Celery broker, https://github.com/valkey-io/valkey-helm,
 * `valkey/values.yaml`): standalone, no persistence (the broker holds only queued tasks;
 * Dagster's state is in Postgres), requests 100m / 128Mi, limit 256Mi. ACL authentication is
 * on: the `default` user (the chart requires it to be defined, else connections need no
 * password) has all key/channel/command permissions and its password comes from the
 * `dagster-valkey-auth` Secret (`auth.usersExistingSecret`, key = user name), written by
 * External Secrets from the generated password. Reachable only from the Dagster namespace
 * (NetworkPolicy `allow-celery-broker`).
 */
export function valkeyValues(): Record<string, unknown> {
  return {
    fullnameOverride: VALKEY_RELEASE,
    auth: {
      enabled: true,
      usersExistingSecret: VALKEY_AUTH_SECRET,
      aclUsers: { [VALKEY_USER]: { permissions: '~* &* +@all' } },
    },
    dataStorage: { enabled: false },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  };
}
