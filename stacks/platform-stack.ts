/**
 * A platform stack (one per `clusters.<key>`, in the cluster's workload account; AWS, Helm
 * and Kubernetes providers): the cluster's add-ons as Helm releases and Kubernetes
 * resources, from `clusters.<key>.platform`, plus the application add-ons (Dagster).
 *
 * Cluster access: the Helm and Kubernetes providers get the API endpoint and CA from the
 * cluster stack's outputs and authenticate with an **exec credential plugin** running
 * `aws eks get-token` ({@link clusterExec}), which the Kubernetes client calls again whenever
 * its token is about to expire, so a first install chaining Karpenter → node pools → External
 * Secrets → monitoring → CloudNativePG → Postgres → Dagster (600–900 s waits each) never
 * outlives its credential. One token from `aws_eks_cluster_auth` (data source or ephemeral) is
 * valid 15 minutes and never renewed (hashicorp/terraform-provider-aws#46633).
 *
 * The plugin is a separate process, so it gets the run's AWS credentials through the file
 * Terraform Cloud writes for dynamic credentials: `var.tfc_aws_dynamic_credentials.default.shared_config_file`
 * becomes `AWS_CONFIG_FILE` (HashiCorp, "Specifying multiple configurations",
 * https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/specifying-multiple-configurations).
 * Outside Terraform Cloud the variable keeps its empty default and the CLI's own
 * `~/.aws/config` is used. The run environment needs the AWS CLI v2 on `PATH` (an agent image
 * with it; agents ≥ 1.7.0 for dynamic credentials): see docs/platform.md.
 *
 * References:
 * - hashicorp/helm v3.1.1 `docs/index.md` (`kubernetes = { exec = { api_version, command, args, env } }`)
 * - hashicorp/kubernetes v2.38.0 `docs/index.md` (`exec { … }` block: "fetch a new token before
 *   each Terraform operation"; never mixed with `token`)
 */
import type { Construct } from 'constructs';
import { Fn, TerraformVariable, type ITerraformDependable } from 'cdktf';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { LandingZoneStack, type LandingZoneStackProps } from './base-stack';
import type { ClusterOutputs } from '../constructs/shared/contracts';
import type { ClusterAddOn, PlatformServices } from '../constructs/platform/addon';
import { planAddresses } from '../envs/address-plan';
import { addressPlanInput } from '../envs/schema/network';
import {
  installAddOns,
  platformAddOns,
  platformServices,
} from '../constructs/platform/platform-addons';
import { DagsterAddOn } from '../constructs/dagster/dagster-addon';
import { DAGSTER_NAMESPACE } from '../constructs/dagster/names';
import type { DagsterConfig } from '../envs/schema/dagster';
import type { PlatformConfig } from '../envs/schema/platform';
import { DAGSTER_IMAGES, imageArchitectures } from '../envs/versions';
import { clusterExec, TFC_AWS_DYNAMIC_CREDENTIALS } from '../constructs/platform/cluster-auth';

/** Props of {@link PlatformStack}. */
export interface PlatformStackProps extends LandingZoneStackProps {
  /** The cluster stack's outputs (endpoint, CA, Karpenter names, buckets, zone, secrets prefix). */
  readonly cluster: ClusterOutputs;
  /**
   * More application add-ons, installed after the platform add-ons and Dagster (they may
   * depend on any of them by name). Dagster itself comes from `clusters.<key>.dagster`.
   * Default: none.
   */
  readonly applicationAddOns?: readonly ClusterAddOn[];
}

/**
 * The platform stack of one cluster (`platform-<key>`): providers with an exec credential,
 * then `platformAddOns()` of `clusters.<key>.platform`, Dagster when enabled and the given
 * application add-ons, installed in dependency order.
 */
export class PlatformStack extends LandingZoneStack {
  /** Key of the cluster in `clusters` (e.g. `main-01`). */
  readonly clusterKey: string;
  /** The facts given to every add-on (`PlatformContext.services`). */
  readonly services: PlatformServices;
  /** Every add-on of this platform, platform ones first. */
  readonly addOns: readonly ClusterAddOn[];
  /** Add-on name → what its dependents wait for (its release, or its custom resources' release). */
  readonly installed: ReadonlyMap<string, ITerraformDependable>;

  /** @throws Error if the spec is not a platform stack, or on an add-on dependency problem */
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    const key = props.spec.cluster;
    if (props.spec.kind !== 'platform' || !key)
      throw new Error(`${props.spec.id}: not a platform stack`);
    this.clusterKey = key;
    const config = this.env.clusters[key].platform;
    const region = this.env.homeRegion;
    const cluster = props.cluster;

    this.awsProvider('aws');
    const credentials = new TerraformVariable(this, TFC_AWS_DYNAMIC_CREDENTIALS.name, {
      type: TFC_AWS_DYNAMIC_CREDENTIALS.type,
      default: TFC_AWS_DYNAMIC_CREDENTIALS.default,
      description: TFC_AWS_DYNAMIC_CREDENTIALS.description,
    });
    credentials.overrideLogicalId(TFC_AWS_DYNAMIC_CREDENTIALS.name);
    const exec = clusterExec({
      clusterName: cluster.clusterName,
      region,
      sharedConfigFile: `\${var.${TFC_AWS_DYNAMIC_CREDENTIALS.name}.default.shared_config_file}`,
    });
    const caCertificate = Fn.base64decode(cluster.clusterCertificateAuthority);
    const { env, ...execArgs } = exec;
    const helm = new HelmProvider(this, 'helm', {
      kubernetes: {
        host: cluster.clusterEndpoint,
        clusterCaCertificate: caCertificate,
        exec: execArgs,
      },
    });
    const kubernetes = new KubernetesProvider(this, 'kubernetes', {
      host: cluster.clusterEndpoint,
      clusterCaCertificate: caCertificate,
      exec: [execArgs],
    });
    // cdktf writes map keys in snake case (`aws_config_file`); environment variable names are
    // case-sensitive, so `env` is written verbatim.
    helm.addOverride('kubernetes.exec.env', env);
    kubernetes.addOverride('exec.0.env', env);

    this.services = platformServices(config, cluster.secretsPrefix);
    celeryPlacementCheck(key, this.env.clusters[key].dagster, config);
    this.addOns = [
      ...platformAddOns(config, {
        availabilityZoneCount: this.env.network.availabilityZones.length,
        secretStoreNamespaces: this.env.clusters[key].dagster.enabled ? [DAGSTER_NAMESPACE] : [],
      }),
      // ---- application add-ons: Dagster from `clusters.<key>.dagster`, then any given ----
      ...(this.env.clusters[key].dagster.enabled
        ? [
            new DagsterAddOn(this.env.clusters[key].dagster, {
              loadBalancerSubnetCidrs: this.publicSubnetCidrs(key),
            }),
          ]
        : []),
      ...(props.applicationAddOns ?? []),
    ];
    this.installed = installAddOns(this, this.addOns, {
      clusterKey: key,
      region,
      cluster,
      services: this.services,
    });
  }

  /**
   * The cluster's public subnet CIDRs (address plan; literals), where the Dagster ALBs are placed.
   */
  private publicSubnetCidrs(key: string): string[] {
    const plan = planAddresses(addressPlanInput(this.env.network, Object.keys(this.env.clusters)));
    const block = plan.clusters[key];
    if (!block)
      throw new Error(`platform-${key}: the address plan has no block for cluster ${key}`);
    return block.publicSubnets.map((s) => s.cidr);
  }
}

/**
 * The CeleryK8sRunLauncher gives run and step pods no placement (only a job's own
 * `dagster-k8s/config` tag does, `dagster_celery_k8s/launcher.py`), so they land on the untainted
 * `general` pool: it must only offer architectures the Dagster images support.
 * @throws Error naming the field when the general pool allows another architecture
 */
function celeryPlacementCheck(key: string, dagster: DagsterConfig, platform: PlatformConfig): void {
  if (!dagster.enabled || dagster.runLauncher.type !== 'celery') return;
  const supported = imageArchitectures(DAGSTER_IMAGES.celeryK8s);
  const bad = platform.karpenter.nodePools.general.architectures.filter(
    (a) => !supported.includes(a),
  );
  if (bad.length > 0)
    throw new Error(
      `clusters.${key}.platform.karpenter.nodePools.general.architectures: ${bad.join(', ')} is not allowed with the Celery run launcher (Celery run pods get no node selector and the Dagster ${DAGSTER_IMAGES.celeryK8s.tag} images are ${DAGSTER_IMAGES.celeryK8s.platforms.join(', ')} only); set it to [${supported.join(', ')}]`,
    );
}
