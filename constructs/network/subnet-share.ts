/**
 * VPC sharing through AWS RAM: one resource share of a cluster's subnets with the account that
 * runs the cluster. The VPC owner (this stack's account) keeps the VPC, subnets, route tables,
 * NAT and endpoints; the participant creates its EKS cluster, nodes, load balancers and security
 * groups in the shared subnets.
 *
 * - `allow_external_principals = false`: the share admits accounts of this organization only
 *   ("Owners can share subnets only with other accounts or organizational units that are in the
 *   same organization from AWS Organizations").
 * - Needs RAM sharing with AWS Organizations enabled from the management account
 *   (`aws_ram_sharing_with_organization`, organization stack); then "no resource share
 *   invitation is sent and resources become available automatically" (provider docs,
 *   `aws_ram_principal_association`).
 *
 * Sources: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-sharing.html,
 * https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/ram_principal_association
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { RamResourceShare } from '@cdktf/provider-aws/lib/ram-resource-share';
import { RamResourceAssociation } from '@cdktf/provider-aws/lib/ram-resource-association';
import { RamPrincipalAssociation } from '@cdktf/provider-aws/lib/ram-principal-association';

/** Props of {@link SubnetShare}. */
export interface SubnetShareProps {
  /** Name of the resource share (`acme-main-02-subnets`). */
  readonly name: string;
  /** Subnet ARNs to share, by a stable label (`private-eu-central-1a`); the labels name the associations. */
  readonly subnetArns: Readonly<Record<string, string>>;
  /** AWS account ID (12 digits, or a token) of the participant. */
  readonly principalAccountId: string;
  /** Extra tags on the share (default none). */
  readonly tags?: Record<string, string>;
  /** Provider of the VPC owner account (default: the stack's default AWS provider). */
  readonly provider?: TerraformProvider;
}

/** A RAM share of subnets with one account of the organization. */
export class SubnetShare extends Construct {
  readonly share: RamResourceShare;
  /** One association per subnet, by label. */
  readonly resourceAssociations: Record<string, RamResourceAssociation> = {};
  readonly principalAssociation: RamPrincipalAssociation;

  /** @throws Error if `subnetArns` is empty */
  constructor(scope: Construct, id: string, props: SubnetShareProps) {
    super(scope, id);
    const provider = props.provider;
    if (Object.keys(props.subnetArns).length === 0) throw new Error(`${id}: no subnets to share`);
    this.share = new RamResourceShare(this, 'share', {
      provider,
      name: props.name,
      allowExternalPrincipals: false,
      tags: { ...props.tags, Name: props.name },
    });
    for (const [label, arn] of Object.entries(props.subnetArns)) {
      this.resourceAssociations[label] = new RamResourceAssociation(this, `subnet-${label}`, {
        provider,
        resourceShareArn: this.share.arn,
        resourceArn: arn,
      });
    }
    this.principalAssociation = new RamPrincipalAssociation(this, 'principal', {
      provider,
      resourceShareArn: this.share.arn,
      principal: props.principalAccountId,
    });
  }
}
