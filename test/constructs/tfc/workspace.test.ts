/**
 * TfcWorkspace: every property that both `tfe_workspace` and `tfe_workspace_settings` can set is
 * set on exactly one of them, and the ones tfe 0.71's settings resource sends on every update
 * are set explicitly there.
 *
 * The overlap is read from the generated bindings of tfe 0.71.0
 * (`@cdktf/provider-tfe/lib/workspace/index.d.ts` `WorkspaceConfig` and
 * `lib/workspace-settings/index.d.ts` `WorkspaceSettingsConfig`, generated from the provider
 * schema), not listed by hand. "Always sent": hashicorp/terraform-provider-tfe v0.71.0
 * `internal/provider/resource_tfe_workspace_settings.go`, `updateSettings`
 * (`autoApply := tfe.Bool(data.AutoApply.ValueBool()); if autoApply != nil {…}`, likewise
 * `assessments_enabled`, `global_remote_state`, and `execution_mode` = "remote" when unset);
 * provider docs r/workspace_settings: "You should not attempt to manage the same property on both
 * resources which could cause a permanent drift"; issue hashicorp/terraform-provider-tfe#1791.
 */
import { readFileSync } from 'node:fs';
import { Testing, TerraformStack } from 'cdktf';
import { TfcWorkspace } from '../../../constructs/tfc/workspace';

/** The config fields of an interface in a generated binding, as Terraform (snake_case) names. */
function configFields(module: string, iface: string): Set<string> {
  const text = readFileSync(
    require.resolve(`@cdktf/provider-tfe/lib/${module}/index.d.ts`),
    'utf8',
  );
  const start = text.indexOf(`export interface ${iface} `);
  const body = text.slice(start, text.indexOf('\n}', start));
  return new Set(
    [...body.matchAll(/readonly (\w+)\??:/g)]
      .map((m) => m[1].replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))
      .filter((f) => f !== 'id'),
  );
}

const onWorkspace = configFields('workspace', 'WorkspaceConfig');
const onSettings = configFields('workspace-settings', 'WorkspaceSettingsConfig');
const overlap = [...onSettings].filter((f) => onWorkspace.has(f));
const ALWAYS_SENT = ['auto_apply', 'assessments_enabled', 'global_remote_state', 'execution_mode'];

function synth(configure: (ws: TfcWorkspace) => void, props: Record<string, unknown> = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, 's');
  const ws = new TfcWorkspace(stack, 'w', {
    name: 'acme-network',
    organization: 'acme',
    projectId: 'prj-1',
    terraformVersion: '1.11.4',
    description: 'd',
    tags: { a: 'b' },
    ...props,
  });
  configure(ws);
  const json = JSON.parse(Testing.synth(stack));
  return {
    workspace: Object.values<any>(json.resource.tfe_workspace)[0],
    settings: Object.values<any>(json.resource.tfe_workspace_settings)[0],
  };
}

describe('TfcWorkspace single ownership', () => {
  it('knows the overlap from the tfe 0.71 bindings', () => {
    expect(overlap.sort()).toEqual(
      expect.arrayContaining([...ALWAYS_SENT, 'agent_pool_id', 'remote_state_consumer_ids'].sort()),
    );
    expect(overlap).toEqual(expect.arrayContaining(['description', 'tags']));
  });

  it.each([
    ['remote, defaults', () => undefined, {}],
    ['auto-apply', () => undefined, { autoApply: true }],
    ['agent pool', (w: TfcWorkspace) => w.runOnAgentPool('apool-1'), {}],
    ['local', (w: TfcWorkspace) => w.runLocally(), {}],
    ['sharing', (w: TfcWorkspace) => w.shareStateWith(['ws-2']), {}],
  ] as const)(
    '%s: no overlapping property on both resources; the always-sent ones on the settings',
    (_n, configure, props) => {
      const { workspace, settings } = synth(configure, props);
      const both = overlap.filter((f) => workspace[f] !== undefined && settings[f] !== undefined);
      expect(both).toEqual([]);
      for (const f of ALWAYS_SENT) {
        expect([f, settings[f]]).not.toEqual([f, undefined]);
        expect([f, workspace[f]]).toEqual([f, undefined]);
      }
    },
  );

  it('puts the values where they belong', () => {
    expect(synth(() => undefined, { autoApply: true }).settings).toMatchObject({
      auto_apply: true,
      assessments_enabled: false,
      execution_mode: 'remote',
      global_remote_state: false,
      remote_state_consumer_ids: [],
    });
    expect(synth((w) => w.runOnAgentPool('apool-1')).settings).toMatchObject({
      execution_mode: 'agent',
      agent_pool_id: 'apool-1',
    });
    const local = synth((w) => {
      w.runOnAgentPool('apool-1');
      w.runLocally();
    }).settings;
    expect(local.execution_mode).toBe('local');
    expect(local.agent_pool_id).toBeUndefined();
    expect(synth(() => undefined).workspace).toMatchObject({
      description: 'd',
      tags: { a: 'b' },
      queue_all_runs: false,
      auto_apply_run_trigger: false,
    });
  });
});
