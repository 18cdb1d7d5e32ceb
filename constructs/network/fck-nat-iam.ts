/**
 * The fck-nat instance role's inline policy, least privilege: the instance may attach only its
 * NAT's static ENI, only to instances running with the NAT's instance profile; it may associate
 * only the NAT's EIP, only with network interfaces in the NAT's subnet tagged as the NAT's (or
 * its own instances); it may turn off the source/destination check only on those interfaces;
 * with the optional CloudWatch agent, read its own configuration parameter and put metrics in
 * the `fck-nat` namespace. No `*` resource except `cloudwatch:PutMetricData` (which has no
 * resource type).
 *
 * IAM needs per fck-nat: https://fck-nat.dev/stable/features/ ; resource types and condition
 * keys: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 */
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { FCK_NAT_METRICS_NAMESPACE } from './fck-nat-boot';

/** The tag key that marks the network interfaces of one NAT (value: the NAT's name). */
export const FCK_NAT_TAG = 'FckNat';

/** Inputs of {@link fckNatPolicyStatements}: ARNs and names of one NAT (tokens allowed). */
export interface FckNatPolicyInput {
  /** `arn:<partition>:ec2:<region>:<account>` of the NAT's account and region. */
  readonly arnPrefix: string;
  /** The NAT's name (value of its {@link FCK_NAT_TAG} tag). */
  readonly name: string;
  /** ARN of the instance profile the NAT's instances run with. */
  readonly instanceProfileArn: string;
  /** ARN of the subnet the NAT's instances launch in. */
  readonly subnetArn: string;
  /** ARN of the static ENI the route tables point at. */
  readonly staticEniArn: string;
  /** ARN of the Elastic IP to associate at boot (none: no EIP statements). */
  readonly eipArn?: string;
  /** ARN of the CloudWatch agent's SSM parameter (none: no agent statements). */
  readonly agentConfigArn?: string;
  /** ARN of the NAT's Auto Scaling group (the ENI watchdog marks its own instance unhealthy); none: no statement. */
  readonly autoScalingGroupArn?: string;
}

/** The statements of the fck-nat instance role's inline policy (see the module comment). */
export function fckNatPolicyStatements(p: FckNatPolicyInput): DataAwsIamPolicyDocumentStatement[] {
  // Least privilege, per the Service Authorization Reference (resource types and condition
  // keys of each action: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html):
  // - AttachNetworkInterface needs `network-interface*` and `instance*`;
  // - ModifyNetworkInterfaceAttribute needs `network-interface*` (`instance` optional);
  // - AssociateAddress takes `elastic-ip`, `network-interface` and `instance` (all optional).
  // `ec2:InstanceProfile` and `ec2:Subnet` are ARN-typed keys, hence ArnEquals.
  // fck-nat calls exactly these three actions at boot (service/fck-nat.sh in
  // https://github.com/AndrewGuenther/fck-nat): associate-address of `eip_id` with the launch
  // interface, modify-network-interface-attribute --no-source-dest-check on the launch
  // interface, attach-network-interface of `eni_id` to its own instance.
  const ownInstances: DataAwsIamPolicyDocumentStatement = {
    sid: 'OnlyOwnInstances',
    effect: 'Allow',
    actions: [
      'ec2:AttachNetworkInterface',
      'ec2:ModifyNetworkInterfaceAttribute',
      ...(p.eipArn ? ['ec2:AssociateAddress', 'ec2:DisassociateAddress'] : []),
    ],
    // No resource attribute exists for "instances launched from this ASG": scope by the
    // instance profile they run with instead.
    resources: [`${p.arnPrefix}:instance/*`],
    condition: [
      { test: 'ArnEquals', variable: 'ec2:InstanceProfile', values: [p.instanceProfileArn] },
    ],
  };
  // The instance's own (launch-time) interfaces: in this NAT's subnet, tagged as this NAT's
  // (the launch template tags them; the role cannot tag anything).
  const ownLaunchInterfaces = {
    resources: [`${p.arnPrefix}:network-interface/*`],
    condition: [
      { test: 'ArnEquals', variable: 'ec2:Subnet', values: [p.subnetArn] },
      { test: 'StringEquals', variable: `aws:ResourceTag/${FCK_NAT_TAG}`, values: [p.name] },
    ],
  };
  const statements: DataAwsIamPolicyDocumentStatement[] = [
    {
      sid: 'AttachOwnStaticEni',
      effect: 'Allow',
      actions: ['ec2:AttachNetworkInterface'],
      resources: [p.staticEniArn],
    },
    ownInstances,
    {
      sid: 'DisableSourceDestCheckOnOwnInterfaces',
      effect: 'Allow',
      actions: ['ec2:ModifyNetworkInterfaceAttribute'],
      ...ownLaunchInterfaces,
    },
  ];
  if (p.eipArn) {
    statements.push(
      // fck-nat's documented IAM for `eip_id`: "ec2:AssociateAddress, ec2:DisassociateAddress"
      // (docs/configuration.md, "IAM Requirements"): `associate-address --allow-reassociation`
      // moves the EIP off a previous instance's interface.
      {
        sid: 'AssociateOwnEip',
        effect: 'Allow',
        actions: ['ec2:AssociateAddress', 'ec2:DisassociateAddress'],
        resources: [p.eipArn],
      },
      {
        sid: 'AssociateEipWithOwnInterfaces',
        effect: 'Allow',
        actions: ['ec2:AssociateAddress', 'ec2:DisassociateAddress'],
        ...ownLaunchInterfaces,
      },
    );
  }
  if (p.autoScalingGroupArn) {
    // SetInstanceHealth takes the `autoScalingGroup` resource type:
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2autoscaling.html
    statements.push({
      sid: 'MarkOwnInstanceUnhealthy',
      effect: 'Allow',
      actions: ['autoscaling:SetInstanceHealth'],
      resources: [p.autoScalingGroupArn],
    });
  }
  if (p.agentConfigArn) {
    statements.push(
      {
        sid: 'ReadAgentConfig',
        effect: 'Allow',
        actions: ['ssm:GetParameter'],
        resources: [p.agentConfigArn],
      },
      {
        sid: 'PutNatMetrics',
        effect: 'Allow',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'], // PutMetricData has no resource types; scoped by namespace
        condition: [
          {
            test: 'StringEquals',
            variable: 'cloudwatch:namespace',
            values: [FCK_NAT_METRICS_NAMESPACE],
          },
        ],
      },
    );
  }
  return statements;
}
