/**
 * The network stack's fck-nat construct (ENI, launch template, ASG, IAM, security group) in
 * the example environment (per-AZ NAT, no NAT gateway), the instance architecture it derives
 * from the instance type, and the construct on its own. The rest of the stack:
 * network-stack.test.ts.
 */
import type {} from 'cdktf/lib/testing/adapters/jest'; // types of cdktf's jest matchers
import { Testing } from 'cdktf';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { NetworkInterface } from '@cdktf/provider-aws/lib/network-interface';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { FckNat, instanceArchitecture } from '../../constructs/network/fck-nat';
import { ref } from '../support/network-fixtures';
import { dataOf, resourcesOf, sharedExample, synthStack } from '../support/synth';

describe('network stack (example: per-AZ NAT)', () => {
  let synth: string;
  let json: Record<string, any>;
  beforeAll(() => {
    synth = synthStack(sharedExample().network);
    json = JSON.parse(synth);
  });

  it('creates no NAT gateway', () => {
    expect(resourcesOf(json, 'aws_nat_gateway')).toEqual({});
  });

  it('gives each NAT a static ENI with source/destination check off in its AZ NAT subnet', () => {
    expect(synth).toHaveResourceWithProperties(NetworkInterface, { source_dest_check: false });
    const enis = Object.values(resourcesOf(json, NetworkInterface.tfResourceType));
    expect(enis).toHaveLength(3);
    const subnets = resourcesOf(json, 'aws_subnet');
    for (const eni of enis) {
      const subnet = subnets[ref(eni.subnet_id)!.split('.')[1]];
      expect(subnet.tags.Name).toBe(`acme-shared-nat-${subnet.availability_zone}`);
      expect(eni.tags.Name).toBe(`acme-nat-${subnet.availability_zone}`);
    }
  });

  it('launches fck-nat from the pinned arm64 AMI with IMDSv2, encrypted gp3 and the ENI in user data', () => {
    const amis = Object.values(dataOf(json, 'aws_ami'));
    expect(amis).toHaveLength(3);
    for (const ami of amis) {
      expect(ami.owners).toEqual(['568608671756']);
      expect(ami.most_recent).toBe(true);
      expect(ami.filter).toEqual(
        expect.arrayContaining([
          { name: 'name', values: ['fck-nat-al2023-hvm-1.4.0-*-arm64-ebs'] },
          { name: 'architecture', values: ['arm64'] },
        ]),
      );
    }
    const lts = Object.values(resourcesOf(json, 'aws_launch_template'));
    expect(lts).toHaveLength(3);
    for (const lt of lts) {
      expect(lt.instance_type).toBe('t4g.nano');
      expect(lt.metadata_options).toEqual({
        http_endpoint: 'enabled',
        http_tokens: 'required',
        http_put_response_hop_limit: 1,
      });
      expect(lt.block_device_mappings[0].ebs).toMatchObject({
        volume_type: 'gp3',
        encrypted: 'true',
      });
      expect(lt.network_interfaces[0]).toMatchObject({
        device_index: 0,
        associate_public_ip_address: 'true',
      });
      expect(lt.user_data).toMatch(/^\$\{base64encode\(/);
      expect(lt.user_data).toContain('eni_id=${aws_network_interface.');
      expect(lt.user_data).toContain('eip_id=${aws_eip.');
      expect(lt.user_data).toContain('systemctl restart fck-nat.service');
    }
  });

  it('keeps one instance per NAT with an ASG of min = max = 1', () => {
    expect(synth).toHaveResourceWithProperties(AutoscalingGroup, {
      min_size: 1,
      max_size: 1,
      desired_capacity: 1,
    });
    const asgs = Object.values(resourcesOf(json, AutoscalingGroup.tfResourceType));
    expect(asgs).toHaveLength(3);
    for (const asg of asgs) {
      expect(asg.vpc_zone_identifier).toHaveLength(1);
      expect(ref(asg.launch_template.id)).toMatch(/^aws_launch_template\./);
    }
  });

  it('lets each NAT role attach only its own ENI and associate only its own EIP', () => {
    const docs = dataOf(json, 'aws_iam_policy_document');
    const natDocs = Object.entries(docs).filter(([k]) => /nat-eu-central-1[abc]_policy_/.test(k));
    expect(natDocs).toHaveLength(3);
    for (const [key, doc] of natDocs) {
      const az = /nat-(eu-central-1[abc])_/.exec(key)![1];
      const sid = (s: string) => doc.statement.find((x: any) => x.sid === s);
      // Exactly these grants, nothing else (no CloudWatch agent in the example).
      expect(
        Object.fromEntries(doc.statement.map((s: any) => [s.sid, [...s.actions].sort()])),
      ).toEqual({
        AttachOwnStaticEni: ['ec2:AttachNetworkInterface'],
        OnlyOwnInstances: [
          'ec2:AssociateAddress',
          'ec2:AttachNetworkInterface',
          'ec2:DisassociateAddress',
          'ec2:ModifyNetworkInterfaceAttribute',
        ],
        DisableSourceDestCheckOnOwnInterfaces: ['ec2:ModifyNetworkInterfaceAttribute'],
        // fck-nat docs/configuration.md, "IAM Requirements": Static IP (`eip_id`) needs
        // "ec2:AssociateAddress, ec2:DisassociateAddress" (AndrewGuenther/fck-nat).
        AssociateOwnEip: ['ec2:AssociateAddress', 'ec2:DisassociateAddress'],
        AssociateEipWithOwnInterfaces: ['ec2:AssociateAddress', 'ec2:DisassociateAddress'],
        MarkOwnInstanceUnhealthy: ['autoscaling:SetInstanceHealth'],
      });
      // The ENI watchdog may mark instances unhealthy only in its own group (ARN format:
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2autoscaling.html).
      expect(sid('MarkOwnInstanceUnhealthy').resources).toEqual([
        expect.stringMatching(
          /:autoscaling:.*:autoScalingGroup:\*:autoScalingGroupName\/acme-nat-eu-central-1[abc]$/,
        ),
      ]);
      for (const s of doc.statement) expect(s.effect).toBe('Allow');
      expect(sid('AttachOwnStaticEni').resources).toEqual([
        expect.stringMatching(
          new RegExp(`^\\$\\{aws_network_interface\\.shared-vpc_nat-${az}_eni_\\w+\\.arn\\}$`),
        ),
      ]);
      expect(sid('AttachOwnStaticEni').condition).toBeUndefined();
      expect(sid('OnlyOwnInstances').resources).toEqual([expect.stringMatching(/:instance\/\*$/)]);
      expect(sid('OnlyOwnInstances').condition).toEqual([
        {
          test: 'ArnEquals',
          variable: 'ec2:InstanceProfile',
          values: [expect.stringMatching(new RegExp(`nat-${az}_instance-profile_\\w+\\.arn`))],
        },
      ]);
      expect(sid('AssociateOwnEip').resources).toEqual([
        expect.stringMatching(
          new RegExp(`^\\$\\{aws_eip\\.shared-vpc_nat-${az}_eip_\\w+\\.arn\\}$`),
        ),
      ]);
      for (const s of ['DisableSourceDestCheckOnOwnInterfaces', 'AssociateEipWithOwnInterfaces']) {
        expect(sid(s).resources).toEqual([expect.stringMatching(/:network-interface\/\*$/)]);
        expect(sid(s).condition).toEqual([
          {
            test: 'ArnEquals',
            variable: 'ec2:Subnet',
            values: [expect.stringMatching(new RegExp(`shared-nat-${az}_\\w+\\.arn`))],
          },
          {
            test: 'StringEquals',
            variable: 'aws:ResourceTag/FckNat',
            values: [`acme-nat-${az}`],
          },
        ]);
      }
      // nothing on "*" except what has no resource type
      for (const s of doc.statement) expect(s.resources).not.toContain('*');
    }
    expect(synth).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      policy_arn: expect.stringMatching(
        /^arn:\$\{data\.aws_partition\.[^}]+\.partition\}:iam::aws:policy\/AmazonSSMManagedInstanceCore$/,
      ),
    });
  });

  it('admits the VPC range on the NAT security group and egresses to the internet', () => {
    const ingress = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'));
    expect(ingress).toEqual([
      expect.objectContaining({ cidr_ipv4: '10.0.0.0/16', ip_protocol: '-1' }),
    ]);
    expect(Object.values(resourcesOf(json, 'aws_security_group'))).toHaveLength(1); // shared by the 3 NATs
  });
});

describe('instanceArchitecture', () => {
  it.each([
    ['t4g.nano', 'arm64'],
    ['c7gn.large', 'arm64'],
    ['x2gd.xlarge', 'arm64'],
    ['im4gn.large', 'arm64'],
    ['a1.medium', 'arm64'],
    ['t3.micro', 'x86_64'],
    ['g4dn.xlarge', 'x86_64'],
    ['m7i-flex.large', 'x86_64'],
  ])('%s → %s', (type, arch) => expect(instanceArchitecture(type)).toBe(arch));
});

describe('FckNat construct on its own', () => {
  const props = {
    name: 'solo-nat',
    vpcId: 'vpc-0123456789abcdef0',
    subnetId: 'subnet-0123456789abcdef0',
    subnetArn: 'arn:aws:ec2:eu-central-1:123456789012:subnet/subnet-0123456789abcdef0',
  };

  it('without an Elastic IP grants no AssociateAddress and configures no eip_id', () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new FckNat(scope, 'nat', {
          ...props,
          allowedCidrs: ['10.0.0.0/16'],
          elasticIp: { mode: 'none' },
        });
      }),
    );
    expect(resourcesOf(json, 'aws_eip')).toEqual({});
    const doc = Object.entries(dataOf(json, 'aws_iam_policy_document')).find(([k]) =>
      k.startsWith('nat_policy'),
    )![1];
    const actions = doc.statement.flatMap((s: any) => s.actions);
    expect(actions).not.toContain('ec2:AssociateAddress');
    expect([...new Set(actions)].sort()).toEqual([
      'autoscaling:SetInstanceHealth',
      'ec2:AttachNetworkInterface',
      'ec2:ModifyNetworkInterfaceAttribute',
    ]);
    const lt = Object.values(resourcesOf(json, 'aws_launch_template'))[0];
    expect(lt.user_data).not.toContain('eip_id=');
    expect(lt.user_data).toContain('eni_id=');
  });

  it('uses a given security group instead of creating one', () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new FckNat(scope, 'nat', { ...props, securityGroupId: 'sg-0123456789abcdef0' });
      }),
    );
    expect(resourcesOf(json, 'aws_security_group')).toEqual({});
    expect(Object.values(resourcesOf(json, 'aws_network_interface'))[0].security_groups).toEqual([
      'sg-0123456789abcdef0',
    ]);
  });

  it('throws without a security group or allowed ranges', () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new FckNat(scope, 'nat', props);
      }),
    ).toThrow('FckNat solo-nat: give securityGroupId or a non-empty allowedCidrs');
  });
});
