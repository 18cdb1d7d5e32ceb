/**
 * Discovery tags a RAM participant writes on the subnets shared with it. "VPC tags and tags for
 * the resources within the shared VPC are not shared with the participants"
 * (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-sharing.html), so the AWS Load Balancer
 * Controller and Karpenter, which call `DescribeSubnets` with the participant's credentials,
 * never see the owner's tags; a participant can tag a shared subnet in its own account
 * (`aws_ec2_tag`, one resource per tag). The tags are those the owner writes for clusters in its
 * own account (`clusterSubnetTags`):
 * - public: `kubernetes.io/role/elb=1`, `kubernetes.io/cluster/<eks name>=shared`
 * - private: `kubernetes.io/role/internal-elb=1`, `kubernetes.io/cluster/<eks name>=shared`,
 *   `karpenter.sh/discovery=<eks name>`
 * Sources: https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html#network-requirements-shared,
 * https://github.com/aws/karpenter-provider-aws/issues/1368
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { Ec2Tag } from '@cdktf/provider-aws/lib/ec2-tag';
import { clusterSubnetTags } from '../network/subnet-tags';

/** Props of {@link SharedSubnetTags}. */
export interface SharedSubnetTagsProps {
  /** EKS cluster name (the tag values). */
  readonly eksClusterName: string;
  /** Shared private subnet IDs (tokens: cross-stack references), one per AZ. */
  readonly privateSubnetIds: readonly string[];
  /** Shared public subnet IDs, one per AZ. */
  readonly publicSubnetIds: readonly string[];
  /** Provider of the participant account (default: the stack's default AWS provider). */
  readonly provider?: TerraformProvider;
}

/** One `aws_ec2_tag` per shared subnet and discovery tag. */
export class SharedSubnetTags extends Construct {
  /** Every tag resource, by `<kind>-<index>-<tag key>`. */
  readonly tags: Record<string, Ec2Tag> = {};

  constructor(scope: Construct, id: string, props: SharedSubnetTagsProps) {
    super(scope, id);
    const wanted = clusterSubnetTags(props.eksClusterName);
    const tag = (kind: 'private' | 'public', ids: readonly string[]) =>
      ids.forEach((subnetId, i) => {
        for (const [key, value] of Object.entries(wanted[kind])) {
          const label = `${kind}-${i}-${key.replace(/[^A-Za-z0-9-]/g, '-')}`;
          this.tags[label] = new Ec2Tag(this, label, {
            provider: props.provider,
            resourceId: subnetId,
            key,
            value,
          });
        }
      });
    tag('private', props.privateSubnetIds);
    tag('public', props.publicSubnetIds);
  }
}
