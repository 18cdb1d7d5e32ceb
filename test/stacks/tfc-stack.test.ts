/**
 * The TFC bootstrap stack: one workspace per built stack, dynamic credentials, state sharing
 * and run triggers that follow the real cross-stack references, bootstrap phases, run styles,
 * notifications and team access, and no secret in cdktf.out.
 */
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Testing, type App, type TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { buildLandingZone, type LandingZone } from '../../stacks/app';
import { LandingZoneStack, type LandingZoneStackProps } from '../../stacks/base-stack';
import { planStacks, type StackSpec } from '../../envs/stack-plan';
import { AGENT_POOL_OUTPUT, TfcStack, notificationVariable } from '../../stacks/tfc-stack';
import type { Environment } from '../../envs/schema';
import { exampleEnv } from '../support/env';
import { scanDirectory } from '../support/secret-scan';
import { scaledRaw, type ScaleOptions } from '../support/scale';
import { parseEnvironment } from '../../envs/load';
import { readStacks, synthValidated, testApp } from '../support/synth';

/** {@link scaledEnv} with a further edit of the raw data. */
function scaledEnvWith(
  options: ScaleOptions,
  edit: (raw: Record<string, any>) => void,
): Environment {
  const raw = scaledRaw(options);
  edit(raw);
  return parseEnvironment(raw, 'scaled');
}

type Json = Record<string, any>;

/** Synthesizes `app` the way `cdktf synth` does and reads every stack's JSON by stack ID. */
function synthApp(app: App): Record<string, Json> {
  synthValidated(app);
  return readStacks(app.outdir, { metadata: false });
}

/** Builds and synthesizes the whole app with the cloud backend (as deployed: one workspace per stack). */
function build(env: Environment): { app: App; lz: LandingZone; out: Record<string, Json> } {
  const app = testApp();
  const lz = buildLandingZone(app, env, { backend: 'cloud' });
  return { app, lz, out: synthApp(app) };
}

/**
 * Builds the whole app but synthesizes only the TFC stack (its preparation derives the edges
 * from every other stack): a fraction of the cost of {@link build}, for tests that read `tfc` only.
 */
function buildTfc(env: Environment): { lz: LandingZone; tfc: Json } {
  const app = testApp();
  const lz = buildLandingZone(app, env, { backend: 'cloud' });
  lz.tfc.prepareStack();
  return { lz, tfc: JSON.parse(Testing.synth(lz.tfc)) };
}

let exampleBuild: ReturnType<typeof build> | undefined;
/** The example environment (phase complete), synthesized once for this file. */
const example = () => (exampleBuild ??= build(exampleEnv()));

const res = (json: Json, type: string): Record<string, Json> => json.resource?.[type] ?? {};
const ref = (type: string, name: string) => `\${${type}.${name}.id}`;

/** Workspace logical name by workspace ID reference, and back. */
function workspaceRefs(tfc: Json): Record<string, string> {
  return Object.fromEntries(
    Object.entries(res(tfc, 'tfe_workspace')).map(([name]) => [ref('tfe_workspace', name), name]),
  );
}

/** tfe_variable entries attached directly to workspaces: workspace logical name → key → variable. */
function workspaceVariables(tfc: Json): Record<string, Record<string, Json>> {
  const refs = workspaceRefs(tfc);
  const out: Record<string, Record<string, Json>> = {};
  for (const v of Object.values(res(tfc, 'tfe_variable'))) {
    if (!v.workspace_id) continue;
    const ws = refs[v.workspace_id];
    (out[ws] ??= {})[v.key] = v;
  }
  return out;
}

/** Cross-stack edges cdktf recorded, as `producer->consumer` stack IDs (after synth). */
function recordedEdges(stacks: readonly TerraformStack[]): string[] {
  return stacks.flatMap((c) => c.dependencies.map((p) => `${p.node.id}->${c.node.id}`)).sort();
}

/**
 * Cross-stack edges read from the synthesized stacks alone, independent of cdktf's bookkeeping:
 * every `terraform_remote_state` a stack reads (backend `remote`, a workspace of this
 * organization) is an edge from the stack owning that workspace, as `producer->consumer`.
 */
function remoteStateEdges(out: Record<string, Json>): string[] {
  const byWorkspace = Object.fromEntries(
    Object.entries(out)
      .filter(([, json]) => json.terraform.cloud)
      .map(([id, json]) => [json.terraform.cloud.workspaces.name, id]),
  );
  return Object.entries(out)
    .flatMap(([consumer, json]) =>
      Object.values((json.data?.terraform_remote_state ?? {}) as Record<string, Json>).map((r) => {
        expect(r.backend).toBe('remote');
        const producer = byWorkspace[r.config.workspaces.name];
        if (!producer)
          throw new Error(`${consumer} reads unknown workspace ${r.config.workspaces.name}`);
        return `${producer}->${consumer}`;
      }),
    )
    .sort();
}

/** Sharing and run triggers in a synthesized TFC stack, as `producer->consumer` stack IDs. */
function wiredEdges(tfc: Json): {
  sharing: string[];
  triggers: string[];
  globalSharing: boolean[];
} {
  const refs = workspaceRefs(tfc);
  const settings = Object.values(res(tfc, 'tfe_workspace_settings'));
  return {
    sharing: settings
      .flatMap((s) =>
        (s.remote_state_consumer_ids as string[]).map((c) => `${refs[s.workspace_id]}->${refs[c]}`),
      )
      .sort(),
    triggers: Object.values(res(tfc, 'tfe_run_trigger'))
      .map((t) => `${refs[t.sourceable_id]}->${refs[t.workspace_id]}`)
      .sort(),
    globalSharing: settings.map((s) => s.global_remote_state),
  };
}

describe('TFC stack of the example environment (phase complete)', () => {
  const env = exampleEnv();
  let lz: LandingZone;
  let out: Record<string, Json>;
  let tfc: Json;
  beforeAll(() => {
    ({ lz, out } = example());
    tfc = out.tfc;
  });

  it('is the stack `tfc`, first in bootstrap order, with its state in its own workspace outside the project', () => {
    expect(lz.tfc.spec.id).toBe('tfc');
    expect(lz.stacks[0]).toBe(lz.tfc);
    expect(env.terraformCloud.stateBackend).toBe('workspace');
    expect(tfc.terraform.backend).toBeUndefined();
    // no `project`: the state workspace lives in the default project, out of the CI teams' reach
    expect(tfc.terraform.cloud).toEqual({
      hostname: 'app.terraform.io',
      organization: env.terraformCloud.organization,
      workspaces: { name: `${env.prefix}-tfc` },
    });
    const own = res(tfc, 'tfe_workspace').tfc;
    expect(own).toMatchObject({ name: `${env.prefix}-tfc`, lifecycle: { prevent_destroy: true } });
    expect(own.project_id).toBeUndefined();
    expect(res(tfc, 'tfe_workspace_settings').tfc).toMatchObject({
      workspace_id: ref('tfe_workspace', 'tfc'),
      execution_mode: 'local',
    });
    expect(Object.keys(tfc.terraform.required_providers)).toEqual(['tfe']);
    expect(tfc.provider.tfe[0]).toEqual({
      hostname: 'app.terraform.io',
      organization: env.terraformCloud.organization,
    });
  });

  it('creates the project and exactly one workspace per non-TFC stack, named as its CloudBackend workspace', () => {
    expect(res(tfc, 'tfe_project').project).toMatchObject({
      name: env.terraformCloud.project,
      organization: env.terraformCloud.organization,
    });
    const others = lz.stacks.filter((s) => s !== lz.tfc) as LandingZoneStack[];
    expect(others.length).toBeGreaterThan(0);
    const { tfc: own, ...rest } = res(tfc, 'tfe_workspace');
    expect(own.name).toBe(lz.tfc.spec.workspace);
    const workspaces = Object.values(rest);
    expect(workspaces.map((w) => w.name).sort()).toEqual(
      others.map((s) => s.spec.workspace).sort(),
    );
    // every stack the app synthesized (but tfc) has its workspace, and only those
    expect(
      Object.keys(out)
        .filter((id) => id !== 'tfc')
        .sort(),
    ).toEqual(others.map((s) => s.spec.id).sort());
    // and they are stacks of the plan
    const planned = planStacks(env).map((s) => s.workspace);
    for (const w of workspaces) expect(planned).toContain(w.name);
  });

  it('gives each synthesized stack exactly one workspace: the one its cloud block runs in', () => {
    const byName = res(tfc, 'tfe_workspace');
    const ids = Object.keys(out).filter((id) => id !== 'tfc');
    expect(ids.length).toBeGreaterThanOrEqual(4);
    for (const id of ids) {
      const cloud = out[id].terraform.cloud;
      expect(cloud).toMatchObject({
        hostname: env.terraformCloud.hostname,
        organization: env.terraformCloud.organization,
        workspaces: { project: env.terraformCloud.project },
      });
      const matching = Object.entries(byName).filter(([, w]) => w.name === cloud.workspaces.name);
      expect(matching.map(([name]) => name)).toEqual([id]);
    }
    expect(Object.keys(byName).sort()).toEqual([...ids, 'tfc'].sort());
  });

  it('pins the execution mode, the Terraform version, no auto-apply, and no org-wide state sharing', () => {
    const workspaces = Object.entries(res(tfc, 'tfe_workspace')).filter(([n]) => n !== 'tfc');
    for (const [, w] of workspaces) {
      expect(w).toMatchObject({
        project_id: ref('tfe_project', 'project'),
        terraform_version: env.terraformCloud.terraformVersion,
        auto_apply_run_trigger: false,
        allow_destroy_plan: false,
        queue_all_runs: false,
      });
      expect(w.vcs_repo).toBeUndefined();
      expect(w.working_directory).toBeUndefined();
      expect(w.tags).toMatchObject({ 'lz-prefix': env.prefix });
    }
    const settings = Object.values(res(tfc, 'tfe_workspace_settings'));
    expect(settings).toHaveLength(Object.keys(res(tfc, 'tfe_workspace')).length);
    // remote everywhere but the platform workspaces, which run on the VPC agent pool (below)
    for (const s of settings) {
      expect(s).toMatchObject({ global_remote_state: false, auto_apply: false });
      expect(['remote', 'agent', 'local']).toContain(s.execution_mode);
    }
  });

  it('gives every AWS workspace dynamic credentials from the organization tfc_roles output', () => {
    const outputs = tfc.data.tfe_outputs;
    expect(Object.values(outputs)).toEqual([
      {
        organization: env.terraformCloud.organization,
        // the literal name: a pending change to tfe_workspace.organization must not make every
        // role ARN "known after apply"
        workspace: `${env.prefix}-organization`,
      },
    ]);
    const name = Object.keys(outputs)[0];
    const vars = workspaceVariables(tfc);
    const aws = (lz.stacks as LandingZoneStack[]).filter((s) => s.spec.account);
    // the stacks that use the AWS provider, read from their synthesized JSON
    const usesAws = Object.keys(out).filter((id) => out[id].terraform.required_providers.aws);
    expect(aws.map((s) => s.spec.id).sort()).toEqual(usesAws.sort());
    expect(usesAws).toEqual(expect.arrayContaining(['organization', 'network']));
    // and only those have dynamic credentials
    expect(Object.keys(vars).sort()).toEqual(usesAws.sort());
    for (const s of aws) {
      const acct = s.spec.id; // tfc_roles is keyed by stack ID
      const path = `data.tfe_outputs.${name}.nonsensitive_values.tfc_roles${/^[a-z_][a-z0-9_]*$/.test(acct) ? `.${acct}` : `["${acct}"]`}`;
      expect(vars[s.spec.id]).toMatchObject({
        TFC_AWS_PROVIDER_AUTH: { value: 'true', category: 'env' },
        TFC_AWS_PLAN_ROLE_ARN: { value: `\${${path}.plan_role_arn}`, category: 'env' },
        TFC_AWS_APPLY_ROLE_ARN: { value: `\${${path}.apply_role_arn}`, category: 'env' },
      });
    }
  });

  it('shares state and adds a run trigger for exactly the cross-stack edges the app makes', () => {
    // the references the example's stacks make: the cluster reads the VPC and subnets; the
    // platform reads the cluster (endpoint, roles) and the VPC; security reads the organization
    // and account IDs; account-management reads the account IDs its budgets filter on
    const expected = [
      'cluster-main-01->platform-main-01',
      'network->cluster-main-01',
      'network->platform-main-01',
      'organization->account-management',
      'organization->security',
      // the account stacks' AWS Config recorders deliver to the security stack's log archive
      'security->account-management',
      'security->account-production',
      'security->account-security',
    ];
    expect(remoteStateEdges(out)).toEqual(expected);
    expect(recordedEdges(lz.stacks)).toEqual(expected);
    const wired = wiredEdges(tfc);
    expect(wired.sharing).toEqual(expected);
    // runStyle cli: no run triggers (CI's cdktf deploy orders the stacks; a triggered run would
    // plan a consumer's previous configuration mid-deploy)
    expect(env.terraformCloud.runStyle).toBe('cli');
    expect(wired.triggers).toEqual([]);
    expect(wired.globalSharing.every((g) => g === false)).toBe(true);
    expect([...lz.tfc.edges].map((e) => `${e.producer}->${e.consumer}`).sort()).toEqual(expected);
  });

  it('attaches the global variable set to the project and has no static credentials', () => {
    const sets = Object.values(res(tfc, 'tfe_variable_set'));
    expect(sets).toEqual([
      expect.objectContaining({ name: `${env.prefix}-landing-zone`, global: false }),
    ]);
    expect(Object.values(res(tfc, 'tfe_project_variable_set'))).toHaveLength(1);
    expect(res(tfc, 'tfe_workspace_variable_set')).toEqual({});
    const keys = Object.values(res(tfc, 'tfe_variable')).map((v) => v.key);
    expect(keys).toEqual(
      expect.arrayContaining(['AWS_REGION', 'LZ_PREFIX', 'LZ_TFC_ORGANIZATION', 'LZ_TFC_PROJECT']),
    );
    expect(keys).not.toContain('AWS_SECRET_ACCESS_KEY');
    expect(tfc.variable).toBeUndefined();
  });
});

describe('bootstrap phases', () => {
  let initial: Json;
  let complete: Json;
  beforeAll(() => {
    initial = buildTfc(exampleEnv((raw) => (raw.terraformCloud.bootstrapPhase = 'initial'))).tfc;
    // the same serialization (Testing.synth) for both sides of the comparison
    complete = JSON.parse(Testing.synth(example().lz.tfc));
    expect(exampleEnv().terraformCloud.bootstrapPhase).toBe('complete');
  });

  /** Every element of a stack as `type.name` → body (metadata dropped). */
  const elements = (json: Json): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const block of ['resource', 'data'] as const) {
      for (const [type, byName] of Object.entries(json[block] ?? {})) {
        for (const [name, body] of Object.entries(byName as Json)) {
          out[`${block === 'data' ? 'data.' : ''}${type}.${name}`] = JSON.stringify(body);
        }
      }
    }
    return out;
  };

  it('phase initial differs only in the organization workspace running locally; complete adds only the OIDC wiring', () => {
    const a = elements(initial);
    const b = elements(complete);
    const onlyInitial = Object.keys(a).filter((k) => a[k] !== b[k]);
    const onlyComplete = Object.keys(b).filter((k) => a[k] !== b[k]);
    expect(onlyInitial).toEqual(['tfe_workspace_settings.organization']);
    expect(JSON.parse(a['tfe_workspace_settings.organization'])).toMatchObject({
      execution_mode: 'local',
    });
    expect(JSON.parse(b['tfe_workspace_settings.organization'])).toMatchObject({
      execution_mode: 'remote',
    });
    // phase complete: the management outputs read and the dynamic-credential variables
    expect(
      onlyComplete.filter(
        (k) =>
          !k.startsWith('data.tfe_outputs.') &&
          !/^tfe_variable\.aws-credentials-/.test(k) &&
          k !== 'tfe_workspace_settings.organization',
      ),
    ).toEqual([]);
    expect(onlyComplete.some((k) => k.startsWith('data.tfe_outputs.'))).toBe(true);
    const common = Object.keys(a).filter(
      (k) => k in b && k !== 'tfe_workspace_settings.organization',
    );
    for (const k of common) expect(a[k]).toBe(b[k]);
  });

  it('phase initial stores no AWS credential in TFC: no variable set but the shared one, no sensitive variable, no Terraform variable', () => {
    // HashiCorp's bootstrap: the trust is created by a local run with the operator's own session
    // (https://developer.hashicorp.com/terraform/tutorials/cloud/dynamic-credentials)
    expect(Object.values(res(initial, 'tfe_variable_set')).map((v) => v.name)).toEqual([
      'acme-landing-zone',
    ]);
    expect(res(initial, 'tfe_workspace_variable_set')).toEqual({});
    const keys = Object.values(res(initial, 'tfe_variable')).map((v) => v.key);
    for (const k of keys) expect(k).not.toMatch(/^AWS_(ACCESS|SECRET|SESSION)/);
    expect(Object.values(res(initial, 'tfe_variable')).filter((v) => v.sensitive)).toEqual([]);
    expect(initial.variable).toBeUndefined();
    expect(initial.data?.tfe_outputs).toBeUndefined();
    expect(keys).not.toContain('TFC_AWS_PROVIDER_AUTH');
  });
});

describe('no secret in cdktf.out', () => {
  const SENTINELS = {
    TFE_TOKEN: 'sentinel-tfe-token-0b1d',
    AWS_ACCESS_KEY_ID: 'AKIASENTINEL00000000',
    AWS_SECRET_ACCESS_KEY: 'sentinel-secret-access-key-7f3a',
    AWS_SESSION_TOKEN: 'sentinel-session-token-91c2',
    [`TF_VAR_${notificationVariable('ops-slack', 'url')}`]:
      'https://hooks.slack.com/services/SENTINEL',
    [`TF_VAR_${notificationVariable('audit-hook', 'token')}`]: 'sentinel-hmac-token-55e0',
  };
  const saved: Record<string, string | undefined> = {};
  let files: Record<string, string>;
  let outdir: string;
  let tfc: Json;
  beforeAll(() => {
    for (const [k, v] of Object.entries(SENTINELS)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    try {
      const { app, out } = build(
        exampleEnv((raw) => {
          raw.terraformCloud.bootstrapPhase = 'initial';
          raw.terraformCloud.notifications = {
            'ops-slack': { destinationType: 'slack' },
            'audit-hook': { destinationType: 'generic', triggers: ['run:completed'] },
          };
        }),
      );
      tfc = out.tfc;
      files = {};
      const walk = (dir: string) => {
        for (const f of readdirSync(dir)) {
          const p = join(dir, f);
          if (statSync(p).isDirectory()) walk(p);
          else files[p] = readFileSync(p, 'utf8');
        }
      };
      outdir = app.outdir;
      walk(outdir);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('writes no secret supplied in the environment to any synthesized file', () => {
    expect(Object.keys(files).length).toBeGreaterThan(1);
    for (const [path, text] of Object.entries(files)) {
      for (const secret of Object.values(SENTINELS)) {
        if (text.includes(secret)) throw new Error(`${path} contains a secret`);
      }
    }
  });

  it('holds no secret-like literal (the CI secret scan over the whole output)', () => {
    const { files: scanned, findings } = scanDirectory(outdir);
    expect(scanned).toBe(Object.keys(files).filter((f) => f.endsWith('.json')).length);
    expect(findings).toEqual([]);
  });

  it('passes every sensitive value as a reference to a sensitive variable', () => {
    for (const v of Object.values(res(tfc, 'tfe_variable')).filter((x) => x.sensitive)) {
      expect(v.value).toMatch(/^\$\{var\.[a-z_]+\}$/);
      expect(tfc.variable[v.value.slice(6, -1)].sensitive).toBe(true);
    }
    for (const n of Object.values(res(tfc, 'tfe_notification_configuration'))) {
      expect(n.url).toMatch(/^\$\{var\.notification_[a-z_]+_url\}$/);
      // the HMAC token only ever as the write-only token_wo (never stored in state)
      expect(n.token).toBeUndefined();
      if (n.token_wo !== undefined)
        expect(n.token_wo).toBe(`\${var.${notificationVariable('audit-hook', 'token')}}`);
    }
    for (const name of Object.keys(tfc.variable))
      expect(tfc.variable[name]).toMatchObject({ sensitive: true });
  });
});

/**
 * The example with VCS runs, settings, notifications, team access and no CI teams
 * (`terraformCloud.ciTeams: false`), built once for the two describes that read it.
 */
let vcsBuild: ReturnType<typeof buildTfc> | undefined;
const vcsExample = () =>
  (vcsBuild ??= buildTfc(
    exampleEnv((raw) => {
      // no agent pool: the cluster API is allow-listed instead of private-only
      delete raw.terraformCloud.agentPool;
      raw.clusters['main-01'].endpoint = { publicAccessCidrs: ['198.51.100.0/24'] };
      Object.assign(raw.terraformCloud, {
        runStyle: 'vcs',
        vcs: { repository: 'acme/landing-zone', githubApp: { name: 'acme' } },
        ciTeams: false,
        tags: { team: 'platform' },
        workspaces: {
          organization: {
            autoApply: true,
            description: 'The org',
            tags: { tier: 'core' },
            triggerPatterns: ['cdktf.out/stacks/organization/*.json'],
          },
        },
        notifications: {
          'ops-email': {
            destinationType: 'email',
            emailUsers: ['jane.doe@acme.example'],
            workspaces: ['organization'],
          },
          'ops-teams': { destinationType: 'microsoft-teams', triggers: ['run:errored'] },
          unsigned: { destinationType: 'generic', signed: false },
        },
        teamAccess: {
          'platform-admins': { access: 'admin' },
          auditors: { access: 'read', workspaces: ['organization'] },
        },
      });
    }),
  ));

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
    expect(wired.triggers).toEqual([
      'cluster-main-01->platform-main-01',
      'network->cluster-main-01',
      'network->platform-main-01',
      'organization->account-management',
      'organization->security',
      'security->account-management',
      'security->account-production',
      'security->account-security',
    ]);
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

// ---- edge derivation against small synthetic stacks -------------------------------------

const env = exampleEnv();
const specOf = (id: string, account?: string): StackSpec => ({
  id,
  kind: 'network',
  workspace: `${env.prefix}-${id}`,
  account,
});
const tfcSpec: StackSpec = { id: 'tfc', kind: 'tfc', workspace: `${env.prefix}-tfc` };

class Producer extends LandingZoneStack {
  readonly caller: DataAwsCallerIdentity;
  constructor(scope: Construct, props: LandingZoneStackProps) {
    super(scope, props);
    this.awsProvider('aws');
    this.caller = new DataAwsCallerIdentity(this, 'caller');
  }
}

class Consumer extends LandingZoneStack {
  /** A second account reached with tagged dynamic credentials. */
  readonly tfcAdditionalAwsAccounts = { SECURITY: 'security' };
  constructor(scope: Construct, props: LandingZoneStackProps & { from: Producer[] }) {
    super(scope, props);
    this.awsProvider('aws');
    props.from.forEach(
      (p, i) =>
        new SsmParameter(this, `p${i}`, {
          name: `/x/${i}`,
          type: 'String',
          value: p.caller.accountId,
        }),
    );
  }
}

describe('edges from synthetic cross-stack references', () => {
  let out: Record<string, Json>;
  let stacks: TerraformStack[];
  let tfcStack: TfcStack;
  beforeAll(() => {
    const app = testApp();
    const a = new Producer(app, { env, spec: specOf('alpha', 'production'), backend: 'cloud' });
    const b = new Producer(app, { env, spec: specOf('beta', 'production'), backend: 'cloud' });
    const c = new Consumer(app, {
      env,
      spec: specOf('gamma', 'production'),
      backend: 'cloud',
      from: [a, b],
    });
    const d = new Consumer(app, { env, spec: specOf('delta'), backend: 'cloud', from: [a] });
    const lone = new Producer(app, {
      env,
      spec: { ...specOf('organization', 'management'), kind: 'organization' },
      backend: 'cloud',
    });
    stacks = [a, b, c, d, lone];
    tfcStack = new TfcStack(app, { env, spec: tfcSpec, stacks });
    out = synthApp(app);
  });

  it('finds exactly the references cdktf resolved', () => {
    expect(recordedEdges(stacks)).toEqual(['alpha->delta', 'alpha->gamma', 'beta->gamma']);
    // cdktf wired the consumer to the producer's workspace through remote state
    expect(Object.values(out.gamma.data.terraform_remote_state)).toHaveLength(2);
  });

  it('shares each producer state with exactly its consumers (no run triggers with runStyle cli)', () => {
    const wired = wiredEdges(out.tfc);
    expect(wired.sharing).toEqual(['alpha->delta', 'alpha->gamma', 'beta->gamma']);
    expect(wired.triggers).toEqual([]);
    expect(res(out.tfc, 'tfe_workspace_settings').organization.remote_state_consumer_ids).toEqual(
      [],
    );
    expect(res(out.tfc, 'tfe_workspace_settings').gamma.remote_state_consumer_ids).toEqual([]);
  });

  it('is idempotent: preparing again adds no edge, trigger or remote state', () => {
    const before = Object.keys(tfcStack.runTriggers).length;
    for (const s of [...stacks, tfcStack]) s.prepareStack();
    expect(Object.keys(tfcStack.runTriggers)).toHaveLength(before);
    expect(recordedEdges(stacks)).toHaveLength(3);
    expect(
      Object.values(JSON.parse(Testing.synth(stacks[2])).data.terraform_remote_state),
    ).toHaveLength(2);
  });

  it('adds tagged dynamic credentials for additional accounts and none to stacks without an account', () => {
    const vars = workspaceVariables(out.tfc);
    expect(Object.keys(vars.gamma).sort()).toEqual([
      'TFC_AWS_APPLY_ROLE_ARN',
      'TFC_AWS_APPLY_ROLE_ARN_SECURITY',
      'TFC_AWS_PLAN_ROLE_ARN',
      'TFC_AWS_PLAN_ROLE_ARN_SECURITY',
      'TFC_AWS_PROVIDER_AUTH',
      'TFC_AWS_PROVIDER_AUTH_SECURITY',
    ]);
    expect(vars.gamma.TFC_AWS_PLAN_ROLE_ARN_SECURITY.value).toMatch(
      /tfc_roles\.gamma\.aliases\.SECURITY\.plan_role_arn\}$/,
    );
    expect(vars.gamma.TFC_AWS_PLAN_ROLE_ARN.value).toMatch(/tfc_roles\.gamma\.plan_role_arn\}$/);
    expect(Object.keys(vars.delta).sort()).toEqual([
      'TFC_AWS_APPLY_ROLE_ARN_SECURITY',
      'TFC_AWS_PLAN_ROLE_ARN_SECURITY',
      'TFC_AWS_PROVIDER_AUTH_SECURITY',
    ]);
    expect(Object.keys(vars.organization).sort()).toEqual([
      'TFC_AWS_APPLY_ROLE_ARN',
      'TFC_AWS_PLAN_ROLE_ARN',
      'TFC_AWS_PROVIDER_AUTH',
    ]);
  });
});

describe('TFC stack errors', () => {
  it('refuses a stack built after it (no workspace) when the app synthesizes', () => {
    const app = testApp();
    const a = new Producer(app, { env, spec: specOf('alpha', 'production'), backend: 'cloud' });
    const mgmt = new Producer(app, {
      env,
      spec: { ...specOf('organization', 'management'), kind: 'organization' },
      backend: 'cloud',
    });
    new TfcStack(app, { env, spec: tfcSpec, stacks: [a, mgmt] });
    new Producer(app, { env, spec: specOf('late', 'production'), backend: 'cloud' });
    expect(() => app.synth()).toThrow(
      'tfc: stack(s) "late" have no workspace: build the TFC stack after every other stack',
    );
  });

  it('needs the organization stack in phase complete', () => {
    const app = testApp();
    const a = new Producer(app, { env, spec: specOf('alpha', 'production') });
    expect(() => new TfcStack(app, { env, spec: tfcSpec, stacks: [a] })).toThrow(
      'tfc: bootstrapPhase complete needs the organization stack (role ARNs come from its outputs)',
    );
  });

  it('rejects duplicate stacks', () => {
    const app = testApp();
    const a = new Producer(app, { env, spec: specOf('alpha', 'production') });
    expect(() => new TfcStack(app, { env, spec: tfcSpec, stacks: [a, a] })).toThrow(
      'tfc: stack "alpha" is listed twice',
    );
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

describe('100 accounts, 20 clusters', () => {
  // A workspace name: "up to 90 characters" (HCP Terraform, creating workspaces:
  // https://developer.hashicorp.com/terraform/cloud-docs/workspaces/create); run triggers: "up to
  // 20 source workspaces" (tfe 0.71 r/run_trigger docs).
  // One build (the app's build at this size takes seconds): VCS runs, so the run triggers exist too.
  const scaled = () =>
    buildTfc(
      scaledEnvWith({ accounts: 100, clusters: 20, clusterAccounts: 'spread' }, (raw) =>
        Object.assign(raw.terraformCloud, {
          runStyle: 'vcs',
          vcs: { repository: 'acme/lz', githubApp: { name: 'acme' } },
        }),
      ),
    );

  it('synthesizes the TFC stack within the TFC limits (VCS runs, run triggers included)', () => {
    const { lz, tfc } = scaled();
    const others = lz.specs.filter((s) => s.kind !== 'tfc');
    expect(others.length).toBeGreaterThanOrEqual(42);
    const workspaces = res(tfc, 'tfe_workspace');
    expect(Object.keys(workspaces)).toHaveLength(others.length + 1);
    for (const w of Object.values(workspaces)) expect(w.name.length).toBeLessThanOrEqual(90);
    const wired = wiredEdges(tfc);
    expect(wired.triggers).toEqual(wired.sharing);
    expect(wired.triggers.length).toBeGreaterThanOrEqual(60);
    const sources: Record<string, number> = {};
    for (const e of wired.triggers) {
      const consumer = e.split('->')[1];
      sources[consumer] = (sources[consumer] ?? 0) + 1;
    }
    for (const [c, n] of Object.entries(sources)) expect([c, n <= 20]).toEqual([c, true]);
    // single ownership holds at scale too
    for (const [name, s] of Object.entries(res(tfc, 'tfe_workspace_settings'))) {
      expect(workspaces[name].auto_apply).toBeUndefined();
      expect(s.auto_apply).toBe(false);
    }
    // one pool, admitting every platform workspace
    const allowed = Object.values(res(tfc, 'tfe_agent_pool_allowed_workspaces'));
    expect(allowed).toHaveLength(1);
    expect(allowed[0].allowed_workspace_ids).toHaveLength(20);
  });
});
