/**
 * The discovery tags of a cluster's subnets. Sources:
 * https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/subnet_discovery/,
 * https://karpenter.sh/docs/concepts/nodeclasses/#specsubnetselectorterms
 */
/**
 * The discovery tags of a cluster's subnets (see the module doc), by subnet kind: what the AWS
 * Load Balancer Controller and Karpenter select on. Written by the VPC owner for clusters in its
 * account, and by the cluster stack (`SharedSubnetTags`) for clusters in a RAM participant.
 * @param eksClusterName the EKS cluster name (`acme-main-01`)
 */
export function clusterSubnetTags(eksClusterName: string): {
  readonly public: Record<string, string>;
  readonly private: Record<string, string>;
} {
  const clusterTag = { [`kubernetes.io/cluster/${eksClusterName}`]: 'shared' };
  return {
    public: { ...clusterTag, 'kubernetes.io/role/elb': '1' },
    private: {
      ...clusterTag,
      'kubernetes.io/role/internal-elb': '1',
      'karpenter.sh/discovery': eksClusterName,
    },
  };
}
