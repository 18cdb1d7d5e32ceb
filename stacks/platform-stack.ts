/**
 * A platform stack (one per `clusters.<key>`, in the cluster's workload account; AWS, Helm
 * and Kubernetes providers): the cluster's add-ons as Helm releases and Kubernetes
 * resources, from `clusters.<key>.platform`, plus the application add-ons (Dagster).
 *
 * Cluster access: the Helm and Kubernetes providers get the API endpoint and CA from the
 * cluster stack's outputs and a short-lived token from the ephemeral `aws_eks_cluster_auth`
 * (AWS provider, same credentials as the rest of the run: Terraform Cloud dynamic
 * credentials). The token is never written to plan or state and no kubeconfig is used. An
 * `exec` of `aws eks get-token` would need the AWS CLI *and* credentials for it on the run's
 * machine, which TFC's dynamic credentials do not provide to child processes.
 *
 * References:
 * - https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/ephemeral-resources/eks_cluster_auth
 * - https://registry.terraform.io/providers/hashicorp/helm/3.1.1/docs#authentication
 */
import type { Construct } from 'constructs';
import { Fn, TerraformLocal, type ITerraformDependable } from 'cdktf';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { LandingZoneStack, type LandingZoneStackProps } from './base-stack';
import type { ClusterOutputs } from '../constructs/shared/contracts';
import type { ClusterAddOn, PlatformServices } from '../constructs/platform/addon';
import { ephemeralResource } from '../constructs/platform/ephemeral';
import {
  installAddOns,
  platformAddOns,
  platformServices,
} from '../constructs/platform/platform-addons';
import { DagsterAddOn } from '../constructs/dagster/dagster-addon';

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
 * The platform stack of one cluster (`platform-<key>`): providers with an ephemeral EKS token,
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
    // Routed through a local: cdktf rewrites cross-stack references in resources and locals,
    // not in the raw override that declares the ephemeral block.
    const clusterName = new TerraformLocal(this, 'cluster_name', cluster.clusterName);
    const auth = ephemeralResource(this, 'aws_eks_cluster_auth', 'cluster', {
      name: clusterName.asString,
    });
    const token = auth('token') as unknown as string;
    const caCertificate = Fn.base64decode(cluster.clusterCertificateAuthority);
    new HelmProvider(this, 'helm', {
      kubernetes: { host: cluster.clusterEndpoint, clusterCaCertificate: caCertificate, token },
    });
    new KubernetesProvider(this, 'kubernetes', {
      host: cluster.clusterEndpoint,
      clusterCaCertificate: caCertificate,
      token,
    });

    this.services = platformServices(config, cluster.secretsPrefix);
    this.addOns = [
      ...platformAddOns(config, {
        availabilityZoneCount: this.env.network.availabilityZones.length,
      }),
      // ---- application add-ons: Dagster from `clusters.<key>.dagster`, then any given ----
      ...(this.env.clusters[key].dagster.enabled
        ? [new DagsterAddOn(this.env.clusters[key].dagster, { vpcCidr: this.env.network.cidr })]
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
}
