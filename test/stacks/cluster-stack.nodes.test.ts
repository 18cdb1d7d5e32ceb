/**
 * Unit tier: the compute of the cluster stack of the example (`main-01`, stub network,
 * synthesized once per jest worker by test/support/cluster-fixtures.ts): the system node group
 * (Bottlerocket, launch template, node role), the EKS add-ons and their order around the nodes,
 * and what the platform gets for prefix delegation (private subnets, maxPods). The rest:
 * cluster-stack.test.ts.
 */
import type {} from 'cdktf/lib/testing/adapters/jest';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import {
  STUB_NETWORK,
  buildClusterStack,
  exampleCluster,
  one,
  values,
  volumesOf,
} from '../support/cluster-fixtures';
import { resourcesOf } from '../support/synth';
import { BOTTLEROCKET_RELEASE_VERSION, EKS_VERSIONS } from '../../envs/versions';
import { SYSTEM_NODE_TAINT } from '../../constructs/eks/addon-identities';
import { VPC_CNI_CONFIGURATION } from '../../constructs/eks/managed-addons';
import { EKS_NODE_POLICIES } from '../../constructs/eks/service-role';

describe('cluster stack (example main-01)', () => {
  let synth: string;
  let json: Record<string, any>;

  beforeAll(() => {
    ({ synth, json } = exampleCluster());
  });

  describe('system node group', () => {
    it('is on-demand, across every private subnet, Bottlerocket, tainted for critical add-ons', () => {
      expect(synth).toHaveResourceWithProperties(EksNodeGroup, {
        node_group_name: 'system',
        capacity_type: 'ON_DEMAND',
        ami_type: 'BOTTLEROCKET_x86_64',
        instance_types: ['m7i.large', 'm6i.large'],
        scaling_config: { min_size: 2, desired_size: 2, max_size: 4 },
        taint: [{ key: SYSTEM_NODE_TAINT.key, value: 'true', effect: 'NO_SCHEDULE' }],
      });
      expect(one(resourcesOf(json, 'aws_eks_node_group')).subnet_ids).toHaveLength(3);
    });

    it('launches with IMDSv2 required and encrypted volumes (Bottlerocket OS + data)', () => {
      expect(synth).toHaveResourceWithProperties(LaunchTemplate, {
        metadata_options: {
          http_endpoint: 'enabled',
          http_tokens: 'required',
          http_put_response_hop_limit: 1,
        },
      });
      expect(volumesOf(json)).toEqual([
        ['/dev/xvda', 4, 'true'],
        ['/dev/xvdb', 50, 'true'],
      ]);
    });

    it('pins the Bottlerocket release from the versions module instead of taking the newest', () => {
      const ng = one(resourcesOf(json, 'aws_eks_node_group'));
      expect(ng.release_version).toBe(BOTTLEROCKET_RELEASE_VERSION);
      expect(ng.version).toBe('1.35');
    });

    it('gives the nodes a role trusted by EC2 with the EKS node policies', () => {
      const attached = values(resourcesOf(json, 'aws_iam_role_policy_attachment'))
        .filter((a) => String(a.role).includes('system-nodes_node-role'))
        .map((a) => String(a.policy_arn).split('/').pop());
      expect(attached.sort()).toEqual([...EKS_NODE_POLICIES].sort());
      expect(one(resourcesOf(json, 'aws_eks_node_group')).depends_on).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/system-nodes_node-role_managed-AmazonEKSWorkerNodePolicy/),
        ]),
      );
    });
  });

  describe('EKS add-ons', () => {
    const addons = (): Record<string, any> =>
      Object.fromEntries(values(resourcesOf(json, 'aws_eks_addon')).map((a) => [a.addon_name, a]));

    it('pins every add-on to the versions module with conflict resolution set', () => {
      const pinned = EKS_VERSIONS['1.35'].addons;
      expect(Object.keys(addons()).sort()).toEqual(Object.keys(pinned).sort());
      for (const [name, a] of Object.entries(addons())) {
        expect(a.addon_version).toBe(pinned[name as keyof typeof pinned]);
        expect(a.resolve_conflicts_on_create).toBe('OVERWRITE');
        expect(a.resolve_conflicts_on_update).toBe('OVERWRITE');
      }
    });

    it('turns on vpc-cni prefix delegation and gives the EBS CSI driver its role through Pod Identity', () => {
      const a = addons();
      expect(JSON.parse(a['vpc-cni'].configuration_values)).toEqual(VPC_CNI_CONFIGURATION);
      const cni = JSON.parse(a['vpc-cni'].configuration_values);
      expect(cni.env.ENABLE_PREFIX_DELEGATION).toBe('true');
      expect(cni.enableNetworkPolicy).toBe('true'); // Dagster's NetworkPolicies are enforced
      expect(a['aws-ebs-csi-driver'].pod_identity_association).toEqual([
        {
          role_arn: expect.stringMatching(/aws_iam_role\.ebs-csi_\w+\.arn/),
          service_account: 'ebs-csi-controller-sa',
        },
      ]);
    });

    it('installs networking before the nodes and coredns / EBS CSI after them', () => {
      const a = addons();
      const ng = one(resourcesOf(json, 'aws_eks_node_group'));
      for (const n of ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent']) {
        expect(ng.depends_on).toContainEqual(expect.stringContaining(`addons-before-nodes_${n}`));
      }
      for (const n of ['coredns', 'aws-ebs-csi-driver']) {
        expect(a[n].depends_on).toEqual([expect.stringMatching(/^aws_eks_node_group\./)]);
      }
    });
  });
});

describe('ClusterOutputs for the platform (prefix delegation)', () => {
  it('hands over the private subnet IDs and maxPods 110', () => {
    const stack = buildClusterStack();
    expect(stack.privateSubnetIds).toEqual(STUB_NETWORK.clusterSubnets('main-01').privateSubnetIds);
    // awslabs/amazon-eks-ami templates/al2/runtime/max-pods-calculator.sh: prefix mode
    // `enis * ((max_eni_ips - 1) * 16) + 2`, capped at MAX_POD_CEILING_FOR_LOW_CPU=110 for 30
    // vCPUs or fewer. m5.large (3 ENIs, 10 IPv4 each): 3 * (9 * 16) + 2 = 434, capped to 110;
    // Karpenter's own ENI-limited estimate would be 3 * (10 - 1) + 2 = 29.
    expect(stack.maxPods).toBe(110);
  });
});
