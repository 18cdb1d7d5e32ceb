/**
 * Karpenter's AWS side against the upstream v1.14 reference
 * (`../shared/reference/karpenter/controller-iam-and-interruption.json`): every controller
 * action with its scoping condition keys, the node role's managed policies, the queue
 * settings and every interruption event pattern.
 */
import { Testing } from 'cdktf';
import { buildClusterStack } from '../../support/cluster-fixtures';
import { dataOf, resourcesOf } from '../../support/synth';
import { describeReference, referenceFile } from '../../support/conformance';
import type { ClusterStack } from '../../../stacks/cluster-stack';
import { ADDON_IDENTITIES } from '../../../constructs/eks/addon-identities';

interface RefStatement {
  sid: string;
  effect: string;
  actions: string[];
  conditionKeys: string[];
}
interface Reference {
  controllerPolicies: Record<string, RefStatement[]>;
  nodeRoleManagedPolicies: string[];
  interruptionRules: Record<string, { source: string[]; 'detail-type': string[] }>;
  queue: { MessageRetentionPeriod: number; SqsManagedSseEnabled: boolean };
}

const CLUSTER = 'acme-main-01';
const REGION = 'eu-central-1';
const sorted = (a: readonly string[]) => [...new Set(a)].sort();

describeReference('Karpenter AWS side at parity with v1.14', () => {
  let ref: Reference;
  let stack: ClusterStack;
  let json: Record<string, any>;
  /** Synthesized statements of the controller's policy `group`. */
  let statements: (group: string) => any[];

  beforeAll(() => {
    ref = JSON.parse(referenceFile('karpenter/controller-iam-and-interruption.json'));
    stack = buildClusterStack();
    json = JSON.parse(Testing.synth(stack));
    const docs = dataOf(json, 'aws_iam_policy_document');
    statements = (group) => {
      const doc = stack.karpenterAws.controller.policyDocuments[group];
      expect(doc).toBeDefined();
      return docs[stack.getLogicalId(doc)].statement;
    };
  });

  it('has one customer-managed policy per upstream policy, plus the Spot service-linked role one', () => {
    expect(Object.keys(stack.karpenterAws.controller.policies).sort()).toEqual(
      [...Object.keys(ref.controllerPolicies), 'SpotServiceLinkedRolePolicy'].sort(),
    );
  });

  it('covers every upstream action with the same scoping condition keys, statement by statement', () => {
    let checked = 0;
    for (const [group, refStatements] of Object.entries(ref.controllerPolicies)) {
      const ours = statements(group);
      expect(ours.map((s) => s.sid).sort()).toEqual(refStatements.map((s) => s.sid).sort());
      for (const r of refStatements) {
        const s = ours.find((x) => x.sid === r.sid);
        expect({ sid: r.sid, effect: s.effect, actions: sorted(s.actions) }).toEqual({
          sid: r.sid,
          effect: r.effect,
          actions: sorted(r.actions),
        });
        const keys = sorted((s.condition ?? []).map((c: any) => c.variable));
        expect({ sid: r.sid, keys }).toEqual({
          sid: r.sid,
          keys: sorted(r.conditionKeys.map((k) => k.replace('${ClusterName}', CLUSTER))),
        });
        checked += r.actions.length;
      }
    }
    const total = Object.values(ref.controllerPolicies)
      .flat()
      .reduce((n, s) => n + s.actions.length, 0);
    expect(checked).toBe(total);
  });

  it('grants every upstream action somewhere only under its upstream conditions', () => {
    const all = Object.keys(ref.controllerPolicies).flatMap((g) => statements(g));
    for (const r of Object.values(ref.controllerPolicies).flat()) {
      for (const action of r.actions) {
        const granting = all.filter((s) => s.actions.includes(action));
        // Each statement granting the action is one of upstream's statements for that action.
        const upstreamSids = Object.values(ref.controllerPolicies)
          .flat()
          .filter((x) => x.actions.includes(action))
          .map((x) => x.sid);
        expect(granting.map((s) => s.sid).sort()).toEqual([...upstreamSids].sort());
      }
    }
  });

  it('scopes with the upstream values: owned cluster tag, any node pool / node class, this region and cluster', () => {
    const all = Object.keys(ref.controllerPolicies).flatMap((g) => statements(g));
    const conditions = all.flatMap((s) =>
      (s.condition ?? []).map((c: any) => ({ sid: s.sid, ...c })),
    );
    for (const c of conditions) {
      if (c.variable.endsWith(`kubernetes.io/cluster/${CLUSTER}`))
        expect(c).toMatchObject({ test: 'StringEquals', values: ['owned'] });
      if (/\/karpenter\.(sh\/nodepool|k8s\.aws\/ec2nodeclass)$/.test(c.variable))
        expect(c).toMatchObject({ test: 'StringLike', values: ['*'] });
      if (
        c.variable.endsWith('topology.kubernetes.io/region') ||
        c.variable === 'aws:RequestedRegion'
      )
        expect(c.values).toEqual([REGION]);
      if (c.variable.endsWith('eks:eks-cluster-name')) expect(c.values).toEqual([CLUSTER]);
    }
    const tagging = all.find((s) => s.sid === 'AllowScopedResourceTagging');
    expect(tagging.condition).toContainEqual({
      test: 'ForAllValues:StringEquals',
      variable: 'aws:TagKeys',
      values: ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'],
    });
    expect(tagging.condition).toContainEqual({
      test: 'StringEqualsIfExists',
      variable: 'aws:RequestTag/eks:eks-cluster-name',
      values: [CLUSTER],
    });
    const create = all.find((s) => s.sid === 'AllowScopedResourceCreationTagging');
    expect(create.condition).toContainEqual({
      test: 'StringEquals',
      variable: 'ec2:CreateAction',
      values: ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'],
    });
    const pass = all.find((s) => s.sid === 'AllowPassingInstanceRole');
    expect(pass.resources).toEqual([
      expect.stringMatching(/^\$\{aws_iam_role\.karpenter_node-role_\w+\.arn\}$/),
    ]);
    const queue = all.find((s) => s.sid === 'AllowInterruptionQueueActions');
    expect(queue.resources).toEqual([
      expect.stringMatching(/^\$\{aws_sqs_queue\.karpenter_queue_\w+\.arn\}$/),
    ]);
    const describe = all.find((s) => s.sid === 'AllowAPIServerEndpointDiscovery');
    expect(describe.resources[0]).toMatch(new RegExp(`:eks:${REGION}:.*:cluster/${CLUSTER}$`));
    const zonal = all.find((s) => s.sid === 'AllowZonalShiftStatusReadOnly');
    expect(zonal.condition[0].values[0]).toMatch(new RegExp(`:cluster/${CLUSTER}$`));
    expect(all.find((s) => s.sid === 'AllowSSMReadActions').resources[0]).toMatch(
      new RegExp(`:ssm:${REGION}::parameter/aws/service/\\*$`),
    );
  });

  it('leaves resources unscoped only where upstream does, and keeps EC2 and SSM ARNs in this region', () => {
    const all = Object.keys(ref.controllerPolicies).flatMap((g) => statements(g));
    // Upstream's statements with `Resource: "*"` (v1.14 cloudformation.yaml): read-only or
    // condition-scoped actions that do not support resource-level permissions.
    expect(
      all
        .filter((s) => s.resources.includes('*'))
        .map((s) => s.sid)
        .sort(),
    ).toEqual([
      'AllowPricingReadActions',
      'AllowRegionalReadActions',
      'AllowUnscopedInstanceProfileListAction',
      'AllowZonalShiftStatusReadOnly',
    ]);
    const arns = all.flatMap((s) => s.resources as string[]);
    for (const arn of arns.filter((a) => /:(ec2|ssm|eks):/.test(a)))
      expect(arn).toContain(`:${REGION}:`);
    for (const arn of arns.filter((a) => a.includes(':instance-profile/')))
      expect(arn).toMatch(
        /:iam::\$\{data\.aws_caller_identity\.account\.account_id\}:instance-profile\/\*$/,
      );
  });

  it('adds only Spot service-linked role creation beyond upstream, scoped to spot.amazonaws.com', () => {
    const spot = statements('SpotServiceLinkedRolePolicy');
    expect(spot).toHaveLength(1);
    expect(spot[0].actions).toEqual(['iam:CreateServiceLinkedRole']);
    expect(spot[0].resources[0]).toMatch(
      /:role\/aws-service-role\/spot\.amazonaws\.com\/AWSServiceRoleForEC2Spot$/,
    );
    expect(spot[0].condition).toEqual([
      { test: 'StringEquals', variable: 'iam:AWSServiceName', values: ['spot.amazonaws.com'] },
    ]);
    expect(resourcesOf(json, 'aws_iam_service_linked_role')).toEqual({});
  });

  it('binds the controller role to the karpenter service account through Pod Identity', () => {
    const a = Object.values(resourcesOf(json, 'aws_eks_pod_identity_association')).find((x: any) =>
      String(x.role_arn).includes('karpenter_controller'),
    ) as any;
    expect(a).toMatchObject({
      namespace: ADDON_IDENTITIES.karpenter.namespace,
      service_account: 'karpenter',
    });
  });

  it('gives the node role the upstream managed policies and an EC2_LINUX access entry, and no instance profile', () => {
    const attached = Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment'))
      .filter((a: any) => String(a.role).includes('karpenter_node-role'))
      .map((a: any) => String(a.policy_arn).split('/').pop());
    expect(sorted(attached as string[])).toEqual(sorted(ref.nodeRoleManagedPolicies));
    const node = Object.values(resourcesOf(json, 'aws_iam_role')).find(
      (r: any) => r.name === `${CLUSTER}-karpenter-node`,
    ) as any;
    expect(node).toBeDefined();
    // Trusted by EC2 only. Upstream v1.14 (website/content/en/v1.14/getting-started/
    // getting-started-with-karpenter/cloudformation.yaml, KarpenterNodeRole) trusts ec2 and
    // pods.eks.amazonaws.com; no pod here assumes the node role, so only ec2 is kept.
    const trust = Object.entries(dataOf(json, 'aws_iam_policy_document')).find(([k]) =>
      node.assume_role_policy.includes(`.${k}.`),
    )![1] as any;
    expect(trust.statement).toEqual([
      expect.objectContaining({
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }],
      }),
    ]);
    const entry = Object.values(resourcesOf(json, 'aws_eks_access_entry')).find(
      (e: any) => e.type === 'EC2_LINUX',
    ) as any;
    expect(entry.principal_arn).toMatch(/aws_iam_role\.karpenter_node-role_\w+\.arn/);
    expect(resourcesOf(json, 'aws_iam_instance_profile')).toEqual({});
  });

  it('creates the interruption queue with the upstream settings, TLS only', () => {
    const q = Object.values(resourcesOf(json, 'aws_sqs_queue'))[0] as any;
    expect(q).toMatchObject({
      name: CLUSTER,
      message_retention_seconds: ref.queue.MessageRetentionPeriod,
      sqs_managed_sse_enabled: ref.queue.SqsManagedSseEnabled,
    });
    const docs = dataOf(json, 'aws_iam_policy_document');
    const policy = Object.entries(docs).find(([k]) =>
      k.startsWith('karpenter_queue-policy-document'),
    )![1] as any;
    const deny = policy.statement.find((s: any) => s.sid === 'DenyHTTP');
    expect(deny).toMatchObject({
      effect: 'Deny',
      actions: ['sqs:*'],
      condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
    });
    const send = policy.statement.find((s: any) => s.effect === 'Allow');
    expect(send.principals[0].identifiers).toEqual(['events.amazonaws.com', 'sqs.amazonaws.com']);
  });

  it('routes every upstream interruption event pattern to the queue', () => {
    const rules = Object.values(resourcesOf(json, 'aws_cloudwatch_event_rule')).map((r: any) =>
      JSON.parse(r.event_pattern),
    );
    expect(rules).toHaveLength(Object.keys(ref.interruptionRules).length);
    expect(rules).toEqual(expect.arrayContaining(Object.values(ref.interruptionRules)));
    const targets = Object.values(resourcesOf(json, 'aws_cloudwatch_event_target')) as any[];
    expect(targets).toHaveLength(rules.length);
    targets.forEach((t) => expect(t.arn).toMatch(/aws_sqs_queue\.karpenter_queue_\w+\.arn/));
  });
});
