/**
 * Interface VPC endpoints (AWS PrivateLink) with private DNS, in the given subnets, behind a
 * security group that admits HTTPS (443/tcp) from the given ranges only.
 * Source: https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';

/** Props of {@link InterfaceEndpoints}. */
export interface InterfaceEndpointsProps {
  /** Name prefix of the security group and the endpoints' `Name` tags. */
  readonly name: string;
  /** VPC ID. */
  readonly vpcId: string;
  /** IPv4 ranges (CIDR) admitted on 443/tcp (normally the VPC range). */
  readonly allowedCidrs: string[];
  /** Subnets of the endpoint interfaces, at most one per AZ. */
  readonly subnetIds: string[];
  /** Region of the services (`eu-central-1`). */
  readonly region: string;
  /** Service short names (`ecr.api`, `sts`, …): `com.amazonaws.<region>.<service>`. */
  readonly services: readonly string[];
  /** Extra tags on every resource (default none). */
  readonly tags?: Record<string, string>;
  /** Provider (account/region) of every resource (default: the stack's default AWS provider). */
  readonly provider?: TerraformProvider;
}

/** Interface endpoints for a list of AWS services. */
export class InterfaceEndpoints extends Construct {
  /** The endpoints' security group (443 from `allowedCidrs`, no egress rules). */
  readonly securityGroup: SecurityGroup;
  /** Endpoints by service short name. */
  readonly endpoints: Record<string, VpcEndpoint> = {};

  constructor(scope: Construct, id: string, props: InterfaceEndpointsProps) {
    super(scope, id);
    const provider = props.provider;
    this.securityGroup = new SecurityGroup(this, 'security-group', {
      provider,
      name: `${props.name}-vpc-endpoints`,
      description: 'Interface endpoints: HTTPS from the VPC',
      vpcId: props.vpcId,
      tags: { ...props.tags, Name: `${props.name}-vpc-endpoints` },
    });
    props.allowedCidrs.forEach((cidr, i) => {
      new VpcSecurityGroupIngressRule(this, `https-${i}`, {
        provider,
        securityGroupId: this.securityGroup.id,
        cidrIpv4: cidr,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        description: `HTTPS from ${cidr}`,
      });
    });
    for (const service of props.services) {
      this.endpoints[service] = new VpcEndpoint(this, service.replace(/\./g, '-'), {
        provider,
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: props.subnetIds,
        securityGroupIds: [this.securityGroup.id],
        tags: { ...props.tags, Name: `${props.name}-${service}` },
      });
    }
  }
}
