/**
 * `.github/workflows/ci.yml`, parsed (yaml): which jobs see which secrets, the shell every step
 * runs in, the environment of the deploy job, where the run style comes from, and the guards.
 *
 * GitHub facts relied on (github/docs):
 * - workflow-syntax, `defaults.run.shell`: unspecified on Linux = `bash -e {0}`; `bash` =
 *   `bash --noprofile --norc -eo pipefail {0}`
 *   (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#defaultsrunshell);
 * - "secrets are not passed to the runner when a workflow is triggered from a forked
 *   repository" — same-repository `pull_request` runs DO get repository secrets, from a workflow
 *   file the branch controls;
 * - deployments-and-environments: "The deployment branch or tag rule is matched against the
 *   `GITHUB_REF` of the workflow run" and "These secrets are only available to workflow jobs
 *   that use the environment"
 *   (https://docs.github.com/en/actions/reference/workflows-and-actions/deployments-and-environments).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

type Job = Record<string, any>;
const workflow = parse(
  readFileSync(join(__dirname, '..', '..', '.github', 'workflows', 'ci.yml'), 'utf8'),
) as Record<string, any>;
const jobs = workflow.jobs as Record<string, Job>;

/** Every `secrets.<NAME>` a job's text mentions (env, steps, with:). */
function secretsOf(job: Job): string[] {
  return [
    ...new Set([...JSON.stringify(job).matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((m) => m[1])),
  ];
}

/** The `run:` scripts of a job. */
const runs = (job: Job): string[] => (job.steps as Job[]).flatMap((s) => (s.run ? [s.run] : []));

describe('ci.yml', () => {
  it('names its environment: LZ_ENV comes from the repository variable with no fallback, and the check job (which every other job needs) fails without it', () => {
    expect(workflow.env.LZ_ENV).toBe('${{ vars.LZ_ENV }}');
    const guard = (jobs.check.steps as Job[])[0];
    expect(guard.run).toMatch(/if \[ -z "\$LZ_ENV" \]; then[\s\S]*exit 1/);
    for (const [name, job] of Object.entries(jobs))
      if (name !== 'check')
        expect([name, [job.needs].flat()]).toEqual([name, expect.arrayContaining(['check'])]);
  });

  it('runs every step in bash with pipefail: defaults.run.shell bash, no step or job overrides it', () => {
    expect(workflow.defaults).toEqual({ run: { shell: 'bash' } });
    for (const [name, job] of Object.entries(jobs)) {
      expect([name, job.defaults?.run?.shell ?? 'bash']).toEqual([name, 'bash']);
      for (const step of job.steps as Job[]) expect(step.shell ?? 'bash').toBe('bash');
    }
  });

  it('gives pull-request jobs only the plan-only token, and the write token only to the deploy job in production', () => {
    const seen = Object.fromEntries(Object.entries(jobs).map(([n, j]) => [n, secretsOf(j)]));
    expect(seen).toEqual({
      check: [],
      compare: [],
      plan: ['TFC_PLAN_TOKEN'],
      deploy: ['TFC_APPLY_TOKEN'],
    });
    // the workflow-level env passes no secret to every job
    expect(JSON.stringify(workflow.env)).not.toMatch(/secrets\./);
    // the write token is an environment secret: only the job that names the environment gets it
    expect(jobs.deploy.environment).toBe('production');
    for (const [name, job] of Object.entries(jobs))
      if (name !== 'deploy') expect([name, job.environment]).toEqual([name, undefined]);
  });

  it('runs the deploy job only on a push to main, with CLI runs and a completed bootstrap; plan only on same-repository PRs', () => {
    const deployIf = String(jobs.deploy.if);
    expect(deployIf).toContain("github.event_name == 'push'");
    expect(deployIf).toContain("github.ref == 'refs/heads/main'");
    expect(deployIf).toContain("needs.check.outputs.run-style == 'cli'");
    expect(deployIf).toContain("needs.check.outputs.bootstrap-phase == 'complete'");
    const planIf = String(jobs.plan.if);
    expect(planIf).toContain("github.event_name == 'pull_request'");
    expect(planIf).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    expect(planIf).toContain("needs.check.outputs.run-style == 'cli'");
    expect(workflow.concurrency['cancel-in-progress']).toBe(
      "${{ github.event_name == 'pull_request' }}",
    );
  });

  it('takes the run style from the environment file, not from a repository variable', () => {
    expect(JSON.stringify(workflow)).not.toMatch(/vars\.TFC_RUN_STYLE/);
    expect(jobs.check.outputs['run-style']).toBe('${{ steps.tf.outputs.run-style }}');
    const tf = (jobs.check.steps as Job[]).find((s) => s.id === 'tf')!;
    expect(tf.run).toContain('loadEnvironment().terraformCloud');
    expect(tf.run).toContain("'run-style=' + t.runStyle");
  });

  it('detects untracked stack folders in the committed-synth check (git status --porcelain)', () => {
    const step = (jobs.check.steps as Job[]).find((s) => /committed synth/.test(s.name ?? ''))!;
    expect(step.if).toBe("steps.tf.outputs.run-style == 'vcs'");
    expect(step.run).toMatch(/git status --porcelain --untracked-files=all -- cdktf\.out\/stacks/);
    expect(step.run).not.toMatch(/git diff/);
  });

  it('fails a PR whose tfc stack differs from the base branch, with the command to run, unless labeled tfc-deployed', () => {
    expect(workflow.on.pull_request.types).toEqual(
      expect.arrayContaining(['opened', 'synchronize', 'labeled', 'unlabeled']),
    );
    const gate = (jobs.compare.steps as Job[]).find((s) => /tfc stack/.test(s.name ?? ''))!;
    expect(gate.run).toContain(
      'cmp -s cdktf.out/stacks/tfc/cdk.tf.json ../base/cdktf.out/stacks/tfc/cdk.tf.json',
    );
    expect(gate.run).toContain('npx cdktf deploy tfc');
    expect(gate.run).toMatch(/::error title=tfc stack changed::/);
    expect(gate.run).toMatch(/exit 1/);
    expect(gate.env.TFC_DEPLOYED).toContain("'tfc-deployed'");
    expect(jobs.plan.needs).toEqual(['check', 'compare']);
  });

  it('refuses an empty or null workspace ID before deploying or planning', () => {
    for (const job of [jobs.deploy, jobs.plan]) {
      const script = runs(job).join('\n');
      expect(script).toMatch(/jq -r \.data\.id\) \|\| id=""/);
      expect(script).toContain('[ -z "$id" ] || [ "$id" = null ]');
    }
  });

  // The guard itself, run in the shell GitHub uses for `shell: bash`, with the API stubbed: a
  // failed request (curl -f exits 22) and a 200 without an ID must both stop the job.
  const hasJq = spawnSync('jq', ['--version'], { timeout: 10_000 }).status === 0;
  (hasJq ? it : it.skip)(
    'stops the deploy on a failed workspace lookup and on a null ID (bash -eo pipefail, jq)',
    () => {
      const script = runs(jobs.deploy).join('\n');
      const loop = script.slice(script.indexOf('for s in $stacks; do'), script.indexOf('done') + 4);
      const dir = mkdtempSync(join(tmpdir(), 'ci-guard-'));
      mkdirSync(join(dir, 'cdktf.out/stacks/network'), { recursive: true });
      writeFileSync(
        join(dir, 'cdktf.out/stacks/network/cdk.tf.json'),
        JSON.stringify({
          terraform: { cloud: { hostname: 'h', organization: 'o', workspaces: { name: 'w' } } },
        }),
      );
      const run = (api: string) =>
        spawnSync(
          'bash',
          [
            '--noprofile',
            '--norc',
            '-eo',
            'pipefail',
            '-c',
            `${api}\nstacks=network\n${loop}\necho passed`,
          ],
          { cwd: dir, encoding: 'utf8', timeout: 60_000 }, // no per-test timeout (docs/testing.md)
        );
      for (const api of [
        'api() { return 22; }',
        `api() { echo '{"data":null}'; }`,
        `api() { echo '{}'; }`,
      ]) {
        const r = run(api);
        expect([api, r.status, r.stdout]).toEqual([
          api,
          1,
          expect.stringContaining('::error title=no workspace::network (w)'),
        ]);
        expect(r.stdout).not.toContain('passed');
      }
      const ok = run(`api() { echo '{"data":{"id":"ws-123"}}'; }`);
      expect([ok.status, ok.stdout.trim()]).toEqual([0, 'passed']);
      // and the unspecified default (`bash -e`, no pipefail) would have carried on: the bug fixed
      const old = execFileSync(
        'bash',
        [
          '-e',
          '-c',
          'api() { return 22; }; id=$(api | jq -r .data.id) || exit 1; echo "carried on with [$id]"',
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(old.trim()).toBe('carried on with []');
    },
  );

  it('gives each job that runs terraform init its own plugin cache, and deploys every stack but tfc in one cdktf deploy', () => {
    for (const job of [jobs.deploy, jobs.plan]) {
      const script = runs(job).join('\n');
      expect(script).toContain('export TF_PLUGIN_CACHE_DIR="$RUNNER_TEMP/tf-plugin-cache"');
    }
    const deploy = runs(jobs.deploy).join('\n');
    expect(deploy).toContain("filter((s) => s !== 'tfc')");
    expect(deploy).toMatch(/npx cdktf deploy \$stacks --skip-synth --auto-approve/);
    // all dependencies are listed: never --ignore-missing-stack-dependencies (which drops ordering)
    expect(deploy).not.toContain('--ignore-missing-stack-dependencies');
    // no janitor discarding triggered runs: CLI mode has no run triggers
    expect(deploy).not.toContain('tfe-run-trigger');
  });

  it('pins every action by commit SHA', () => {
    for (const job of Object.values(jobs))
      for (const step of job.steps as Job[])
        if (step.uses) expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
  });
});
