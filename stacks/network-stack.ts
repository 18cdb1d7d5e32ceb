/**
 * The network stack (workload account): the shared VPC with per-cluster address blocks,
 * fck-nat, gateway and interface endpoints and flow logs; a RAM share of each cluster's subnets
 * with the cluster's account when that is not `network.account`; and the DNS delegation roles of
 * clusters whose parent zone lives here. Thin: it computes the address plan from `network` and
 * `clusters`, wires the constructs and publishes what the cluster stacks need (see
 * {@link NetworkOutputs}).
 *
 * Its AWS provider is the default one: in Terraform Cloud the workspace's dynamic
 * credentials put it in the workload account (`network.account`).
 */
import type { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { LandingZoneStack, type LandingZoneStackProps } from './base-stack';
import type { ClusterSubnets, DnsDelegation, NetworkOutputs } from '../constructs/shared/contracts';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import { SubnetShare } from '../constructs/network/subnet-share';
import { DnsDelegationRoles } from '../constructs/network/dns-delegation';
import { eksClusterName, tfcRoleName } from '../envs/stack-plan';
import { planAddresses, type AddressPlan } from '../envs/address-plan';
import { addressPlanInput } from '../envs/schema/network';
import { SharedVpc } from '../constructs/network/vpc';
import { InterfaceEndpoints } from '../constructs/network/endpoints';
import { VpcFlowLogs } from '../constructs/network/flow-logs';

/** Output names of the network stack (stable: other workspaces read them). */
export const NETWORK_OUTPUTS = {
  /** string: VPC ID. */
  vpcId: 'vpc_id',
  /** string: the VPC's IPv4 range, CIDR. */
  vpcCidr: 'vpc_cidr',
  /**
   * map(object): cluster key → `{ block_cidr, private_subnet_ids, public_subnet_ids,
   * private_subnet_cidrs, public_subnet_cidrs }`, the four maps keyed by AZ name.
   */
  clusterSubnets: 'cluster_subnets',
  /** string: security group of the fck-nat interfaces. */
  natSecurityGroupId: 'nat_security_group_id',
  /** map(string): AZ → ID of the fck-nat static ENI its private route table targets. */
  natNetworkInterfaceIds: 'nat_network_interface_ids',
  /** map(string): AZ → private route table ID. */
  privateRouteTableIds: 'private_route_table_ids',
  /** map(string): cluster key → ARN of the RAM share of its subnets (clusters in other accounts). */
  subnetShares: 'subnet_shares',
  /** map(object): cluster key → `{ parent_zone_id, plan_role_arn, apply_role_arn }` (parent zone here, cluster elsewhere). */
  dnsDelegation: 'dns_delegation',
} as const;

/** Props of {@link NetworkStack}. */
export interface NetworkStackProps extends LandingZoneStackProps {
  /**
   * AWS account ID of an account key (a token: a cross-stack reference to the organization
   * stack). Called only for the accounts of clusters outside `network.account`.
   */
  readonly accountId: (key: string) => string;
}

/** The `network` stack: see the module doc. */
export class NetworkStack extends LandingZoneStack implements NetworkOutputs {
  /** The address plan (literal CIDRs), computed at synth time. */
  readonly plan: AddressPlan;
  /** The VPC, subnets, route tables, fck-nat instances and gateway endpoints. */
  readonly vpc: SharedVpc;
  /** Interface endpoints (only when `network.interfaceEndpoints` is not empty). */
  readonly interfaceEndpoints?: InterfaceEndpoints;
  /** VPC flow logs to CloudWatch Logs. */
  readonly flowLogs: VpcFlowLogs;
  /** ID of the shared VPC (token). */
  readonly vpcId: string;
  /** The VPC's IPv4 range, CIDR (literal). */
  readonly vpcCidr: string;
  /** Security group of the fck-nat interfaces (token). */
  readonly natSecurityGroupId: string;
  /** RAM shares of the subnets of clusters in other accounts, by cluster key. */
  readonly subnetShares: Record<string, SubnetShare> = {};
  /** DNS delegation roles of clusters whose parent zone is here, by cluster key. */
  readonly dnsDelegationRoles: Record<string, DnsDelegationRoles> = {};
  private readonly delegations: Record<string, DnsDelegation> = {};

  /**
   * @throws AddressPlanError if the address plan cannot be computed (the environment schema
   * reports the same problems first, with their paths)
   */
  constructor(scope: Construct, props: NetworkStackProps) {
    super(scope, props);
    const env = this.env;
    const net = env.network;
    this.awsProvider('aws');

    this.plan = planAddresses(addressPlanInput(net, Object.keys(env.clusters)));

    this.vpc = new SharedVpc(this, 'shared-vpc', {
      name: env.prefix,
      plan: this.plan,
      eksClusterNames: Object.fromEntries(
        Object.keys(env.clusters).map((k) => [k, eksClusterName(env, k)]),
      ),
      region: env.homeRegion,
      nat: net.nat,
    });
    const azs = net.availabilityZones;

    if (net.interfaceEndpoints.length > 0) {
      this.interfaceEndpoints = new InterfaceEndpoints(this, 'interface-endpoints', {
        name: env.prefix,
        vpcId: this.vpc.vpc.id,
        allowedCidrs: [this.plan.vpcCidr, ...this.plan.secondaryCidrs],
        subnetIds: azs.map((az) => this.vpc.endpointSubnets[az].id),
        region: env.homeRegion,
        services: net.interfaceEndpoints,
      });
    }

    // VPC sharing: the subnets of a cluster in another account, shared with that account only.
    // Source: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-sharing.html
    for (const [key, c] of Object.entries(env.clusters)) {
      if (c.account === net.account) continue;
      const sn = this.vpc.clusterSubnets[key];
      const arns: Record<string, string> = {};
      for (const kind of ['private', 'public', 'controlPlane'] as const)
        for (const az of azs) arns[`${kind}-${az}`] = sn[kind][az].arn;
      this.subnetShares[key] = new SubnetShare(this, `share-${key}`, {
        name: `${eksClusterName(env, key)}-subnets`,
        subnetArns: arns,
        principalAccountId: props.accountId(c.account),
      });
    }

    // DNS: parent zones in this account, for clusters in other accounts.
    let partition: DataAwsPartition | undefined;
    for (const [key, c] of Object.entries(env.clusters)) {
      const parent = c.dns.parent;
      if (!parent || parent.account !== net.account || c.account === net.account) continue;
      partition ??= new DataAwsPartition(this, 'partition');
      const zone = new DataAwsRoute53Zone(this, `dns-parent-${key}`, {
        ...(parent.zoneId ? { zoneId: parent.zoneId } : { name: c.dns.rootZone }),
        privateZone: false,
      });
      const roles = new DnsDelegationRoles(this, `dns-delegation-${key}`, {
        name: `${eksClusterName(env, key)}-dns`,
        parentZoneArn: zone.arn,
        childZoneName: `${key}.${c.dns.rootZone}`,
        partition: partition.partition,
        trustedAccountId: props.accountId(c.account),
        trustedRoleNames: {
          plan: tfcRoleName(env, `cluster-${key}`, 'plan'),
          apply: tfcRoleName(env, `cluster-${key}`, 'apply'),
        },
      });
      this.dnsDelegationRoles[key] = roles;
      this.delegations[key] = {
        parentZoneId: zone.zoneId,
        planRoleArn: roles.planRole.arn,
        applyRoleArn: roles.applyRole.arn,
      };
    }

    this.flowLogs = new VpcFlowLogs(this, 'flow-logs', {
      name: env.prefix,
      vpcId: this.vpc.vpc.id,
      retentionDays: net.flowLogs.retentionDays,
    });

    this.vpcId = this.vpc.vpc.id;
    this.vpcCidr = this.plan.vpcCidr;
    this.natSecurityGroupId = this.vpc.natSecurityGroupId;

    const out = (name: string, value: unknown, description: string) =>
      new TerraformOutput(this, name, { value, description }).overrideLogicalId(name);
    out(NETWORK_OUTPUTS.vpcId, this.vpcId, 'ID of the shared VPC');
    out(NETWORK_OUTPUTS.vpcCidr, this.vpcCidr, 'IPv4 range of the shared VPC');
    out(
      NETWORK_OUTPUTS.clusterSubnets,
      Object.fromEntries(
        Object.values(this.plan.clusters).map((c) => {
          const subnets = this.vpc.clusterSubnets[c.name];
          const byAz = (kind: 'public' | 'private' | 'controlPlane') =>
            Object.fromEntries(azs.map((az) => [az, subnets[kind][az].id]));
          return [
            c.name,
            {
              block_cidr: c.cidr,
              private_subnet_ids: byAz('private'),
              public_subnet_ids: byAz('public'),
              control_plane_subnet_ids: byAz('controlPlane'),
              private_subnet_cidrs: Object.fromEntries(
                c.privateSubnets.map((s) => [s.availabilityZone, s.cidr]),
              ),
              public_subnet_cidrs: Object.fromEntries(
                c.publicSubnets.map((s) => [s.availabilityZone, s.cidr]),
              ),
            },
          ];
        }),
      ),
      'Cluster key -> address block and subnet IDs/CIDRs by AZ',
    );
    out(
      NETWORK_OUTPUTS.subnetShares,
      Object.fromEntries(Object.entries(this.subnetShares).map(([k, sh]) => [k, sh.share.arn])),
      'Cluster key -> RAM share of its subnets (clusters outside the network account)',
    );
    out(
      NETWORK_OUTPUTS.dnsDelegation,
      Object.fromEntries(
        Object.entries(this.delegations).map(([k, d]) => [
          k,
          {
            parent_zone_id: d.parentZoneId,
            plan_role_arn: d.planRoleArn,
            apply_role_arn: d.applyRoleArn,
          },
        ]),
      ),
      'Cluster key -> parent zone and delegation roles (parent zone here, cluster elsewhere)',
    );
    out(
      NETWORK_OUTPUTS.natSecurityGroupId,
      this.natSecurityGroupId,
      'Security group of the fck-nat interfaces',
    );
    out(
      NETWORK_OUTPUTS.natNetworkInterfaceIds,
      Object.fromEntries(
        azs.map((az) => [
          az,
          (this.vpc.nats[az] ?? Object.values(this.vpc.nats)[0]).networkInterface.id,
        ]),
      ),
      'AZ -> fck-nat static ENI that the AZ private route table targets',
    );
    out(
      NETWORK_OUTPUTS.privateRouteTableIds,
      Object.fromEntries(azs.map((az) => [az, this.vpc.privateRouteTables[az].id])),
      'AZ -> private route table ID',
    );
  }

  /**
   * Subnets of cluster `name`, in `network.availabilityZones` order.
   * @throws Error if the plan has no block for `name`
   */
  clusterSubnets(name: string): ClusterSubnets {
    const block = this.plan.clusters[name];
    const subnets = this.vpc.clusterSubnets[name];
    if (!block || !subnets) {
      throw new Error(
        `network: no address block for cluster "${name}" (clusters: ${Object.keys(this.plan.clusters).join(', ')})`,
      );
    }
    const azs = this.plan.availabilityZones;
    return {
      privateSubnetIds: azs.map((az) => subnets.private[az].id),
      publicSubnetIds: azs.map((az) => subnets.public[az].id),
      controlPlaneSubnetIds: azs.map((az) => subnets.controlPlane[az].id),
      privateSubnetCidrs: block.privateSubnets.map((s) => s.cidr),
      blockCidr: block.cidr,
    };
  }

  /** See {@link NetworkOutputs.dnsDelegation}. */
  dnsDelegation(name: string): DnsDelegation | undefined {
    return this.delegations[name];
  }
}
