/**
 * SharedSubnetTags (constructs/eks/shared-subnet-tags.ts): the participant's own copy of the
 * discovery tags on shared subnets. "VPC tags and tags for the resources within the shared VPC
 * are not shared with the participants" (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-sharing.html);
 * tag names from https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html
 * (`kubernetes.io/role/internal-elb` = 1, `kubernetes.io/role/elb` = 1) and Karpenter's
 * `karpenter.sh/discovery` convention (https://karpenter.sh/v1.14/getting-started/).
 */
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SharedSubnetTags } from '../../../constructs/eks/shared-subnet-tags';

it('writes one aws_ec2_tag per subnet and tag: three on private, two on public subnets', () => {
  const stack = new TerraformStack(Testing.app(), 'tags');
  new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
  new SharedSubnetTags(stack, 'tags', {
    eksClusterName: 'acme-c-02',
    privateSubnetIds: ['subnet-p1', 'subnet-p2'],
    publicSubnetIds: ['subnet-u1'],
  });
  const tags = Object.values(JSON.parse(Testing.synth(stack)).resource.aws_ec2_tag) as any[];
  const on = (id: string) =>
    Object.fromEntries(tags.filter((t) => t.resource_id === id).map((t) => [t.key, t.value]));
  const priv = {
    'kubernetes.io/role/internal-elb': '1',
    'kubernetes.io/cluster/acme-c-02': 'shared',
    'karpenter.sh/discovery': 'acme-c-02',
  };
  expect(on('subnet-p1')).toEqual(priv);
  expect(on('subnet-p2')).toEqual(priv);
  expect(on('subnet-u1')).toEqual({
    'kubernetes.io/role/elb': '1',
    'kubernetes.io/cluster/acme-c-02': 'shared',
  });
  expect(tags).toHaveLength(8);
});
