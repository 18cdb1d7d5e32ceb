/**
 * The TFC bootstrap stack's settings from the config: VCS runs, workspace settings,
 * notifications and team access, the agent pool for runs that reach private endpoints, the CI
 * teams, the state backend and the run-trigger limit. The rest: tfc-stack.test.ts.
 */
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { buildLandingZone, type LandingZone } from '../../stacks/app';
import { AGENT_POOL_OUTPUT, TfcStack, notificationVariable } from '../../stacks/tfc-stack';
import { exampleEnv } from '../support/env';
import { testApp } from '../support/synth';
import {
  Consumer,
  EXAMPLE_EDGES,
  Producer,
  example,
  ref,
  res,
  specOf,
  tfcSpec,
  vcsExample,
  wiredEdges,
  type Json,
} from '../support/tfc-fixtures';

describe('VCS runs, workspace settings, notifications and team access from config', () => {
  let tfc: Json;
  let lz: LandingZone;
  beforeAll(() => {
    ({ lz, tfc } = vcsExample());
  });

  it('connects each workspace to the repository through the GitHub App installation, in its cdktf.out folder', () => {
    expect(Object.values(tfc.data.tfe_github_app_installation)).toEqual([{ name: 'acme' }]);
    const install = `\${data.tfe_github_app_installation.${Object.keys(tfc.data.tfe_github_app_installation)[0]}.id}`;
    const workspaces = res(tfc, 'tfe_workspace');
    for (const s of lz.stacks.filter((x) => x !== lz.tfc)) {
      const id = s.node.id;
      expect(workspaces[id]).toMatchObject({
        working_directory: `cdktf.out/stacks/${id}`,
        file_triggers_enabled: true,
        vcs_repo: {
          identifier: 'acme/landing-zone',
          branch: 'main',
          github_app_installation_id: install,
        },
      });
      expect(workspaces[id].trigger_patterns).toEqual(
        id === 'organization'
          ? ['cdktf.out/stacks/organization/*.json']
          : [`cdktf.out/stacks/${id}/**/*`],
      );
    }
  });

  it('creates no agent pool when none is configured: every workspace runs remotely', () => {
    expect(res(tfc, 'tfe_agent_pool')).toEqual({});
    expect(res(tfc, 'tfe_agent_pool_allowed_workspaces')).toEqual({});
    expect(tfc.output?.[AGENT_POOL_OUTPUT]).toBeUndefined();
    const { tfc: own, ...settings } = res(tfc, 'tfe_workspace_settings');
    expect(own.execution_mode).toBe('local');
    expect(Object.values(settings)).toHaveLength(lz.stacks.length - 1);
    for (const s of Object.values(settings)) expect(s.execution_mode).toBe('remote');
  });

  it('runStyle vcs: one run trigger per cross-stack edge, and the first run of each workspace is left to a human', () => {
    const wired = wiredEdges(tfc);
    expect(wired.triggers).toEqual(wired.sharing);
    expect(wired.triggers).toEqual(EXAMPLE_EDGES);
    // queue_all_runs false: no run on creation, webhook runs wait for one manual run (tfe 0.71
    // website/docs/r/workspace.html.markdown, queue_all_runs)
    for (const w of Object.values(res(tfc, 'tfe_workspace'))) expect(w.queue_all_runs).toBe(false);
  });

  it('applies per-workspace auto-apply (on the settings resource only), description and tags over the defaults', () => {
    expect(res(tfc, 'tfe_workspace_settings').organization).toMatchObject({ auto_apply: true });
    expect(res(tfc, 'tfe_workspace').organization.auto_apply).toBeUndefined();
    expect(res(tfc, 'tfe_workspace').organization).toMatchObject({
      auto_apply_run_trigger: false,
      description: 'The org',
      tags: {
        team: 'platform',
        tier: 'core',
        'lz-stack': 'organization',
        'lz-kind': 'organization',
        'lz-prefix': 'acme',
      },
    });
  });

  it('creates notifications per selected workspace, with secrets only as variables', () => {
    const all = Object.values(res(tfc, 'tfe_notification_configuration'));
    const others = lz.stacks.length - 1;
    const by = (name: string) => all.filter((n) => n.name === `acme-${name}`);
    expect(by('ops-email')).toHaveLength(1);
    expect(by('ops-email')[0]).toMatchObject({
      destination_type: 'email',
      workspace_id: ref('tfe_workspace', 'organization'),
    });
    expect(by('ops-email')[0].email_user_ids[0]).toMatch(
      /^\$\{data\.tfe_organization_membership\..+\.user_id\}$/,
    );
    expect(Object.values(tfc.data.tfe_organization_membership)).toEqual([
      { organization: 'acme-analytics', email: 'jane.doe@acme.example' },
    ]);
    expect(by('ops-teams')).toHaveLength(others);
    expect(by('ops-teams')[0]).toMatchObject({
      triggers: ['run:errored'],
      url: `\${var.${notificationVariable('ops-teams', 'url')}}`,
    });
    expect(by('unsigned')[0].token).toBeUndefined();
    expect(by('unsigned')[0].token_wo).toBeUndefined();
    expect(Object.keys(tfc.variable).sort()).toEqual([
      notificationVariable('ops-teams', 'url'),
      notificationVariable('unsigned', 'url'),
    ]);
  });

  it('grants existing teams access to the selected workspaces', () => {
    const grants = Object.values(res(tfc, 'tfe_team_access'));
    const team = (name: string) => {
      const [key] = Object.entries(tfc.data.tfe_team).find(
        ([, t]: [string, any]) => t.name === name,
      )!;
      return `\${data.tfe_team.${key}.id}`;
    };
    expect(grants.filter((g) => g.team_id === team('platform-admins'))).toHaveLength(
      lz.stacks.length - 1,
    );
    expect(grants.filter((g) => g.team_id === team('auditors'))).toEqual([
      expect.objectContaining({
        access: 'read',
        workspace_id: ref('tfe_workspace', 'organization'),
      }),
    ]);
  });
});

describe('agent pool for runs that reach private endpoints', () => {
  it('runs the platform workspaces on the pool, once the pool admits them; every other workspace remotely', () => {
    const tfc = example().out.tfc;
    const [poolName, pool] = Object.entries(res(tfc, 'tfe_agent_pool'))[0];
    expect(Object.keys(res(tfc, 'tfe_agent_pool'))).toHaveLength(1);
    expect(pool).toMatchObject({
      name: 'acme-vpc-agents',
      organization: 'acme-analytics',
      organization_scoped: false,
    });
    const [allowedName, allowed] = Object.entries(res(tfc, 'tfe_agent_pool_allowed_workspaces'))[0];
    expect(allowed).toMatchObject({
      agent_pool_id: ref('tfe_agent_pool', poolName),
      allowed_workspace_ids: [ref('tfe_workspace', 'platform-main-01')],
    });
    const settings = res(tfc, 'tfe_workspace_settings');
    for (const [name, s] of Object.entries(settings)) {
      if (name.startsWith('platform-')) {
        // the allowed-workspaces reference orders the permission before the assignment
        expect(s).toMatchObject({
          execution_mode: 'agent',
          agent_pool_id: ref('tfe_agent_pool_allowed_workspaces', allowedName),
        });
      } else {
        // the TFC stack's own state workspace always runs locally
        expect(s.execution_mode).toBe(name === 'tfc' ? 'local' : 'remote');
        expect(s.agent_pool_id).toBeUndefined();
      }
    }
    expect(tfc.output[AGENT_POOL_OUTPUT].value).toBe(ref('tfe_agent_pool', poolName));
  });
});

describe('CI teams, state backend and limits', () => {
  it('creates the plan-only and apply teams on the landing-zone project, and publishes their IDs', () => {
    const tfc = example().out.tfc;
    const access = res(tfc, 'tfe_team_project_access');
    expect(access['ci-plan']).toMatchObject({
      access: 'custom',
      project_id: ref('tfe_project', 'project'),
      workspace_access: [expect.objectContaining({ runs: 'plan', locking: false })],
    });
    expect(access['ci-apply']).toMatchObject({
      access: 'write',
      project_id: ref('tfe_project', 'project'),
    });
    expect(
      Object.values(res(tfc, 'tfe_team'))
        .map((t) => t.name)
        .sort(),
    ).toEqual(['acme-ci-apply', 'acme-ci-plan']);
    expect(tfc.output.ci_plan_team_id.value).toBe(ref('tfe_team', 'ci-plan'));
    expect(tfc.output.ci_apply_team_id.value).toBe(ref('tfe_team', 'ci-apply'));
    expect(res(tfc, 'tfe_team_token')).toEqual({});
    // the state workspace is outside the project, so neither team reaches it
    expect(res(tfc, 'tfe_workspace').tfc.project_id).toBeUndefined();
    // ciTeams: false (the VCS variant) creates neither team
    expect(res(vcsExample().tfc, 'tfe_team')).toEqual({});
  });

  it('writes a .terraformignore into every synthesized stack folder but its own', () => {
    const { app } = example();
    for (const id of readdirSync(join(app.outdir, 'stacks'))) {
      const file = join(app.outdir, 'stacks', id, '.terraformignore');
      if (id === 'tfc') expect(() => statSync(file)).toThrow();
      else expect(readFileSync(file, 'utf8')).toContain('*.tfstate');
    }
  });

  it('stateBackend local: a per-environment file in the project root, reached from the real output folder', () => {
    const env = exampleEnv((raw) => (raw.terraformCloud.stateBackend = 'local'));
    // both inside the git-ignored cdktf.out/ of the project
    for (const outdir of ['cdktf.out', 'cdktf.out/nested/out']) {
      mkdirSync(join(process.cwd(), outdir), { recursive: true });
      const app = testApp(join(process.cwd(), outdir));
      const lz = buildLandingZone(app, env, { backend: 'cloud' });
      lz.tfc.prepareStack();
      const json = JSON.parse(Testing.synth(lz.tfc));
      expect(json.terraform.cloud).toBeUndefined();
      const path: string = json.terraform.backend.local.path;
      // Terraform resolves it from the stack's folder (cdktf: <outdir>/stacks/<id>)
      expect(join(process.cwd(), outdir, 'stacks', 'tfc', path)).toBe(
        join(process.cwd(), 'terraform.tfc.acme.tfstate'),
      );
    }
  });

  it('refuses a 21st run-trigger source at synth time, naming the workspace', () => {
    const vcsEnv = exampleEnv((raw) =>
      Object.assign(raw.terraformCloud, {
        runStyle: 'vcs',
        vcs: { repository: 'acme/lz', githubApp: { name: 'acme' } },
      }),
    );
    const app = testApp();
    const producers = Array.from(
      { length: 21 },
      (_, i) =>
        new Producer(app, {
          env: vcsEnv,
          spec: specOf(`p-${i + 1}`, 'production'),
          backend: 'cloud',
        }),
    );
    const sink = new Consumer(app, {
      env: vcsEnv,
      spec: specOf('sink', 'production'),
      backend: 'cloud',
      from: producers,
    });
    const management = new Producer(app, {
      env: vcsEnv,
      spec: { ...specOf('organization', 'management'), kind: 'organization' },
      backend: 'cloud',
    });
    const tfcStack = new TfcStack(app, {
      env: vcsEnv,
      spec: tfcSpec,
      stacks: [...producers, sink, management],
    });
    expect(() => tfcStack.prepareStack()).toThrow(
      /^workspace acme-sink: 21 run-trigger sources \(p-1, .*\); TFC allows at most 20/,
    );
  });
});
