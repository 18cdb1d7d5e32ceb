/**
 * The shared VPC, built from an {@link AddressPlan}: VPC (DNS support and hostnames) and its
 * secondary ranges (`aws_vpc_ipv4_cidr_block_association`), locked default security group,
 * internet gateway, per-cluster public, private and control-plane subnets with the EKS /
 * Karpenter discovery tags, prefix reservations in the private subnets
 * (`aws_ec2_subnet_cidr_reservation`, type `prefix`), the shared NAT and endpoint subnets, one public route table,
 * one private route table per AZ whose 0.0.0.0/0 goes to a fck-nat ENI, and the S3 and
 * DynamoDB gateway endpoints on the private route tables. No NAT gateways.
 *
 * Subnet tags (what the AWS Load Balancer Controller and Karpenter select on):
 * - public: `kubernetes.io/role/elb=1`, `kubernetes.io/cluster/<eks name>=shared`
 * - private: `kubernetes.io/role/internal-elb=1`, `kubernetes.io/cluster/<eks name>=shared`,
 *   `karpenter.sh/discovery=<eks name>`
 * The cluster tag keeps one cluster's load balancer controller off another cluster's
 * subnets in the shared VPC. These tags are for clusters in the VPC's own account: tags are not
 * shared with RAM participants ("VPC tags and tags for the resources within the shared VPC are
 * not shared with the participants", https://docs.aws.amazon.com/vpc/latest/userguide/vpc-sharing.html),
 * so a cluster in another account tags its shared subnets itself (see `SharedSubnetTags`).
 * Control-plane subnets carry no load balancer or Karpenter tag: only the EKS control plane's
 * network interfaces go there.
 * Sources: https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/subnet_discovery/,
 * https://karpenter.sh/docs/concepts/nodeclasses/#specsubnetselectorterms
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Ec2SubnetCidrReservation } from '@cdktf/provider-aws/lib/ec2-subnet-cidr-reservation';
import { VpcIpv4CidrBlockAssociation } from '@cdktf/provider-aws/lib/vpc-ipv4-cidr-block-association';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import type { AddressPlan, PlannedSubnet } from '../../envs/address-plan';
import { FckNat, type FckNatElasticIp } from './fck-nat';
import { clusterSubnetTags } from './subnet-tags';

export { clusterSubnetTags } from './subnet-tags';

/** NAT settings of {@link SharedVpcProps}. */
export interface SharedVpcNatProps {
  /** `single` (default): one NAT for every AZ; `per-az`: one NAT per AZ. */
  readonly mode?: 'single' | 'per-az';
  /** Instance type (default `t4g.nano`). */
  readonly instanceType?: string;
  /**
   * `allocate` (default), `none`, or allocation IDs, one per NAT (in AZ order for `per-az`).
   * @throws Error (from the constructor) if the list length differs from the NAT count
   */
  readonly elasticIp?: 'allocate' | 'none' | readonly string[];
  /** Run the CloudWatch agent on the NATs (default false). */
  readonly cloudWatchAgent?: boolean;
}

/** Props of {@link SharedVpc}. */
export interface SharedVpcProps {
  /** Name prefix of every resource (`acme`). */
  readonly name: string;
  /** The address plan (literal CIDRs). */
  readonly plan: AddressPlan;
  /** EKS cluster name by cluster key (for the discovery tags); every key of `plan.clusters`. */
  readonly eksClusterNames: Readonly<Record<string, string>>;
  /** Region of the gateway endpoints' services (`eu-central-1`). */
  readonly region: string;
  /** fck-nat settings (default: one `t4g.nano` NAT with an allocated EIP, no agent). */
  readonly nat?: SharedVpcNatProps;
  /** Extra tags on every resource (the provider's default tags apply as well; default none). */
  readonly tags?: Record<string, string>;
  /** Provider (account/region) of every resource (default: the stack's default AWS provider). */
  readonly provider?: TerraformProvider;
}

/** Subnets of one cluster, by AZ name. */
export interface SharedVpcClusterSubnets {
  readonly public: Readonly<Record<string, Subnet>>;
  readonly private: Readonly<Record<string, Subnet>>;
  /** Subnets of the EKS control plane's network interfaces. */
  readonly controlPlane: Readonly<Record<string, Subnet>>;
}

/** The shared VPC. */
export class SharedVpc extends Construct {
  /** The VPC (`cidr_block` = the plan's VPC range, DNS support and hostnames on). */
  readonly vpc: Vpc;
  /** Internet gateway: the public route table's 0.0.0.0/0 target. */
  readonly internetGateway: InternetGateway;
  /** The one route table of every public subnet (cluster public and NAT subnets). */
  readonly publicRouteTable: RouteTable;
  /** Private route tables by AZ name. */
  readonly privateRouteTables: Record<string, RouteTable> = {};
  /** Secondary ranges by CIDR (`plan.secondaryCidrs`). */
  readonly secondaryCidrs: Record<string, VpcIpv4CidrBlockAssociation> = {};
  /** Prefix reservations of the private subnets, by subnet construct ID, in plan order. */
  readonly prefixReservations: Record<string, Ec2SubnetCidrReservation[]> = {};
  /** Subnets by cluster key. */
  readonly clusterSubnets: Record<string, SharedVpcClusterSubnets> = {};
  /** Public NAT subnets by AZ name. */
  readonly natSubnets: Record<string, Subnet> = {};
  /** Private interface-endpoint subnets by AZ name. */
  readonly endpointSubnets: Record<string, Subnet> = {};
  /** NAT instances by the AZ they run in. */
  readonly nats: Record<string, FckNat> = {};
  /** Security group shared by every NAT's interfaces. */
  readonly natSecurityGroupId: string;
  /** S3 and DynamoDB gateway endpoints. */
  readonly gatewayEndpoints: Record<'s3' | 'dynamodb', VpcEndpoint>;

  /**
   * @throws Error if a cluster of the plan has no EKS name, or the Elastic IP list length
   * differs from the NAT count
   */
  constructor(scope: Construct, id: string, props: SharedVpcProps) {
    super(scope, id);
    const provider = props.provider;
    const { plan, name } = props;
    const tags = props.tags ?? {};
    const named = (n: string, extra: Record<string, string> = {}) => ({
      ...tags,
      ...extra,
      Name: `${name}-${n}`,
    });

    this.vpc = new Vpc(this, 'vpc', {
      provider,
      cidrBlock: plan.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: named('vpc'),
    });
    for (const [i, cidr] of plan.secondaryCidrs.entries()) {
      this.secondaryCidrs[cidr] = new VpcIpv4CidrBlockAssociation(this, `secondary-cidr-${i}`, {
        provider,
        vpcId: this.vpc.id,
        cidrBlock: cidr,
      });
    }
    // No rules: nothing may use the default security group.
    new DefaultSecurityGroup(this, 'default-security-group', {
      provider,
      vpcId: this.vpc.id,
      tags: named('default-deny-all'),
    });
    this.internetGateway = new InternetGateway(this, 'igw', {
      provider,
      vpcId: this.vpc.id,
      tags: named('igw'),
    });

    this.publicRouteTable = new RouteTable(this, 'public-rt', {
      provider,
      vpcId: this.vpc.id,
      tags: named('public'),
    });
    new Route(this, 'public-default', {
      provider,
      routeTableId: this.publicRouteTable.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: this.internetGateway.id,
    });
    for (const az of plan.availabilityZones) {
      this.privateRouteTables[az] = new RouteTable(this, `private-rt-${az}`, {
        provider,
        vpcId: this.vpc.id,
        tags: named(`private-${az}`),
      });
    }

    const subnet = (
      id: string,
      s: PlannedSubnet,
      kind: 'public' | 'private',
      extra: Record<string, string>,
      vpcRange = plan.vpcCidr,
    ) => {
      const association = this.secondaryCidrs[vpcRange];
      const sn = new Subnet(this, id, {
        provider,
        vpcId: this.vpc.id,
        cidrBlock: s.cidr,
        availabilityZone: s.availabilityZone,
        mapPublicIpOnLaunch: false,
        tags: named(id, extra),
        // A subnet in a secondary range waits for the range to join the VPC.
        dependsOn: association ? [association] : undefined,
      });
      new RouteTableAssociation(this, `${id}-rta`, {
        provider,
        subnetId: sn.id,
        routeTableId:
          kind === 'public'
            ? this.publicRouteTable.id
            : this.privateRouteTables[s.availabilityZone].id,
      });
      return sn;
    };

    for (const [cluster, block] of Object.entries(plan.clusters)) {
      const eks = props.eksClusterNames[cluster];
      if (!eks) throw new Error(`SharedVpc: no EKS cluster name for cluster "${cluster}"`);
      const tagsOf = clusterSubnetTags(eks);
      const range = block.vpcRange;
      this.clusterSubnets[cluster] = {
        public: Object.fromEntries(
          block.publicSubnets.map((s) => [
            s.availabilityZone,
            subnet(`${cluster}-public-${s.availabilityZone}`, s, 'public', tagsOf.public, range),
          ]),
        ),
        private: Object.fromEntries(
          block.privateSubnets.map((s) => {
            const id = `${cluster}-private-${s.availabilityZone}`;
            const sn = subnet(id, s, 'private', tagsOf.private, range);
            // Prefix reservations: the VPC CNI's /28 prefixes come from here, node and load
            // balancer addresses from the rest, so prefixes never fail on a fragmented subnet.
            this.prefixReservations[id] = s.prefixReservations.map(
              (cidr, i) =>
                new Ec2SubnetCidrReservation(this, `${id}-prefixes-${i}`, {
                  provider,
                  subnetId: sn.id,
                  cidrBlock: cidr,
                  reservationType: 'prefix',
                  description: `VPC CNI prefixes of ${eks}`,
                }),
            );
            return [s.availabilityZone, sn];
          }),
        ),
        controlPlane: Object.fromEntries(
          block.controlPlaneSubnets.map((s) => [
            s.availabilityZone,
            subnet(`${cluster}-control-plane-${s.availabilityZone}`, s, 'private', {}, range),
          ]),
        ),
      };
    }
    for (const s of plan.shared.natSubnets) {
      this.natSubnets[s.availabilityZone] = subnet(
        `shared-nat-${s.availabilityZone}`,
        s,
        'public',
        {},
      );
    }
    for (const s of plan.shared.endpointSubnets) {
      this.endpointSubnets[s.availabilityZone] = subnet(
        `shared-endpoints-${s.availabilityZone}`,
        s,
        'private',
        {},
      );
    }

    // fck-nat: one for the whole VPC (in the first AZ) or one per AZ.
    const nat = props.nat ?? {};
    const natAzs =
      (nat.mode ?? 'single') === 'single'
        ? [plan.availabilityZones[0]]
        : [...plan.availabilityZones];
    const eips = nat.elasticIp ?? 'allocate';
    if (Array.isArray(eips) && eips.length !== natAzs.length) {
      throw new Error(
        `SharedVpc: ${eips.length} Elastic IP allocation(s) given for ${natAzs.length} NAT instance(s)`,
      );
    }
    let natSecurityGroupId: string | undefined;
    natAzs.forEach((az, i) => {
      const elasticIp: FckNatElasticIp =
        eips === 'allocate'
          ? { mode: 'allocate' }
          : eips === 'none'
            ? { mode: 'none' }
            : { mode: 'given', allocationId: (eips as readonly string[])[i] };
      const instance = new FckNat(this, `nat-${az}`, {
        provider,
        name: `${name}-nat-${az}`,
        vpcId: this.vpc.id,
        subnetId: this.natSubnets[az].id,
        subnetArn: this.natSubnets[az].arn,
        // Every range of the VPC: clusters in secondary ranges egress through the NAT too.
        allowedCidrs: [plan.vpcCidr, ...plan.secondaryCidrs],
        securityGroupId: natSecurityGroupId,
        instanceType: nat.instanceType,
        elasticIp,
        cloudWatchAgent: nat.cloudWatchAgent,
        tags,
      });
      natSecurityGroupId ??= instance.securityGroupId;
      this.nats[az] = instance;
    });
    this.natSecurityGroupId = natSecurityGroupId!;

    for (const az of plan.availabilityZones) {
      const target = this.nats[az] ?? this.nats[natAzs[0]];
      new Route(this, `private-default-${az}`, {
        provider,
        routeTableId: this.privateRouteTables[az].id,
        destinationCidrBlock: '0.0.0.0/0',
        networkInterfaceId: target.networkInterface.id,
      });
    }

    const gateway = (service: 's3' | 'dynamodb') =>
      new VpcEndpoint(this, `${service}-gateway-endpoint`, {
        provider,
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Gateway',
        routeTableIds: plan.availabilityZones.map((az) => this.privateRouteTables[az].id),
        tags: named(service),
      });
    this.gatewayEndpoints = { s3: gateway('s3'), dynamodb: gateway('dynamodb') };
  }
}
