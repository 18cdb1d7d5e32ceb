/**
 * `terraformCloud` config rules: defaults, and a failing case with its message for every rule.
 */
import type { z } from 'zod';
import { checkTerraformCloud } from '../../../envs/schema/terraform-cloud-rules';
import type { Environment } from '../../../envs/schema';
import { exampleEnv, problemsOf } from '../../support/env';

type Raw = Record<string, any>;
const tfc = (edit: (t: Raw) => void) => (raw: Raw) => edit(raw.terraformCloud);

/** Issues `checkTerraformCloud` reports for the example changed by `edit`, as `path: message`. */
function crossFieldProblems(edit: (env: Environment) => void): string[] {
  const env = exampleEnv();
  edit(env);
  const problems: string[] = [];
  const ctx = {
    addIssue: (i: { path: (string | number)[]; message: string }) =>
      problems.push(
        `${i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : n === 0 ? p : `.${p}`)).join('')}: ${i.message}`,
      ),
  } as unknown as z.RefinementCtx;
  checkTerraformCloud(env, ctx);
  return problems;
}

describe('terraformCloud defaults', () => {
  it('defaults to CLI runs, phase complete, no auto-apply, no notifications or team access', () => {
    const t = exampleEnv((raw) => {
      delete raw.terraformCloud.bootstrapPhase;
      delete raw.terraformCloud.runStyle;
    }).terraformCloud;
    expect(t).toMatchObject({
      runStyle: 'cli',
      bootstrapPhase: 'complete',
      hostname: 'app.terraform.io',
      tags: {},
      notifications: {},
      teamAccess: {},
    });
    expect(t.vcs).toBeUndefined();
  });

  it('defaults the TFC state to the local file, the CI teams on, and run triggers by run style', () => {
    const t = exampleEnv((raw) => {
      delete raw.terraformCloud.stateBackend;
    }).terraformCloud;
    expect(t.stateBackend).toBe('local');
    expect(t.ciTeams).toEqual({});
    expect(t.runTriggers).toBeUndefined(); // cli: none; vcs: on (stacks/tfc-stack.ts)
    expect(exampleEnv(tfc((t) => (t.ciTeams = false))).terraformCloud.ciTeams).toBe(false);
    expect(
      exampleEnv(
        tfc((t) =>
          Object.assign(t, {
            runStyle: 'vcs',
            vcs: { repository: 'acme/lz', githubApp: { name: 'acme' } },
            workspaces: { network: { autoApplyRunTriggers: true } },
          }),
        ),
      ).terraformCloud.workspaces.network.autoApplyRunTriggers,
    ).toBe(true);
  });

  it('fills workspace and notification defaults', () => {
    const t = exampleEnv(
      tfc((t) => {
        t.workspaces = { organization: {} };
        t.notifications = { ops: { destinationType: 'slack' } };
      }),
    ).terraformCloud;
    expect(t.workspaces.organization).toEqual({
      autoApply: false,
      autoApplyRunTriggers: false,
      allowDestroyPlan: false,
      tags: {},
    });
    expect(t.notifications.ops).toMatchObject({
      triggers: ['run:needs_attention', 'run:errored'],
      signed: true,
      enabled: true,
    });
  });

  it('accepts a VCS setup', () => {
    const t = exampleEnv(
      tfc((t) => {
        t.runStyle = 'vcs';
        t.vcs = { repository: 'acme/landing-zone', githubApp: { installationId: 1234 } };
      }),
    ).terraformCloud;
    expect(t.vcs).toEqual({
      repository: 'acme/landing-zone',
      branch: 'main',
      githubApp: { installationId: 1234 },
    });
  });
});

describe('terraformCloud rules', () => {
  const cases: [string, (t: Raw) => void, string][] = [
    [
      'vcs without vcs settings',
      (t) => (t.runStyle = 'vcs'),
      'terraformCloud.vcs: is required with runStyle: vcs',
    ],
    [
      'vcs settings with CLI runs',
      (t) => (t.vcs = { repository: 'acme/lz', githubApp: { name: 'acme' } }),
      'terraformCloud.vcs: is only used with runStyle: vcs (remove it or set runStyle: vcs)',
    ],
    [
      'both GitHub App selectors',
      (t) =>
        Object.assign(t, {
          runStyle: 'vcs',
          vcs: { repository: 'acme/lz', githubApp: { name: 'acme', installationId: 1 } },
        }),
      'terraformCloud.vcs.githubApp: set exactly one of name or installationId',
    ],
    [
      'no GitHub App selector',
      (t) => Object.assign(t, { runStyle: 'vcs', vcs: { repository: 'acme/lz', githubApp: {} } }),
      'terraformCloud.vcs.githubApp: set exactly one of name or installationId',
    ],
    [
      'a bad repository',
      (t) =>
        Object.assign(t, {
          runStyle: 'vcs',
          vcs: { repository: 'https://github.com/acme/lz', githubApp: { name: 'a' } },
        }),
      'terraformCloud.vcs.repository: must be a GitHub repository "<owner>/<repo>"',
    ],
    [
      'trigger patterns with CLI runs',
      (t) => (t.workspaces = { organization: { triggerPatterns: ['x/**'] } }),
      'terraformCloud.workspaces.organization.triggerPatterns: is only used with runStyle: vcs',
    ],
    [
      'run triggers with CLI runs',
      (t) => (t.runTriggers = true),
      "terraformCloud.runTriggers: is refused with runStyle: cli: CI's cdktf deploy orders the stacks, and a triggered run of a consumer's previous configuration would wait for confirmation and block the run the deploy uploads next",
    ],
    [
      'auto-applied triggered runs with CLI runs',
      (t) => (t.workspaces = { network: { autoApplyRunTriggers: true } }),
      'terraformCloud.workspaces.network.autoApplyRunTriggers: needs runTriggers: true',
    ],
    [
      'auto-applied triggered runs with CLI runs (the CI reason)',
      (t) => (t.workspaces = { network: { autoApplyRunTriggers: true } }),
      "terraformCloud.workspaces.network.autoApplyRunTriggers: is refused with runStyle: cli: a triggered run would apply the consumer's previous configuration in the middle of CI's deploy",
    ],
    [
      'auto-applied triggered runs with VCS runs but no triggers',
      (t) =>
        Object.assign(t, {
          runStyle: 'vcs',
          runTriggers: false,
          vcs: { repository: 'acme/lz', githubApp: { name: 'acme' } },
          workspaces: { network: { autoApplyRunTriggers: true } },
        }),
      'terraformCloud.workspaces.network.autoApplyRunTriggers: needs runTriggers: true',
    ],
    [
      'one team for plan and apply',
      (t) => (t.ciTeams = { plan: 'ci', apply: 'ci' }),
      'terraformCloud.ciTeams.apply: must differ from ciTeams.plan',
    ],
    [
      'a bad CI team name',
      (t) => (t.ciTeams = { plan: 'ci plan' }),
      'terraformCloud.ciTeams.plan: must be a TFC team name (letters, digits, "-", "_")',
    ],
    [
      'an unknown state backend',
      (t) => (t.stateBackend = 's3'),
      'terraformCloud.stateBackend: Invalid option: expected one of "local"|"workspace"',
    ],
    [
      'an unknown phase',
      (t) => (t.bootstrapPhase = 'first'),
      'terraformCloud.bootstrapPhase: Invalid option: expected one of "initial"|"complete"',
    ],
    [
      'email without users',
      (t) => (t.notifications = { ops: { destinationType: 'email' } }),
      'terraformCloud.notifications.ops.emailUsers: is required with destinationType: email',
    ],
    [
      'email users on Slack',
      (t) => (t.notifications = { ops: { destinationType: 'slack', emailUsers: ['a@b.example'] } }),
      'terraformCloud.notifications.ops.emailUsers: is only used with destinationType: email',
    ],
    [
      'an unknown trigger',
      (t) => (t.notifications = { ops: { destinationType: 'slack', triggers: ['run:exploded'] } }),
      'terraformCloud.notifications.ops.triggers[0]: Invalid option',
    ],
    [
      'a bad tag key',
      (t) => (t.tags = { 'bad key': 'x' }),
      'terraformCloud.tags.bad key: must be 1-128 letters, digits, "_", "-", ".", ":", starting with a letter or digit',
    ],
    [
      'an unknown access level',
      (t) => (t.teamAccess = { ops: { access: 'owner' } }),
      'terraformCloud.teamAccess.ops.access: Invalid option',
    ],
    [
      'a bad agent pool name',
      (t) => (t.agentPool = { name: 'vpc agents' }),
      'terraformCloud.agentPool.name: must be letters, digits, "-" or "_"',
    ],
    [
      'an unknown agent pool kind',
      (t) => (t.agentPool = { name: 'vpc-agents', kinds: ['tfc'] }),
      'terraformCloud.agentPool.kinds[0]: Invalid option',
    ],
    [
      'an empty agent pool kind list',
      (t) => (t.agentPool = { name: 'vpc-agents', kinds: [] }),
      'terraformCloud.agentPool.kinds: Too small',
    ],
    [
      'an unknown workspace setting',
      (t) => (t.workspaces = { organization: { autoApprove: true } }),
      'terraformCloud.workspaces.organization.autoApprove: unknown key (not in the schema)',
    ],
  ];
  it.each(cases)('rejects %s', (_name, edit, message) => {
    const problems = problemsOf(tfc(edit));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)),
      ]),
    );
  });
});

describe('terraformCloud cross-field rules (checkTerraformCloud)', () => {
  it('accepts the example', () => {
    expect(crossFieldProblems(() => {})).toEqual([]);
  });

  it('rejects settings for a stack the app does not build', () => {
    expect(
      crossFieldProblems((e) => (e.terraformCloud.workspaces = { 'cluster-main-02': {} as never })),
    ).toEqual([
      expect.stringMatching(
        /^terraformCloud\.workspaces\.cluster-main-02: no workspace for stack "cluster-main-02" \(known: organization, security, account-management, account-security, account-production, network, cluster-main-01, platform-main-01\)$/,
      ),
    ]);
  });

  it('rejects the TFC stack itself as a workspace', () => {
    expect(
      crossFieldProblems((e) => (e.terraformCloud.workspaces = { tfc: {} as never }))[0],
    ).toMatch(/^terraformCloud\.workspaces\.tfc: no workspace for stack "tfc"/);
  });

  it('needs an agent pool for platform runs when a cluster API is private only', () => {
    const message =
      'terraformCloud.agentPool: clusters main-01 have a private-only API endpoint: their platform stacks must run on agents in the VPC (set agentPool with kinds including platform)';
    expect(problemsOf(tfc((t) => delete t.agentPool))).toEqual([message]);
    expect(
      problemsOf(tfc((t) => (t.agentPool = { name: 'vpc-agents', kinds: ['cluster'] }))),
    ).toEqual([message]);
    // an allow-listed public endpoint is the other way (docs/clusters.md, "Reaching the cluster API")
    expect(
      problemsOf((raw) => {
        delete raw.terraformCloud.agentPool;
        raw.clusters['main-01'].endpoint = { publicAccessCidrs: ['198.51.100.0/24'] };
      }),
    ).toEqual([]);
  });

  it('defaults the agent pool kinds to platform', () => {
    expect(
      exampleEnv(tfc((t) => (t.agentPool = { name: 'vpc-agents' }))).terraformCloud.agentPool,
    ).toEqual({ name: 'vpc-agents', kinds: ['platform'] });
  });

  it('rejects unknown stacks in notification and team workspaces', () => {
    const problems = crossFieldProblems((e) => {
      e.terraformCloud.notifications = {
        ops: { destinationType: 'slack', workspaces: ['organization', 'nope'] } as never,
      };
      e.terraformCloud.teamAccess = { auditors: { access: 'read', workspaces: ['nada'] } };
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^terraformCloud\.notifications\.ops\.workspaces\[1\]: no workspace for stack "nope"/,
      ),
      expect.stringMatching(
        /^terraformCloud\.teamAccess\.auditors\.workspaces\[0\]: no workspace for stack "nada"/,
      ),
    ]);
  });
});
