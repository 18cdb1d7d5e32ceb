/**
 * What each stack hands to the next one. Values are Terraform tokens: passed into another
 * stack they become cross-stack references (cdktf writes the output and the remote-state
 * read), and the TFC stack derives state sharing and run triggers from those references.
 */

/** Subnets of one cluster's address block. */
export interface ClusterSubnets {
  /** Private subnet IDs, one per AZ, in `network.availabilityZones` order. */
  readonly privateSubnetIds: string[];
  /** Public subnet IDs, one per AZ, same order. */
  readonly publicSubnetIds: string[];
  /** Control-plane subnet IDs (the EKS control plane's network interfaces only), one per AZ, same order. */
  readonly controlPlaneSubnetIds: string[];
  /** Private subnet CIDRs, same order (literal, computed at synth time). */
  readonly privateSubnetCidrs: string[];
  /** The cluster's address block, CIDR (literal, computed at synth time). */
  readonly blockCidr: string;
}

/** Network stack → cluster stacks. */
export interface NetworkOutputs {
  readonly vpcId: string;
  /** The VPC's IPv4 range, CIDR (literal). */
  readonly vpcCidr: string;
  /** Security group of the fck-nat instances. */
  readonly natSecurityGroupId: string;
  /** Subnets of cluster `name`; throws if the network has no block for it. */
  clusterSubnets(name: string): ClusterSubnets;
  /**
   * The delegation roles and parent zone of cluster `name` when its `dns.parent` is the network
   * account and the cluster runs in another account; undefined otherwise.
   */
  dnsDelegation(name: string): DnsDelegation | undefined;
}

/** A parent zone in the network account and the roles a cluster stack writes its NS record with. */
export interface DnsDelegation {
  /** Hosted zone ID of the parent zone. */
  readonly parentZoneId: string;
  /** Role for plan runs (read only). */
  readonly planRoleArn: string;
  /** Role for apply runs (the cluster zone's NS record only). */
  readonly applyRoleArn: string;
}

/** Cluster stack → platform stack. */
export interface ClusterOutputs {
  readonly clusterName: string;
  readonly clusterEndpoint: string;
  /** Base64 PEM of the cluster CA. */
  readonly clusterCertificateAuthority: string;
  readonly clusterSecurityGroupId: string;
  /** OIDC issuer URL of the cluster (IRSA/federation; Pod Identity does not need it). */
  readonly oidcIssuerUrl: string;
  readonly vpcId: string;
  /**
   * Private subnet IDs of the cluster, one per AZ (for EC2NodeClass `subnetSelectorTerms` by
   * `id`, which also works where tags cannot be read, e.g. a shared VPC).
   */
  readonly privateSubnetIds: string[];
  /**
   * `kubelet.maxPods` for Karpenter nodes: the VPC CNI runs with prefix delegation, which
   * Karpenter's own pod-capacity math ignores (ENIs × (IPs per ENI − 1) + 2), so node classes
   * set it explicitly. 110: the EKS max-pods ceiling for instances with 30 vCPUs or fewer.
   */
  readonly maxPods: number;
  /** Karpenter: node role name, interruption queue name, controller role ARN. */
  readonly karpenter: {
    readonly nodeRoleName: string;
    readonly interruptionQueueName: string;
    readonly controllerRoleArn: string;
  };
  /** Pod Identity role ARNs of the platform add-ons, by add-on name. */
  readonly addonRoleArns: Record<string, string>;
  /** The cluster's Route53 zone. */
  readonly zone: { readonly id: string; readonly name: string };
  /** ARN of the ACM wildcard certificate for `*.<zone>`. */
  readonly certificateArn: string;
  /** S3 buckets by purpose (`postgresBackups`, `dagsterComputeLogs`). */
  readonly buckets: { readonly postgresBackups: string; readonly dagsterComputeLogs: string };
  /** Secrets Manager name prefix this cluster's External Secrets may read (`<prefix>/<cluster>/`). */
  readonly secretsPrefix: string;
}
