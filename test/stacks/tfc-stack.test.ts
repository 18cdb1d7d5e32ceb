/**
 * The TFC bootstrap stack: one workspace per built stack, dynamic credentials, state sharing
 * and run triggers that follow the real cross-stack references, bootstrap phases, and no secret
 * in cdktf.out. Run styles, notifications, team access, the agent pool, CI teams and the state
 * backend: tfc-stack.settings.test.ts; edges of synthetic stacks, errors and 100 accounts / 20
 * clusters: tfc-stack.edges.test.ts.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { planStacks } from '../../envs/stack-plan';
import type { LandingZone } from '../../stacks/app';
import type { LandingZoneStack } from '../../stacks/base-stack';
import { notificationVariable } from '../../stacks/tfc-stack';
import { exampleEnv } from '../support/env';
import { scanDirectory } from '../support/secret-scan';
import {
  EXAMPLE_EDGES,
  build,
  buildTfc,
  example,
  recordedEdges,
  ref,
  remoteStateEdges,
  res,
  wiredEdges,
  workspaceVariables,
  type Json,
} from '../support/tfc-fixtures';

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
    const expected = EXAMPLE_EDGES;
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
