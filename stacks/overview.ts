/**
 * The overview of one synthesized landing zone, `cdktf.out/landing-zone.md` (GitHub renders
 * it): a mermaid diagram of accounts, stacks and workspaces with their cross-stack edges, the
 * address plan, which workspace each role trusts, the Helm releases per cluster with their
 * versions, and the guardrail summary.
 *
 * Everything is derived from the built app and its synthesized JSON: the stack list and each
 * stack's workspace and account from its {@link StackSpec}, edges from
 * `crossStackEdges` (what cdktf wires as remote state), resources, trust and releases from
 * `cdk.tf.json`. No stack name is hard-coded, so new kinds of stacks appear as they are added.
 */
import type { TerraformStack } from 'cdktf';
import type { AddressPlan } from '../envs/address-plan';
import type { Environment } from '../envs/schema';
import type { StackSpec } from '../envs/stack-plan';
import type { GuardrailReport } from '../constructs/guardrails/check';
import { describeReport } from '../constructs/guardrails/check';
import { RULE_IDS, RULES } from '../envs/guardrail-catalog';
import { crossStackEdges } from '../constructs/tfc/stack-edges';
import { trustEntries, type StackJson } from './overview-trust';

/** The file name of the overview inside the output directory. */
export const OVERVIEW_FILE = 'landing-zone.md';

/** What the overview is made from. */
export interface OverviewInput {
  readonly env: Environment;
  /** The environment file (as it should be shown: repo-relative where possible). */
  readonly environmentFile: string;
  /** Every built stack with its spec (`LandingZoneStack`), in bootstrap order. */
  readonly stacks: readonly (TerraformStack & { readonly spec: StackSpec })[];
  /** Synthesized JSON by stack ID. */
  readonly json: Readonly<Record<string, StackJson>>;
  /** The address plan, if a stack computed one. */
  readonly addressPlan?: AddressPlan;
  readonly report: GuardrailReport;
}

/** Resources (not data sources) declared in a synthesized stack. */
export function resourceCount(json: StackJson): number {
  return Object.values(json.resource ?? {}).reduce(
    (n, byName) => n + Object.keys(byName).length,
    0,
  );
}

/** A mermaid node ID for any text. */
const nodeId = (s: string): string => `n_${s.replace(/[^A-Za-z0-9_]/g, '_')}`;
/** Text safe inside a mermaid `["…"]` label. */
const label = (s: string): string => s.replace(/"/g, '#quot;');
const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** Where a stack runs: the account key, or Terraform Cloud for a stack without AWS. */
const placeOf = (spec: StackSpec): string => spec.account ?? 'Terraform Cloud';

function diagram(input: OverviewInput): string[] {
  const byPlace = new Map<string, StackSpec[]>();
  for (const { spec } of input.stacks)
    byPlace.set(placeOf(spec), [...(byPlace.get(placeOf(spec)) ?? []), spec]);
  const lines = ['```mermaid', 'flowchart LR'];
  for (const [place, specs] of byPlace) {
    const title = place === 'Terraform Cloud' ? place : `account ${place}`;
    lines.push(`  subgraph ${nodeId(`place_${place}`)}["${label(title)}"]`);
    for (const s of specs)
      lines.push(`    ${nodeId(s.id)}["${label(s.id)}<br/><small>${label(s.workspace)}</small>"]`);
    lines.push('  end');
  }
  for (const e of crossStackEdges(input.stacks))
    lines.push(`  ${nodeId(e.producer.node.id)} --> ${nodeId(e.consumer.node.id)}`);
  lines.push('```');
  return lines;
}

function stackTable(input: OverviewInput): string[] {
  const deps = new Map<string, string[]>();
  for (const e of crossStackEdges(input.stacks))
    deps.set(e.consumer.node.id, [...(deps.get(e.consumer.node.id) ?? []), e.producer.node.id]);
  return [
    '| stack | workspace | account | resources | reads state of |',
    '| --- | --- | --- | ---: | --- |',
    ...input.stacks.map(({ spec }) => {
      const json = input.json[spec.id] ?? {};
      const reads = (deps.get(spec.id) ?? []).map((d) => `\`${d}\``).join(', ') || '–';
      return `| \`${spec.id}\` | \`${spec.workspace}\` | ${spec.account ? `\`${spec.account}\`` : '–'} | ${resourceCount(json)} | ${reads} |`;
    }),
  ];
}

function addressTable(plan: AddressPlan | undefined): string[] {
  if (!plan) return ['No stack of this environment computed an address plan.'];
  const zones = plan.availabilityZones;
  const lines = [
    `VPC \`${plan.vpcCidr}\`, availability zones ${zones.map((z) => `\`${z}\``).join(', ')}.`,
    '',
    `| block | range | ${zones.map((z) => `${z} public / private`).join(' | ')} |`,
    `| --- | --- | ${zones.map(() => '---').join(' | ')} |`,
  ];
  for (const c of Object.values(plan.clusters)) {
    const cells = zones.map((_, i) => {
      const pub = c.publicSubnets[i]?.cidr ?? '–';
      const priv = c.privateSubnets[i]?.cidr ?? '–';
      return `\`${pub}\` / \`${priv}\``;
    });
    lines.push(
      `| cluster \`${c.name}\`${c.pinned ? ' (pinned)' : ''} | \`${c.cidr}\` | ${cells.join(' | ')} |`,
    );
  }
  const shared = zones.map((_, i) => {
    const nat = plan.shared.natSubnets[i]?.cidr ?? '–';
    const ep = plan.shared.endpointSubnets[i]?.cidr ?? '–';
    return `NAT \`${nat}\` / endpoints \`${ep}\``;
  });
  lines.push(`| shared | \`${plan.shared.cidr}\` | ${shared.join(' | ')} |`);
  return lines;
}

function trustTable(input: OverviewInput): string[] {
  const accountOf = new Map(input.stacks.map(({ spec }) => [spec.id, spec.account]));
  const entries = trustEntries(input.json);
  if (entries.length === 0) return ['No role trusts a Terraform Cloud workspace.'];
  const rows = new Map<string, string[]>();
  for (const t of entries) {
    const where = t.provider?.includes('.')
      ? t.provider
      : (t.provider ?? accountOf.get(t.stack) ?? '–');
    const key = `| \`${t.workspace}\` | \`${t.role}\` | \`${where}\` | \`${t.stack}\` |`;
    rows.set(key, [...new Set([...(rows.get(key) ?? []), t.phase])]);
  }
  return [
    'Each row: the workspace whose runs (in the listed phases) may assume the role through',
    "Terraform Cloud's OIDC provider (`app.terraform.io:sub` of the role's trust policy).",
    '',
    '| workspace | role | account (or template) | defined in stack | run phases |',
    '| --- | --- | --- | --- | --- |',
    ...[...rows].map(([row, phases]) => `${row} ${phases.join(', ')} |`),
  ];
}

function releaseTable(input: OverviewInput): string[] {
  const rows: string[] = [];
  for (const { spec } of input.stacks) {
    const releases = input.json[spec.id]?.resource?.helm_release ?? {};
    for (const r of Object.values(releases)) {
      const v = (k: string) => (typeof r[k] === 'string' ? String(r[k]) : '–');
      // A chart packaged by this app (a cdktf asset) has a content-hashed local path.
      const chart = v('chart').startsWith('./assets/')
        ? 'local chart (this app)'
        : `\`${v('chart')}\``;
      rows.push(
        `| ${spec.cluster ? `\`${spec.cluster}\`` : '–'} | \`${spec.id}\` | \`${v('name')}\` | \`${v('namespace')}\` | ${chart} | \`${v('version')}\` | ${cell(v('repository'))} |`,
      );
    }
  }
  if (rows.length === 0) return ['No Helm releases.'];
  return [
    '| cluster | stack | release | namespace | chart | version | repository |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ];
}

function guardrailSection(report: GuardrailReport): string[] {
  const [head, ...rest] = describeReport(report);
  return [
    `Result: **passed**; ${head.replace(/^guardrails: /, '')}.`,
    ...(rest.length > 0 ? ['', ...rest.map((l) => `- ${l.trim()}`)] : []),
    '',
    `${RULE_IDS.length} rules ran (docs/security.md says what each prevents and how to fix it):`,
    '',
    ...RULE_IDS.map((id) => `- \`${id}\`: ${RULES[id].title}`),
  ];
}

/** The overview as Markdown. */
export function renderOverview(input: OverviewInput): string {
  const { env } = input;
  const total = input.stacks.reduce(
    (n, { spec }) => n + resourceCount(input.json[spec.id] ?? {}),
    0,
  );
  const lines = [
    `# Landing zone: ${env.name} (\`${env.prefix}\`)`,
    '',
    `<!-- Written by every synth from ${input.environmentFile}; do not edit. -->`,
    '',
    `Environment file \`${input.environmentFile}\`; home region \`${env.homeRegion}\`; Terraform Cloud organization \`${env.terraformCloud.organization}\`, project \`${env.terraformCloud.project}\`.`,
    `${input.stacks.length} stacks (one workspace each), ${total} resources.`,
    '',
    '## Accounts, stacks and workspaces',
    '',
    'An arrow points from a stack to a stack that reads its state (and runs after it).',
    '',
    ...diagram(input),
    '',
    ...stackTable(input),
    '',
    '## Address plan',
    '',
    ...addressTable(input.addressPlan),
    '',
    '## Trust: which workspace may assume which role',
    '',
    ...trustTable(input),
    '',
    '## Helm releases per cluster',
    '',
    ...releaseTable(input),
    '',
    '## Guardrails',
    '',
    ...guardrailSection(input.report),
  ];
  return `${lines.join('\n')}\n`;
}
