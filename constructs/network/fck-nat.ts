/**
 * One fck-nat NAT instance (https://fck-nat.dev) kept alive by an Auto Scaling group.
 *
 * - A static ENI (source/destination check off) is what route tables point at; the instance
 *   attaches it at boot (fck-nat's `eni_id` setting), so a replacement instance takes over
 *   the same route target and private IP.
 *   Source: https://fck-nat.dev/stable/features/#high-availability-mode
 * - The launch template uses the fck-nat Amazon Linux 2023 AMI of the pinned release
 *   (`envs/versions.ts`), looked up by its publisher account and a name filter for the
 *   architecture matching the instance type; IMDSv2 is required and the gp3 root volume is
 *   encrypted.
 * - An Auto Scaling group with min = max = 1 replaces a failed instance. Replacement takes
 *   minutes (boot + ENI attach) and drops every open connection through the NAT. An instance
 *   that has not attached the static ENI 300 s after boot (EC2 status checks cannot see that)
 *   marks itself unhealthy (`autoscaling:SetInstanceHealth`, on its own group only) and is
 *   replaced.
 * - Optional Elastic IP (allocated here, or an existing allocation ID), associated by the
 *   instance at boot with the public interface (fck-nat's `eip_id`), so egress keeps one
 *   address across replacements.
 * - The instance role may attach only this NAT's ENI, only to instances running with this
 *   NAT's instance profile; it may associate only this NAT's EIP, only with network
 *   interfaces in the NAT's subnet tagged as this NAT's (or its own instances); it may turn
 *   off the source/destination check only on those interfaces; plus SSM Session Manager
 *   access (`AmazonSSMManagedInstanceCore`), and with the optional CloudWatch agent, metrics
 *   in the `fck-nat` namespace and its own configuration parameter. Nothing else, no `*`
 *   resource except `cloudwatch:PutMetricData` (which has no resource type).
 *   IAM needs per fck-nat: https://fck-nat.dev/stable/features/ ; resource types and
 *   condition keys: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 */
import { Construct } from 'constructs';
import { Fn, Token, type TerraformProvider } from 'cdktf';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsEip } from '@cdktf/provider-aws/lib/data-aws-eip';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { NetworkInterface } from '@cdktf/provider-aws/lib/network-interface';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { FCK_NAT_AMI, fckNatAmiNamePattern } from '../../envs/versions';
import { agentConfiguration, fckNatUserData } from './fck-nat-boot';
import { fckNatPolicyStatements, FCK_NAT_TAG } from './fck-nat-iam';

export { FCK_NAT_TAG } from './fck-nat-iam';
export { FCK_NAT_METRICS_NAMESPACE } from './fck-nat-boot';

/**
 * The CPU architecture of an EC2 instance type: Graviton families (a digit followed by `g`
 * in the family, e.g. `t4g`, `c7gn`, `x2gd`, `im4gn`, or `a1`) run `arm64`, all others `x86_64`.
 * Families: https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html
 * @param instanceType e.g. `t4g.nano`
 */
export function instanceArchitecture(instanceType: string): 'arm64' | 'x86_64' {
  const family = instanceType.split('.')[0];
  return /^[a-z]+\d+g/.test(family) || family === 'a1' ? 'arm64' : 'x86_64';
}

/** Where a NAT's public IPv4 comes from. */
export type FckNatElasticIp =
  /** Allocate an Elastic IP here (kept across instance replacements). */
  | { readonly mode: 'allocate' }
  /** No Elastic IP: the instance's auto-assigned public IP (changes on replacement). */
  | { readonly mode: 'none' }
  /** An existing allocation (`eipalloc-…`). */
  | { readonly mode: 'given'; readonly allocationId: string };

/** Props of {@link FckNat}. */
export interface FckNatProps {
  /** Name of the NAT's resources (role, instance profile, launch template, ASG, security group), at most 64 characters (IAM role names). */
  readonly name: string;
  /** VPC ID. */
  readonly vpcId: string;
  /**
   * Public subnet (route 0.0.0.0/0 to an internet gateway) of the NAT: its static ENI and the
   * instance live here.
   */
  readonly subnetId: string;
  /** ARN of that subnet (scopes the instance role's permissions on network interfaces). */
  readonly subnetArn: string;
  /**
   * IPv4 ranges (CIDR) allowed to send traffic through the NAT; required when
   * `securityGroupId` is not given (the security group this construct creates admits them).
   */
  readonly allowedCidrs?: string[];
  /** An existing security group for the ENIs (default: one created here, see `allowedCidrs`). */
  readonly securityGroupId?: string;
  /** EC2 instance type (default `t4g.nano`); the AMI's architecture follows it. */
  readonly instanceType?: string;
  /** Public IPv4 (default `{ mode: 'allocate' }`). */
  readonly elasticIp?: FckNatElasticIp;
  /** Run the CloudWatch agent with fck-nat's NAT-gateway-like metrics (default false). */
  readonly cloudWatchAgent?: boolean;
  /**
   * Seconds after boot by which the instance must hold the static ENI, or it marks itself
   * unhealthy and the Auto Scaling group replaces it (default 300; see `fckNatUserData`).
   */
  readonly eniAttachTimeoutSeconds?: number;
  /** Root volume size, GiB (default: the AMI snapshot's size). */
  readonly rootVolumeSizeGib?: number;
  /** Extra tags on every resource (the provider's default tags apply as well). */
  readonly tags?: Record<string, string>;
  /** Provider (account/region) for every resource. */
  readonly provider?: TerraformProvider;
}

/** A fck-nat instance behind a static ENI. */
export class FckNat extends Construct {
  /** The static ENI: the route target (`network_interface_id`) for private route tables. */
  readonly networkInterface: NetworkInterface;
  /** ID of the security group of the NAT's interfaces. */
  readonly securityGroupId: string;
  /** The security group, when this construct created it. */
  readonly securityGroup?: SecurityGroup;
  /** Launch template: fck-nat AMI, IMDSv2 required (hop limit 1), encrypted gp3 root volume. */
  readonly launchTemplate: LaunchTemplate;
  /** Auto Scaling group keeping exactly one instance (min = max = desired = 1). */
  readonly autoScalingGroup: AutoscalingGroup;
  /** Instance role (see the module doc for its permissions). */
  readonly role: IamRole;
  /** Instance profile of {@link role}; its ARN scopes the role's instance permissions. */
  readonly instanceProfile: IamInstanceProfile;
  /** The AMI lookup. */
  readonly ami: DataAwsAmi;
  /** `arm64` or `x86_64`, from the instance type. */
  readonly architecture: 'arm64' | 'x86_64';
  /** The Elastic IP allocated here (mode `allocate`). */
  readonly eip?: Eip;
  /** Allocation ID of the NAT's Elastic IP (modes `allocate` and `given`). */
  readonly eipAllocationId?: string;
  /** The CloudWatch agent configuration parameter (with `cloudWatchAgent`). */
  readonly agentConfig?: SsmParameter;

  /**
   * @throws Error if neither `securityGroupId` nor a non-empty `allowedCidrs` is given
   */
  constructor(scope: Construct, id: string, props: FckNatProps) {
    super(scope, id);
    const provider = props.provider;
    const name = props.name;
    const tags = { ...props.tags, Name: name };
    const instanceType = props.instanceType ?? 't4g.nano';
    this.architecture = instanceArchitecture(instanceType);
    const elasticIp = props.elasticIp ?? { mode: 'allocate' };

    const partition = new DataAwsPartition(this, 'partition', { provider });
    const region = new DataAwsRegion(this, 'region', { provider });
    const account = new DataAwsCallerIdentity(this, 'account', { provider });

    if (props.securityGroupId) {
      this.securityGroupId = props.securityGroupId;
    } else {
      const cidrs = props.allowedCidrs ?? [];
      if (cidrs.length === 0)
        throw new Error(`FckNat ${name}: give securityGroupId or a non-empty allowedCidrs`);
      this.securityGroup = new SecurityGroup(this, 'security-group', {
        provider,
        name,
        description: `fck-nat ${name}: traffic from the VPC, egress to the internet`,
        vpcId: props.vpcId,
        tags,
      });
      cidrs.forEach((cidr, i) => {
        new VpcSecurityGroupIngressRule(this, `ingress-${i}`, {
          provider,
          securityGroupId: this.securityGroup!.id,
          cidrIpv4: cidr,
          ipProtocol: '-1',
          description: `Traffic to NAT from ${cidr}`,
        });
      });
      new VpcSecurityGroupEgressRule(this, 'egress', {
        provider,
        securityGroupId: this.securityGroup.id,
        cidrIpv4: '0.0.0.0/0',
        ipProtocol: '-1',
        description: 'NAT egress to the internet',
      });
      this.securityGroupId = this.securityGroup.id;
    }

    this.networkInterface = new NetworkInterface(this, 'eni', {
      provider,
      subnetId: props.subnetId,
      securityGroups: [this.securityGroupId],
      sourceDestCheck: false,
      description: `fck-nat ${name} static interface (route target)`,
      tags: { ...tags, [FCK_NAT_TAG]: name },
    });

    if (elasticIp.mode === 'allocate') {
      this.eip = new Eip(this, 'eip', { provider, domain: 'vpc', tags });
      this.eipAllocationId = this.eip.allocationId;
    } else if (elasticIp.mode === 'given') {
      this.eipAllocationId = elasticIp.allocationId;
    }
    const eipArn = this.eip
      ? this.eip.arn
      : elasticIp.mode === 'given'
        ? new DataAwsEip(this, 'given-eip', { provider, id: elasticIp.allocationId }).arn
        : undefined;

    if (props.cloudWatchAgent) {
      this.agentConfig = new SsmParameter(this, 'cloudwatch-agent-config', {
        provider,
        name: `/${name}/cloudwatch-agent`,
        description: `CloudWatch agent configuration of fck-nat ${name}`,
        type: 'String',
        value: JSON.stringify(agentConfiguration()),
        tags,
      });
    }

    // Instance role: ENI attach, EIP association, SSM, optional metrics.
    const assume = new DataAwsIamPolicyDocument(this, 'assume-role', {
      provider,
      statement: [
        {
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }],
        },
      ],
    });
    this.role = new IamRole(this, 'role', {
      provider,
      name,
      description: `fck-nat ${name} instance role`,
      assumeRolePolicy: assume.json,
      tags,
    });
    this.instanceProfile = new IamInstanceProfile(this, 'instance-profile', {
      provider,
      name,
      role: this.role.name,
      tags,
    });

    const statements = fckNatPolicyStatements({
      arnPrefix: `arn:${partition.partition}:ec2:${region.name}:${account.accountId}`,
      name,
      instanceProfileArn: this.instanceProfile.arn,
      subnetArn: props.subnetArn,
      staticEniArn: this.networkInterface.arn,
      eipArn,
      agentConfigArn: this.agentConfig?.arn,
      autoScalingGroupArn: `arn:${partition.partition}:autoscaling:${region.name}:${account.accountId}:autoScalingGroup:*:autoScalingGroupName/${name}`,
    });
    const policy = new DataAwsIamPolicyDocument(this, 'policy', {
      provider,
      statement: statements,
    });
    new IamRolePolicy(this, 'role-policy', {
      provider,
      role: this.role.name,
      name: 'fck-nat',
      policy: policy.json,
    });
    new IamRolePolicyAttachment(this, 'ssm', {
      provider,
      role: this.role.name,
      policyArn: `arn:${partition.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    });

    this.ami = new DataAwsAmi(this, 'ami', {
      provider,
      owners: [FCK_NAT_AMI.owner],
      mostRecent: true,
      filter: [
        { name: 'name', values: [fckNatAmiNamePattern(this.architecture)] },
        { name: 'architecture', values: [this.architecture] },
        { name: 'state', values: ['available'] },
      ],
    });

    // fck-nat reads /etc/fck-nat.conf and is restarted to apply it.
    // Source: https://fck-nat.dev/stable/configuration/
    const conf = [
      `eni_id=${this.networkInterface.id}`,
      ...(this.eipAllocationId ? [`eip_id=${this.eipAllocationId}`] : []),
      ...(this.agentConfig
        ? ['cwagent_enabled=true', `cwagent_cfg_param_name=${this.agentConfig.name}`]
        : []),
    ];
    const userData = fckNatUserData(conf, {
      eniId: this.networkInterface.id,
      timeoutSeconds: props.eniAttachTimeoutSeconds,
    });

    const launchTags = { ...tags, [FCK_NAT_TAG]: name };
    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      provider,
      name,
      description: `fck-nat ${name} (${FCK_NAT_AMI.version}, ${this.architecture})`,
      imageId: this.ami.id,
      instanceType,
      iamInstanceProfile: { arn: this.instanceProfile.arn },
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: 1,
      },
      blockDeviceMappings: [
        {
          deviceName: this.ami.rootDeviceName,
          ebs: {
            volumeType: 'gp3',
            encrypted: 'true',
            deleteOnTermination: 'true',
            volumeSize: props.rootVolumeSizeGib,
          },
        },
      ],
      // The launch interface is the public side: fck-nat masquerades out of it.
      networkInterfaces: [
        {
          deviceIndex: 0,
          associatePublicIpAddress: 'true',
          deleteOnTermination: 'true',
          securityGroups: [this.securityGroupId],
        },
      ],
      tagSpecifications: ['instance', 'volume', 'network-interface'].map((resourceType) => ({
        resourceType,
        tags: launchTags,
      })),
      userData: Fn.base64encode(userData),
      updateDefaultVersion: true,
      tags,
    });

    this.autoScalingGroup = new AutoscalingGroup(this, 'asg', {
      provider,
      name,
      minSize: 1,
      maxSize: 1,
      desiredCapacity: 1,
      vpcZoneIdentifier: [props.subnetId],
      healthCheckType: 'EC2',
      healthCheckGracePeriod: 60,
      // A new launch template version (e.g. a refreshed AMI) applies to the next instance; the
      // running one is not replaced by an apply (start an instance refresh in a maintenance window).
      launchTemplate: {
        id: this.launchTemplate.id,
        version: Token.asString(this.launchTemplate.latestVersion),
      },
      tag: [{ key: 'Name', value: name, propagateAtLaunch: false }],
    });
  }
}
