/**
 * Bad input, the network and the clusters: invalid environments (each an edit of the example)
 * in `network` (accounts, AZs, address blocks) and `clusters` (versions, endpoint, node limits,
 * platform and Dagster: images, public UI, receivers). Each one fails validation with its exact
 * `path: rule` messages, and run through main.ts's `synthesize` it stops at the `config` stage:
 * no stack is built and no cdktf.out is left behind (the rest of the table: bad-input.test.ts).
 */
import { describeInvalidEnvironments, set, type Case, type Edit } from '../support/bad-input-cases';

/** A second cluster, `main-02`, copied from `main-01`, plus `edit`. */
const withSecondCluster =
  (edit: Edit): Edit =>
  (raw) => {
    raw.clusters['main-02'] = structuredClone(raw.clusters['main-01']);
    edit(raw);
  };

const M = 'clusters.main-01';

/** [what, edit, every expected message in order]. */
const CASES: Case[] = [
  // ---- network: accounts, AZs, address blocks ----
  [
    'VPC in an unknown account',
    set('network.account', 'sandbox'),
    ['network.account: unknown account "sandbox"'],
  ],
  [
    'availability zone of another region',
    set('network.availabilityZones', ['eu-central-1a', 'eu-west-1b']),
    ['network.availabilityZones[1]: "eu-west-1b" is not an availability zone of eu-central-1'],
  ],
  [
    'availability zone letter that does not exist',
    set('network.availabilityZones', ['eu-central-1a', 'eu-central-1z']),
    ['network.availabilityZones[1]: "eu-central-1z" must end in a letter a..h (its address slot)'],
  ],
  [
    'duplicate availability zone',
    set('network.availabilityZones', ['eu-central-1a', 'eu-central-1a']),
    ['network.availabilityZones[1]: duplicate availability zone "eu-central-1a"'],
  ],
  [
    'a single availability zone',
    set('network.availabilityZones', ['eu-central-1a']),
    ['network.availabilityZones: needs 2 or 3 availability zones'],
  ],
  [
    'VPC range with host bits',
    set('network.cidr', '10.0.1.0/16'),
    ['network.cidr: 10.0.1.0/16 is not a network address (did you mean 10.0.0.0/16?)'],
  ],
  [
    'VPC range too large',
    set('network.cidr', '10.0.0.0/8'),
    ['network.cidr: the VPC range must be /16 to /24, got /8'],
  ],
  [
    'cluster block outside the VPC',
    set('network.clusterBlocks', { 'main-01': '10.1.0.0/18' }),
    [
      'network.clusterBlocks.main-01: 10.1.0.0/18 is outside the VPC ranges (10.0.0.0/16; add a secondary range to network.secondaryCidrs)',
    ],
  ],
  [
    'cluster blocks that overlap',
    withSecondCluster(
      set('network.clusterBlocks', { 'main-01': '10.0.0.0/18', 'main-02': '10.0.32.0/19' }),
    ),
    ['network.clusterBlocks.main-02: 10.0.32.0/19 overlaps main-01 (10.0.0.0/18)'],
  ],
  [
    'cluster block too small for its subnets',
    set('network.clusterBlocks', { 'main-01': '10.0.0.0/26' }),
    [
      'network.clusterBlocks.main-01: 10.0.0.0/26: a /26 block cannot hold a /20 private and a /28 control-plane subnet for each AZ slot a..c below the space of 8 /24 public subnets (14384 addresses needed, 64 available)',
    ],
  ],
  [
    'cluster block for an unknown cluster',
    set('network.clusterBlocks', { 'main-09': '10.0.0.0/18' }),
    ['network.clusterBlocks.main-09: unknown cluster "main-09"'],
  ],
  // ---- clusters: versions, endpoint, node limits ----
  [
    'unsupported Kubernetes version',
    set(`${M}.kubernetesVersion`, '1.20'),
    [
      expect.stringMatching(
        /^clusters\.main-01\.kubernetesVersion: "1\.20" is not a Kubernetes version in EKS standard support with pinned add-ons \(supported: /,
      ),
    ],
  ],
  [
    'API endpoint open to the internet',
    set(`${M}.endpoint.publicAccessCidrs`, ['0.0.0.0/0']),
    [
      'clusters.main-01.endpoint.publicAccessCidrs[0]: 0.0.0.0/0 opens the API endpoint to the internet; list specific CIDRs or none (private only)',
    ],
  ],
  [
    'system node group min above desired',
    set(`${M}.systemNodeGroup.minSize`, 5),
    ['clusters.main-01.systemNodeGroup: needs minSize <= desiredSize <= maxSize (got 5 / 2 / 4)'],
  ],
  [
    'node pool CPU limit zero',
    set(`${M}.platform`, { karpenter: { nodePools: { general: { limits: { cpu: 0 } } } } }),
    [
      'clusters.main-01.platform.karpenter.nodePools.general.limits.cpu: must be greater than zero (vCPUs)',
    ],
  ],
  [
    'node pool memory limit negative',
    set(`${M}.platform`, { karpenter: { nodePools: { batch: { limits: { memoryGiB: -8 } } } } }),
    [
      'clusters.main-01.platform.karpenter.nodePools.batch.limits.memoryGiB: must be greater than zero (GiB)',
    ],
  ],
  // ---- platform and Dagster: images, public UI, receivers ----
  [
    'code location without an image',
    set(`${M}.dagster.codeLocations.0.image`, undefined),
    ['clusters.main-01.dagster.codeLocations[0].image: is required (repository and a pinned tag)'],
  ],
  [
    'code location with tag latest',
    set(`${M}.dagster.codeLocations.0.image.tag`, 'latest'),
    [
      'clusters.main-01.dagster.codeLocations[0].image.tag: must be pinned; "latest" is not allowed',
    ],
  ],
  [
    'code location with tag LATEST (any case)',
    set(`${M}.dagster.codeLocations.0.image.tag`, 'LATEST'),
    [
      'clusters.main-01.dagster.codeLocations[0].image.tag: must be pinned; "latest" is not allowed',
    ],
  ],
  [
    'public Dagster UI without authentication',
    set(`${M}.dagster.ingress.scheme`, 'internet-facing'),
    [
      'clusters.main-01.dagster.ingress.auth: is required when scheme is internet-facing: a public Dagster UI needs OIDC or Cognito authentication on the load balancer',
    ],
  ],
  [
    'alert receiver without its secret reference',
    set(`${M}.platform`, {
      monitoring: { alertmanager: { receivers: { ops: { slack: { channel: '#alerts' } } } } },
    }),
    [
      'clusters.main-01.platform.monitoring.alertmanager.receivers.ops.slack.apiUrlSecret: required: apiUrlSecret (the Slack webhook URL) must be a Secrets Manager reference ({ name, property? }); the value never goes in config',
    ],
  ],
  [
    'alert receiver with the secret pasted in',
    set(`${M}.platform`, {
      monitoring: {
        alertmanager: { receivers: { ops: { pagerduty: { routingKeySecret: 'abc123' } } } },
      },
    }),
    [
      'clusters.main-01.platform.monitoring.alertmanager.receivers.ops.pagerduty.routingKeySecret: routingKeySecret (the PagerDuty Events v2 routing key) must be a Secrets Manager reference ({ name, property? }), not the value itself',
    ],
  ],
];

describeInvalidEnvironments(CASES);
