/**
 * A cluster stack (one per `clusters.<key>`, in the cluster's workload account; AWS provider
 * only): the EKS cluster with its KMS key, logs, access entries, system node group and managed
 * add-ons; Karpenter's AWS side; the cluster's DNS zone and certificate; the backup and
 * compute-log buckets; and the Pod Identity roles of the platform add-ons. Its
 * {@link ClusterOutputs} feed the platform stack.
 *
 * In an account other than `network.account` the cluster runs in subnets the network stack
 * shares with this account through AWS RAM (subnet IDs by cross-stack reference); since tags
 * are not shared with participants, this stack writes the discovery tags on those subnets in
 * its own account (`SharedSubnetTags`). Its security groups (API, and the one EKS creates) are
 * this account's, as VPC sharing requires: "Participants cannot launch resources using security
 * groups that are owned by other participants ... or the VPC owner."
 * Source: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-sharing.html
 */
import type { Construct } from 'constructs';
import { Fn, TerraformOutput } from 'cdktf';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { LandingZoneStack, type LandingZoneStackProps } from './base-stack';
import type { ClusterOutputs, NetworkOutputs } from '../constructs/shared/contracts';
import { eksClusterName, tfcRoleName } from '../envs/stack-plan';
import { KmsKey, cloudWatchLogsKeyStatement } from '../constructs/shared/kms-key';
import { EksCluster } from '../constructs/eks/cluster';
import { ClusterAccess } from '../constructs/eks/access';
import { SystemNodeGroup } from '../constructs/eks/node-group';
import { ClusterAddons } from '../constructs/eks/managed-addons';
import { PodIdentityRole } from '../constructs/eks/pod-identity-role';
import { KarpenterAws } from '../constructs/eks/karpenter-aws';
import { ClusterDns, type ClusterDnsParent } from '../constructs/eks/dns';
import { SharedSubnetTags } from '../constructs/eks/shared-subnet-tags';
import { ClusterAddonRoles } from '../constructs/eks/addon-roles';
import { SecureBucket } from '../constructs/shared/secure-bucket';
import { awsManagedPolicyArn } from '../constructs/eks/service-role';
import { EKS_VERSIONS, nodeReleaseVersion, type EksVersion } from '../envs/versions';

export interface ClusterStackProps extends LandingZoneStackProps {
  /** The network stack's outputs (VPC and this cluster's subnets). */
  readonly network: NetworkOutputs;
}

/** Output names (for people and scripts; the platform stack uses the typed properties). */
export const CLUSTER_OUTPUTS = {
  clusterName: 'cluster_name',
  oidcIssuerUrl: 'oidc_issuer_url',
  /** list(string): the four name servers of the cluster zone (the NS record of a manual delegation). */
  zoneNameServers: 'zone_name_servers',
  certificateArn: 'certificate_arn',
} as const;

/**
 * `kubelet.maxPods` of Karpenter nodes with VPC CNI prefix delegation: 110, the ceiling the EKS
 * max-pods calculator applies to instances with 30 vCPUs or fewer (`MAX_POD_CEILING_FOR_LOW_CPU=110`
 * in awslabs/amazon-eks-ami `templates/al2/runtime/max-pods-calculator.sh`); prefix mode gives
 * every supported Nitro size more than that (m5.large: 3 × (9 × 16) + 2 = 434).
 */
export const PREFIX_DELEGATION_MAX_PODS = 110;

export class ClusterStack extends LandingZoneStack implements ClusterOutputs {
  /** Key of the cluster in `clusters` (e.g. `main-01`). */
  readonly clusterKey: string;
  readonly eks: EksCluster;
  readonly kms: KmsKey;
  readonly systemNodes: SystemNodeGroup;
  readonly karpenterAws: KarpenterAws;
  readonly dns: ClusterDns;
  /** Discovery tags on the shared subnets (only when the cluster is outside `network.account`). */
  readonly sharedSubnetTags?: SharedSubnetTags;
  readonly addonRoles: ClusterAddonRoles;
  readonly ebsCsiRole: PodIdentityRole;
  readonly postgresBackupsBucket: SecureBucket;
  readonly dagsterComputeLogsBucket: SecureBucket;

  readonly clusterName: string;
  readonly clusterEndpoint: string;
  readonly clusterCertificateAuthority: string;
  readonly clusterSecurityGroupId: string;
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  readonly maxPods = PREFIX_DELEGATION_MAX_PODS;
  readonly karpenter: ClusterOutputs['karpenter'];
  readonly addonRoleArns: Record<string, string>;
  readonly zone: ClusterOutputs['zone'];
  readonly certificateArn: string;
  readonly buckets: ClusterOutputs['buckets'];
  readonly secretsPrefix: string;
  /**
   * The cluster's OIDC issuer URL (`https://oidc.eks.<region>.amazonaws.com/id/<id>`), for IRSA
   * or external identity federation; the add-ons here use Pod Identity and do not need it.
   */
  readonly oidcIssuerUrl: string;

  /** @throws Error if the spec is not a cluster stack */
  constructor(scope: Construct, props: ClusterStackProps) {
    super(scope, props);
    const key = props.spec.cluster;
    if (props.spec.kind !== 'cluster' || !key)
      throw new Error(`${props.spec.id}: not a cluster stack`);
    this.clusterKey = key;
    const env = this.env;
    const cfg = env.clusters[key];
    const region = env.homeRegion;
    const name = eksClusterName(env, key);
    const versions = EKS_VERSIONS[cfg.kubernetesVersion as EksVersion];
    this.awsProvider('aws');

    const account = new DataAwsCallerIdentity(this, 'account');
    const partitionData = new DataAwsPartition(this, 'partition');
    const accountId = account.accountId;
    const partition = partitionData.partition;
    const subnets = props.network.clusterSubnets(key);

    // KMS: Kubernetes secrets, the control-plane log group and both buckets.
    this.kms = new KmsKey(this, 'kms', {
      alias: `${name}-eks`,
      description: `EKS ${name}: secrets envelope encryption, control-plane logs, buckets`,
      accountId,
      partition,
      policyStatements: [
        cloudWatchLogsKeyStatement(
          'CloudWatchLogsOfThisCluster',
          region,
          `arn:${partition}:logs:${region}:${accountId}:log-group:/aws/eks/${name}/*`,
        ),
      ],
    });

    this.eks = new EksCluster(this, 'eks', {
      clusterName: name,
      kubernetesVersion: cfg.kubernetesVersion,
      vpcId: props.network.vpcId,
      subnetIds: subnets.controlPlaneSubnetIds,
      supportType: cfg.supportType,
      zonalShift: cfg.zonalShift,
      kmsKeyArn: this.kms.keyArn,
      publicAccessCidrs: cfg.endpoint.publicAccessCidrs,
      // Default: the cluster's private subnets, where its platform workspace's agents run.
      privateAccessCidrs: cfg.endpoint.privateAccessCidrs ?? subnets.privateSubnetCidrs,
      logRetentionDays: cfg.logRetentionDays,
      logKmsKeyArn: this.kms.keyArn,
      partition,
    });
    const cluster = this.eks.cluster;

    if (cfg.account !== env.network.account) {
      this.sharedSubnetTags = new SharedSubnetTags(this, 'shared-subnet-tags', {
        eksClusterName: name,
        privateSubnetIds: subnets.privateSubnetIds,
        publicSubnetIds: subnets.publicSubnetIds,
      });
    }

    // The platform workspace's role pair (organization stack): it applies the cluster's releases.
    const tfcRole = (phase: 'plan' | 'apply') =>
      `arn:${partition}:iam::${accountId}:role/${tfcRoleName(env, `platform-${key}`, phase)}`;
    new ClusterAccess(this, 'access', {
      clusterName: cluster.name,
      partition,
      principals: {
        // The apply role creates the cluster and applies the platform stack.
        'tfc-apply': { principalArn: tfcRole('apply'), policy: 'AmazonEKSClusterAdminPolicy' },
        // Platform-stack plans read releases (Helm keeps them in Secrets): view incl. Secrets.
        'tfc-plan': { principalArn: tfcRole('plan'), policy: 'AmazonEKSAdminViewPolicy' },
      },
      permissionSets: cfg.accessEntries,
    });

    this.ebsCsiRole = new PodIdentityRole(this, 'ebs-csi', {
      roleName: `${name}-ebs-csi`,
      description: `EBS CSI controller on ${name} (Pod Identity)`,
      clusterName: cluster.name,
      clusterArn: cluster.arn,
      accountId,
      managedPolicyArns: [awsManagedPolicyArn('service-role/AmazonEBSCSIDriverPolicy', partition)],
    });
    const beforeNodes = new ClusterAddons(this, 'addons-before-nodes', {
      clusterName: cluster.name,
      addons: ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent'],
      versions: versions.addons,
    });
    const ng = cfg.systemNodeGroup;
    this.systemNodes = new SystemNodeGroup(this, 'system-nodes', {
      clusterName: cluster.name,
      clusterNameLiteral: name,
      kubernetesVersion: cfg.kubernetesVersion,
      releaseVersion: nodeReleaseVersion(cfg.kubernetesVersion, ng.amiFamily),
      subnetIds: subnets.privateSubnetIds,
      instanceTypes: ng.instanceTypes,
      amiFamily: ng.amiFamily,
      minSize: ng.minSize,
      desiredSize: ng.desiredSize,
      maxSize: ng.maxSize,
      diskSizeGiB: ng.diskSizeGiB,
      partition,
      dependsOn: beforeNodes.all,
    });
    new ClusterAddons(this, 'addons-after-nodes', {
      clusterName: cluster.name,
      addons: ['coredns', 'aws-ebs-csi-driver'],
      versions: versions.addons,
      ebsCsiRoleArn: this.ebsCsiRole.roleArn,
      dependsOn: [this.systemNodes.nodeGroup],
    });

    this.karpenterAws = new KarpenterAws(this, 'karpenter', {
      clusterName: cluster.name,
      clusterNameLiteral: name,
      clusterArn: cluster.arn,
      region,
      accountId,
      partition,
    });

    this.dns = new ClusterDns(this, 'dns', {
      zoneName: `${key}.${cfg.dns.rootZone}`,
      rootZoneName: cfg.dns.rootZone,
      parent: this.dnsParent(
        key,
        tfcRoleName(env, this.spec.id, 'plan'),
        account.arn,
        props.network,
      ),
    });

    const b = cfg.buckets;
    this.postgresBackupsBucket = new SecureBucket(this, 'postgres-backups', {
      bucketName: `${name}-pg-backups-${accountId}`,
      kmsKeyArn: this.kms.keyArn,
      expirationDays: b.postgresBackupsExpirationDays,
      noncurrentVersionExpirationDays: b.noncurrentVersionExpirationDays,
    });
    this.dagsterComputeLogsBucket = new SecureBucket(this, 'dagster-compute-logs', {
      bucketName: `${name}-dagster-logs-${accountId}`,
      kmsKeyArn: this.kms.keyArn,
      expirationDays: b.dagsterComputeLogsExpirationDays,
      noncurrentVersionExpirationDays: b.noncurrentVersionExpirationDays,
    });

    this.secretsPrefix = `${env.prefix}/${key}/`;
    this.addonRoles = new ClusterAddonRoles(this, 'addon-roles', {
      clusterNameLiteral: name,
      clusterName: cluster.name,
      clusterArn: cluster.arn,
      region,
      accountId,
      partition,
      zoneArn: this.dns.zoneArn,
      secretsPrefix: this.secretsPrefix,
      postgresBackupsBucketArn: this.postgresBackupsBucket.bucketArn,
      dagsterComputeLogsBucketArn: this.dagsterComputeLogsBucket.bucketArn,
      bucketKmsKeyArn: this.kms.keyArn,
    });

    // ---- ClusterOutputs ----
    this.clusterName = cluster.name;
    this.clusterEndpoint = this.eks.endpoint;
    this.clusterCertificateAuthority = this.eks.certificateAuthority;
    this.clusterSecurityGroupId = this.eks.clusterSecurityGroupId;
    this.vpcId = props.network.vpcId;
    this.privateSubnetIds = subnets.privateSubnetIds;
    this.oidcIssuerUrl = this.eks.oidcIssuerUrl;
    this.karpenter = {
      nodeRoleName: this.karpenterAws.nodeRole.name,
      interruptionQueueName: this.karpenterAws.queue.name,
      controllerRoleArn: this.karpenterAws.controller.roleArn,
    };
    this.addonRoleArns = {
      karpenter: this.karpenterAws.controller.roleArn,
      ...Object.fromEntries(Object.entries(this.addonRoles.roles).map(([k, r]) => [k, r.roleArn])),
      'ebs-csi': this.ebsCsiRole.roleArn,
    };
    this.zone = { id: this.dns.zoneId, name: this.dns.zoneName };
    this.certificateArn = this.dns.certificateArn;
    this.buckets = {
      postgresBackups: this.postgresBackupsBucket.bucketName,
      dagsterComputeLogs: this.dagsterComputeLogsBucket.bucketName,
    };

    const out = (id: string, value: unknown, description: string) =>
      new TerraformOutput(this, id, { value, description }).overrideLogicalId(id);
    out(CLUSTER_OUTPUTS.clusterName, this.clusterName, 'EKS cluster name');
    out(CLUSTER_OUTPUTS.oidcIssuerUrl, this.oidcIssuerUrl, 'OIDC issuer URL of the cluster');
    out(
      CLUSTER_OUTPUTS.zoneNameServers,
      this.dns.nameServers,
      `Name servers of ${key}.${cfg.dns.rootZone}: add them as its NS record in ${cfg.dns.rootZone} unless dns.parent is set`,
    );
    out(
      CLUSTER_OUTPUTS.certificateArn,
      this.certificateArn,
      'ACM wildcard certificate of the cluster zone',
    );
  }

  /**
   * Where the delegation NS record goes (see `clusters.<key>.dns.parent`): undefined without a
   * parent; this account's provider when the parent is in the cluster's account; else a provider
   * that assumes the network stack's delegation role of the run's phase (the plan role when the
   * caller is the TFC plan role, else the apply role). The role ARNs come from the network
   * stack's state, so the provider is configured from values known at plan time.
   */
  private dnsParent(
    key: string,
    planRoleName: string,
    callerArn: string,
    network: NetworkOutputs,
  ): ClusterDnsParent | undefined {
    const cfg = this.env.clusters[key];
    const parent = cfg.dns.parent;
    if (!parent) return undefined;
    if (parent.account === cfg.account) return { zoneId: parent.zoneId };
    const delegation = network.dnsDelegation(key);
    if (!delegation)
      throw new Error(
        `clusters.${key}.dns.parent: the network stack has no delegation role for this cluster`,
      );
    const provider = this.awsProvider('dns-parent', {
      alias: 'dns-parent',
      assumeRole: {
        roleArn: Fn.conditional(
          Fn.strcontains(callerArn, `:assumed-role/${planRoleName}/`),
          delegation.planRoleArn,
          delegation.applyRoleArn,
        ),
        sessionName: `${this.spec.id}-dns`,
      },
    });
    return { zoneId: delegation.parentZoneId, provider };
  }
}
