/**
 * The TFC bootstrap stack's edges against small synthetic stacks (state sharing, run triggers and
 * tagged dynamic credentials follow exactly the references cdktf resolved), its errors, and a
 * generated 100-account / 20-cluster environment within the TFC limits. The rest:
 * tfc-stack.test.ts.
 */
import { Testing, type TerraformStack } from 'cdktf';
import { TfcStack } from '../../stacks/tfc-stack';
import { testApp } from '../support/synth';
import {
  Consumer,
  Producer,
  buildTfc,
  env,
  recordedEdges,
  res,
  scaledEnvWith,
  specOf,
  synthBuiltApp,
  tfcSpec,
  wiredEdges,
  workspaceVariables,
  type Json,
} from '../support/tfc-fixtures';

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
    out = synthBuiltApp(app);
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
