/**
 * The overview every synth writes (`cdktf.out/landing-zone.md`): derived from the built app
 * and its synthesized JSON, for the example and for a generated variant (three member
 * accounts, three clusters spread over them), and the committed copy for the docs is current.
 *
 * Trust subjects follow Terraform Cloud's workload identity token `sub` claim,
 * `organization:<org>:project:<project>:workspace:<workspace>:run_phase:<phase>`
 * (https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/workload-identity-tokens#token-structure).
 * Mermaid flowchart syntax (`flowchart LR`, `subgraph id["title"] … end`, `a --> b`):
 * https://mermaid.js.org/syntax/flowchart.html.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { synthesize } from '../../main';
import { planStacks } from '../../envs/stack-plan';
import { parseEnvironment } from '../../envs/load';
import { trustEntries, subjectsIn } from '../../stacks/overview-trust';
import { scaledRaw } from '../support/scale';
import { EXAMPLE_OVERVIEW, exampleOverview } from '../support/example-overview';

let scratch: string;
beforeAll(() => (scratch = mkdtempSync(join(tmpdir(), 'lz-overview-test-'))));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Synthesizes `raw` through main.ts's synthesize(); returns the overview and the report lines. */
function synthRaw(name: string, raw: unknown): { md: string; lines: string[] } {
  const file = join(scratch, `${name}.yaml`);
  writeFileSync(file, stringify(raw));
  const lines: string[] = [];
  const result = synthesize({
    environment: file,
    outdir: join(scratch, `${name}.out`),
    log: (l) => lines.push(l),
  });
  if (!result.ok) throw new Error(result.message);
  return { md: readFileSync(result.overview, 'utf8'), lines };
}

describe('docs/example-landing-zone.md', () => {
  it('is what a synth of the example writes (regenerate with npm run docs:overview)', () => {
    expect(readFileSync(EXAMPLE_OVERVIEW, 'utf8')).toBe(exampleOverview());
  });
});

describe('the overview of a variant: 3 member accounts, 3 clusters spread over them', () => {
  const raw = scaledRaw({ accounts: 3, clusters: 3, clusterAccounts: 'spread' });
  const env = parseEnvironment(structuredClone(raw));
  const specs = planStacks(env);
  let md: string;
  let lines: string[];
  beforeAll(() => ({ md, lines } = synthRaw('variant', raw)));

  it('shows every stack of the plan in the diagram, in its account, with its workspace', () => {
    const diagram = /```mermaid\n([\s\S]*?)```/.exec(md)![1];
    expect(diagram.startsWith('flowchart LR\n')).toBe(true);
    for (const s of specs) {
      expect(diagram).toContain(`["${s.id}<br/><small>${s.workspace}</small>"]`);
      expect(md).toContain(`| \`${s.id}\` | \`${s.workspace}\` |`);
    }
    const accounts = new Set(specs.map((s) => s.account).filter(Boolean));
    for (const a of accounts) expect(diagram).toContain(`["account ${a}"]`);
    // Every subgraph is closed.
    expect(diagram.match(/subgraph /g)!.length).toBe(diagram.match(/^ {2}end$/gm)!.length);
  });

  it('draws the cross-stack edges: each platform stack reads its cluster stack', () => {
    for (const key of Object.keys(env.clusters)) {
      const id = (s: string) => `n_${s.replace(/[^A-Za-z0-9_]/g, '_')}`;
      expect(md).toContain(`${id(`cluster-${key}`)} --> ${id(`platform-${key}`)}`);
    }
  });

  it("lists each cluster's block and subnets in the address plan", () => {
    for (const key of Object.keys(env.clusters))
      expect(md).toMatch(new RegExp(`\\| cluster \`${key}\``));
    expect(md).toContain(`VPC \`${env.network.cidr}\``);
  });

  it('lists a plan and an apply trust for every workspace of a stack with AWS', () => {
    const trust = md.slice(md.indexOf('## Trust'), md.indexOf('## Helm'));
    // A member account's own stack is trusted through the shared StackSet template, whose
    // workspace name takes the account key from a per-instance parameter: one templated row.
    const shown = (ws: string) =>
      /^acme-account-/.test(ws) && ws !== 'acme-account-management'
        ? 'acme-account-\\$\\$\\{AccountKey\\}'
        : ws;
    for (const s of specs.filter((x) => x.account)) {
      const ws = shown(s.workspace);
      expect(trust).toMatch(new RegExp(`\\| \`${ws}\` \\|[^\\n]*\\| plan \\|`));
      expect(trust).toMatch(new RegExp(`\\| \`${ws}\` \\|[^\\n]*\\| apply \\|`));
    }
  });

  it('lists the Helm releases of every cluster with a pinned version', () => {
    const helm = md.slice(md.indexOf('## Helm'), md.indexOf('## Guardrails'));
    for (const key of Object.keys(env.clusters))
      expect(helm).toMatch(
        new RegExp(
          `\\| \`${key}\` \\| \`platform-${key}\` \\| \`karpenter\` \\|[^\\n]*\\| \`\\d+\\.\\d+\\.\\d+\` \\|`,
        ),
      );
    expect(helm).not.toMatch(/\| `(latest|–)` \| [^|]+ \|$/m);
  });

  it('the synth says what it did: file, per stack its resources and workspace, guardrails, overview', () => {
    expect(lines[0]).toBe(
      `environment: ${join(scratch, 'variant.yaml')} (LZ_ENV=${join(scratch, 'variant.yaml')})`,
    );
    for (const s of specs)
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^  ${s.id} +\\d+ resources  workspace ${s.workspace}`)),
      );
    expect(lines).toContainEqual(
      expect.stringMatching(/^guardrails: passed; \d+ resources checked/),
    );
    expect(lines.at(-1)).toBe(`overview: ${join(scratch, 'variant.out', 'landing-zone.md')}`);
    expect(md).toContain('Result: **passed**');
  });
});

describe('trustEntries', () => {
  const sub = (ws: string, phase: string) =>
    `organization:o:project:p:workspace:${ws}:run_phase:${phase}`;

  it('reads an aws_iam_role whose trust comes from a policy document, with its provider alias', () => {
    const entries = trustEntries({
      mgmt: {
        data: {
          aws_iam_policy_document: {
            t: {
              statement: [
                { condition: [{ variable: 'app.terraform.io:sub', values: [sub('w1', 'plan')] }] },
              ],
            },
          },
        },
        resource: {
          aws_iam_role: {
            r: {
              name: 'lz-plan',
              provider: 'aws.prod',
              assume_role_policy: '${data.aws_iam_policy_document.t.json}',
            },
          },
        },
      },
    });
    expect(entries).toEqual([
      { workspace: 'w1', phase: 'plan', role: 'lz-plan', stack: 'mgmt', provider: 'prod' },
    ]);
  });

  it('reads AWS::IAM::Role resources of a CloudFormation stack set template', () => {
    const template = {
      Resources: {
        Apply: {
          Type: 'AWS::IAM::Role',
          Properties: {
            RoleName: 'lz-apply',
            AssumeRolePolicyDocument: {
              Statement: [
                { Condition: { StringEquals: { 'app.terraform.io:sub': [sub('w2', 'apply')] } } },
              ],
            },
          },
        },
      },
    };
    const entries = trustEntries({
      org: {
        resource: {
          aws_cloudformation_stack_set: { s: { template_body: JSON.stringify(template) } },
        },
      },
    });
    expect(entries).toEqual([
      {
        workspace: 'w2',
        phase: 'apply',
        role: 'lz-apply',
        stack: 'org',
        provider: 'aws_cloudformation_stack_set.s',
      },
    ]);
  });

  it('finds subjects in any string, e.g. a template built with jsonencode', () => {
    expect(subjectsIn(`\${jsonencode({a = "${sub('w3', '*')}"})}`)).toEqual([
      { workspace: 'w3', phase: '*' },
    ]);
  });
});
