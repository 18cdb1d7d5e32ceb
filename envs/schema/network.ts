/**
 * `network`: the shared VPC of the workload account, its address plan, fck-nat, endpoints
 * and flow logs.
 *
 * Addresses (see `envs/address-plan.ts` for the layout):
 * - `cidr` is the VPC range (`secondaryCidrs` add ranges when it is full); each cluster in
 *   `clusters` gets its own block of `clusterBlockPrefix` (default /18) and, per AZ, one public
 *   (`publicSubnetPrefix`, default /24), one private (`privateSubnetPrefix`, default /20, with
 *   prefix reservations for the VPC CNI) and one control-plane subnet
 *   (`controlPlaneSubnetPrefix`, default /28) inside it.
 * - A small shared block (`sharedBlock`, default the last /22 of the VPC) holds the fck-nat
 *   subnets and the interface endpoints.
 * - Blocks are taken first-fit in the order clusters appear in `clusters`; pin a cluster's
 *   block with `clusterBlocks.<cluster>: <CIDR>` to fix it explicitly (recommended before
 *   removing or reordering clusters).
 * - When the blocks run out: pin the existing blocks and add a secondary range; never widen
 *   `cidr` or change a prefix of a running network (`cidr_block` is ForceNew: the VPC or the
 *   subnets would be replaced).
 */
import { z } from 'zod';
import { Address4 } from 'ip-address';
import { duplicates, issue, name } from './common';
import type { OrganizationConfig } from './organization';
import { LOG_RETENTION_DAYS } from './clusters';
import {
  addressPlanProblems,
  DEFAULT_CONTROL_PLANE_SUBNET_PREFIX,
  DEFAULT_PRIVATE_SUBNET_PREFIX,
  type AddressPlanInput,
} from '../address-plan';

/**
 * Whether `value` is an IPv4 CIDR written as its network address (`10.0.0.0/16`) with a
 * prefix length in `[min, max]`.
 */
export function isIpv4Network(value: string, min = 0, max = 32): boolean {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(value) || !Address4.isValid(value)) return false;
  const prefix = Number(value.split('/')[1]);
  return new Address4(value).networkForm() === value && prefix >= min && prefix <= max;
}

/**
 * An IPv4 CIDR written as its network address, with a prefix length in `[min, max]`.
 * @param what the noun for the range-rule message (`the VPC range`)
 */
function ipv4Network(min = 0, max = 32, what = 'the range') {
  return z.string().superRefine((value, ctx) => {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(value) || !Address4.isValid(value)) {
      ctx.addIssue({ code: 'custom', message: `"${value}" must be an IPv4 CIDR like 10.0.0.0/16` });
      return;
    }
    const network = new Address4(value).networkForm();
    if (network !== value) {
      ctx.addIssue({
        code: 'custom',
        message: `${value} is not a network address (did you mean ${network}?)`,
      });
      return;
    }
    const prefix = Number(value.split('/')[1]);
    if (prefix < min || prefix > max)
      ctx.addIssue({
        code: 'custom',
        message: `${what} must be /${min} to /${max}, got /${prefix}`,
      });
  });
}

/**
 * Interface endpoints the network stack can create (service short names,
 * `com.amazonaws.<region>.<service>`). Source:
 * https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html
 */
export const INTERFACE_ENDPOINT_SERVICES = [
  'ecr.api',
  'ecr.dkr',
  'sts',
  'ec2',
  'logs',
  'ssm',
  'ssmmessages',
  'ec2messages',
  'kms',
  'secretsmanager',
  'sqs',
  'eks',
  'eks-auth',
  'elasticloadbalancing',
  'autoscaling',
  'monitoring',
] as const;
export type InterfaceEndpointService = (typeof INTERFACE_ENDPOINT_SERVICES)[number];

/** An Elastic IP allocation ID (`eipalloc-…`). */
const eipAllocationId = z
  .string()
  .regex(/^eipalloc-[0-9a-f]{8,17}$/, 'must be an Elastic IP allocation ID (eipalloc-…)');

const natSchema = z
  .object({
    mode: z
      .enum(['single', 'per-az'])
      .default('single')
      .describe(
        "`single` (default): one fck-nat instance for the whole VPC, the cheapest; every private route table sends 0.0.0.0/0 to it (cross-AZ traffic, and one AZ's failure cuts egress everywhere). `per-az`: one instance per AZ, each AZ routes to its own.",
      ),
    instanceType: z
      .string()
      .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'must be an EC2 instance type like t4g.nano')
      .default('t4g.nano')
      .describe(
        'EC2 instance type of every NAT instance (default `t4g.nano`). Graviton families (`t4g`, `c7gn`, …) get the arm64 AMI, all others the x86_64 AMI. Sizes: https://fck-nat.dev/stable/choosing_an_instance_size/',
      ),
    elasticIp: z
      .union([z.enum(['allocate', 'none']), z.array(eipAllocationId).min(1)])
      .default('allocate')
      .describe(
        "Public IPv4 of each NAT: `allocate` (default: an Elastic IP per NAT, created and kept by the network stack, so the egress address survives instance replacement), `none` (the instance's auto-assigned public IP, which changes on replacement), or a list of existing allocation IDs, one per NAT (1 for `single`, one per AZ in AZ order for `per-az`).",
      ),
    cloudWatchAgent: z
      .boolean()
      .default(false)
      .describe(
        'Run the CloudWatch agent on the NAT instances (metrics in namespace `fck-nat`; default false, costs extra).',
      ),
  })
  .strict();

const flowLogsSchema = z
  .object({
    retentionDays: z
      .number()
      .int()
      .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
        message: `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(90)
      .describe(
        'Days CloudWatch Logs keeps the VPC flow logs (default 90; one of the values CloudWatch accepts).',
      ),
  })
  .strict();

/** The `network` section (zod 4): field rules and defaults; cross-field rules are {@link checkNetwork}. */
export const networkSchema = z
  .object({
    account: name.describe(
      'Key of the member account (in `organization.accounts`) that holds the VPC.',
    ),
    cidr: ipv4Network(16, 24, 'the VPC range')
      .default('10.0.0.0/16')
      .describe('IPv4 range of the VPC, CIDR /16 to /24 (default `10.0.0.0/16`).'),
    availabilityZones: z
      .array(z.string())
      .min(2, 'needs 2 or 3 availability zones')
      .max(3, 'needs 2 or 3 availability zones')
      .describe('Availability zones by name (2 or 3) in `homeRegion`, e.g. `eu-central-1a`.'),
    clusterBlockPrefix: z
      .number()
      .int()
      .min(16, 'a cluster block must be /16 to /24')
      .max(24, 'a cluster block must be /16 to /24')
      .default(18)
      .describe(
        "Prefix length of each cluster's address block (default 18, i.e. /18 = 16,384 addresses).",
      ),
    publicSubnetPrefix: z
      .number()
      .int()
      .min(16)
      .max(
        27,
        'public subnets smaller than /27 are too small for EKS load balancers (an ALB needs a /27)',
      )
      .default(24)
      .describe(
        'Prefix length of each public subnet (default 24). At most /27: an ALB needs a /27 subnet with 8 free addresses. Source: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer',
      ),
    privateSubnetPrefix: z
      .number()
      .int()
      .min(16)
      .max(
        24,
        'private subnets smaller than /24 are too small for EKS nodes and pods (each pod takes a VPC address)',
      )
      .default(DEFAULT_PRIVATE_SUBNET_PREFIX)
      .describe(
        'Prefix length of each private subnet (default 20 = 4,096 addresses, of which the upper three quarters are reserved for VPC CNI /28 prefixes: 192 prefixes, 3,072 pod addresses per AZ). At most /24: with the VPC CNI every pod takes a VPC address. Networks created with the old default /22 keep their subnets by pinning `privateSubnetPrefix: 22` (see docs/network.md). Sources: https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html, https://docs.aws.amazon.com/eks/latest/userguide/cni-increase-ip-addresses-procedure.html',
      ),
    controlPlaneSubnetPrefix: z
      .number()
      .int()
      .min(24, 'a control-plane subnet must be /24 to /28')
      .max(
        28,
        'a control-plane subnet must be /24 to /28 (EKS needs at least 6 addresses per subnet)',
      )
      .default(DEFAULT_CONTROL_PLANE_SUBNET_PREFIX)
      .describe(
        'Prefix length of each control-plane subnet, the EKS control plane\'s network interfaces only (default 28). /24 to /28: EKS needs "at least six IP addresses" per subnet and recommends 16. Source: https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html',
      ),
    secondaryCidrs: z
      .array(ipv4Network(16, 28, 'a secondary VPC range'))
      .default([])
      .describe(
        'Secondary IPv4 ranges of the VPC (`aws_vpc_ipv4_cidr_block_association`), /16 to /28 each, in the order unpinned cluster blocks fill them once `cidr` is full (default none). Append only: removing one replaces the subnets in it. AWS also restricts which ranges may join a VPC (e.g. no 172.16.0.0/12 range beside a 10.0.0.0/8 one). Source: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html',
      ),
    clusterBlocks: z
      .record(name, ipv4Network(16, 28, 'a cluster block'))
      .default({})
      .describe(
        'Explicit address blocks by cluster key (`clusterBlocks.main-01: 10.0.0.0/18`): pinned blocks never move; unpinned clusters take the free blocks around them.',
      ),
    sharedBlock: ipv4Network(16, 24, 'the shared block (16 subnets of at least /28)')
      .optional()
      .describe(
        'The shared block: fck-nat subnets and interface-endpoint subnets, one of each per AZ (default: the last /22 of the VPC). /16 to /24.',
      ),
    nat: natSchema.prefault({}).describe('fck-nat instances (no NAT gateways anywhere).'),
    interfaceEndpoints: z
      .array(z.enum(INTERFACE_ENDPOINT_SERVICES))
      .default([])
      .describe(
        'Interface endpoints to create in the shared endpoint subnets, with private DNS and a security group admitting 443 from the VPC (default none). S3 and DynamoDB gateway endpoints are always created.',
      ),
    flowLogs: flowLogsSchema
      .prefault({})
      .describe('VPC flow logs (all traffic) to CloudWatch Logs, KMS-encrypted.'),
  })
  .strict();

/** The parsed `network` section, defaults applied. */
export type NetworkConfig = z.output<typeof networkSchema>;
/** The parsed `network.nat` section, defaults applied. */
export type NatConfig = NetworkConfig['nat'];

/** How many NAT instances a configuration runs: 1 for `single`, one per AZ for `per-az`. */
export function natCount(network: Pick<NetworkConfig, 'nat' | 'availabilityZones'>): number {
  return network.nat.mode === 'single' ? 1 : network.availabilityZones.length;
}

/**
 * The address planner's input for a `network` section and the environment's cluster keys (in
 * config order: the first-fit order of unpinned blocks). The one place that maps config field
 * names to {@link AddressPlanInput}: the schema's cross-field check and the network stack both
 * call it, so they always plan the same addresses. Pins of clusters that are not in
 * `clusterKeys` are dropped (the schema reports them as unknown clusters).
 * @param network the parsed `network` section
 * @param clusterKeys `Object.keys(env.clusters)`
 */
export function addressPlanInput(
  network: Pick<
    NetworkConfig,
    | 'cidr'
    | 'availabilityZones'
    | 'clusterBlockPrefix'
    | 'publicSubnetPrefix'
    | 'privateSubnetPrefix'
    | 'controlPlaneSubnetPrefix'
    | 'secondaryCidrs'
    | 'clusterBlocks'
    | 'sharedBlock'
  >,
  clusterKeys: readonly string[],
): AddressPlanInput {
  return {
    vpcCidr: network.cidr,
    availabilityZones: network.availabilityZones,
    clusters: clusterKeys,
    clusterBlockPrefix: network.clusterBlockPrefix,
    publicSubnetPrefix: network.publicSubnetPrefix,
    privateSubnetPrefix: network.privateSubnetPrefix,
    controlPlaneSubnetPrefix: network.controlPlaneSubnetPrefix,
    secondaryCidrs: network.secondaryCidrs,
    clusterBlocks: Object.fromEntries(
      Object.entries(network.clusterBlocks).filter(([k]) => clusterKeys.includes(k)),
    ),
    sharedBlock: network.sharedBlock,
  };
}

/** Cross-field rules for the network section (AZs against the region, NAT, address plan). */
export function checkNetwork(
  env: {
    homeRegion: string;
    network: NetworkConfig;
    organization: OrganizationConfig;
    clusters: Record<string, unknown>;
  },
  ctx: z.RefinementCtx,
): void {
  const net = env.network;
  if (!(net.account in env.organization.accounts)) {
    issue(ctx, ['network', 'account'], `unknown account "${net.account}"`);
  }
  let azsValid = true;
  net.availabilityZones.forEach((az, i) => {
    if (!new RegExp(`^${env.homeRegion}[a-z]$`).test(az)) {
      azsValid = false;
      issue(
        ctx,
        ['network', 'availabilityZones', i],
        `"${az}" is not an availability zone of ${env.homeRegion}`,
      );
    }
  });
  for (const d of duplicates(net.availabilityZones)) {
    azsValid = false;
    issue(
      ctx,
      ['network', 'availabilityZones', d.index],
      `duplicate availability zone "${d.value}"`,
    );
  }
  for (const d of duplicates(net.interfaceEndpoints)) {
    issue(
      ctx,
      ['network', 'interfaceEndpoints', d.index],
      `duplicate interface endpoint "${d.value}"`,
    );
  }
  if (Array.isArray(net.nat.elasticIp)) {
    const want = natCount(net);
    if (net.nat.elasticIp.length !== want) {
      issue(
        ctx,
        ['network', 'nat', 'elasticIp'],
        `needs ${want} allocation ID(s), one per NAT instance (mode ${net.nat.mode}, ${net.availabilityZones.length} AZs), got ${net.nat.elasticIp.length}`,
      );
    }
    for (const d of duplicates(net.nat.elasticIp)) {
      issue(ctx, ['network', 'nat', 'elasticIp', d.index], `duplicate allocation ID "${d.value}"`);
    }
  }
  for (const key of Object.keys(net.clusterBlocks)) {
    if (!(key in env.clusters))
      issue(ctx, ['network', 'clusterBlocks', key], `unknown cluster "${key}"`);
  }
  // The plan keys subnets on AZ letters and needs valid ranges and prefixes: skip it until
  // those are valid (their own rules have reported them, once).
  const inRange = (n: number, min: number, max: number) =>
    Number.isInteger(n) && n >= min && n <= max;
  const rangesValid =
    inRange(net.clusterBlockPrefix, 16, 24) &&
    inRange(net.publicSubnetPrefix, 16, 27) &&
    inRange(net.privateSubnetPrefix, 16, 24) &&
    inRange(net.controlPlaneSubnetPrefix, 24, 28) &&
    net.secondaryCidrs.every((c) => isIpv4Network(c, 16, 28)) &&
    isIpv4Network(net.cidr, 16, 24) &&
    Object.values(net.clusterBlocks).every((b) => isIpv4Network(b, 16, 28)) &&
    (net.sharedBlock === undefined || isIpv4Network(net.sharedBlock, 16, 24));
  if (!azsValid || !rangesValid) return;
  for (const p of addressPlanProblems(addressPlanInput(net, Object.keys(env.clusters)))) {
    issue(ctx, p.path, p.message);
  }
}
