/**
 * constructs/shared/resolve-once.ts: an `App.synth()` that resolves each element once, with the
 * walk of constructs/shared/fast-resolve.ts (as main.ts synthesizes), writes exactly what
 * cdktf's own three passes and its own walk write, for the example and for variants (several
 * clusters in several accounts, the separate log-archive account, the cloud backend), and falls
 * back to cdktf's path where an aspect may change elements. The facts it relies on are read
 * from cdktf 0.21.0 as installed (node_modules/cdktf/lib): these tests fail if an upgrade
 * changes them.
 */
import { readFileSync, readdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App, Aspects, TerraformStack, Tokenization, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { resolveOnce, restoreCdktf } from '../../../constructs/shared/resolve-once';
import { GuardrailAspect } from '../../../constructs/guardrails/aspect';
import { installFastResolve } from '../../../constructs/shared/fast-resolve';
import { buildLandingZone } from '../../../stacks/app';
import type { Environment } from '../../../envs/schema';
import { exampleEnv } from '../../support/env';
import { splitArchiveEnv } from '../../support/log-archive-split';

const cdktfLib = dirname(require.resolve('cdktf/lib/index.js'));
const install = () => resolveOnce(GuardrailAspect.isGuardrailAspect, {});
// back to the suite's setting (test/support/setup.ts: from the environment), which later files
// of the worker share (docs/testing.md, "How jest runs")
afterAll(() => {
  resolveOnce(GuardrailAspect.isGuardrailAspect);
  installFastResolve();
});

/** Every file an app writes (relative path -> content), manifest included. */
function written(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel))) {
      const path = join(rel, name);
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else out[path] = readFileSync(join(dir, path), 'utf8');
    }
  };
  walk('');
  return out;
}

/**
 * Synthesizes `build` into a fresh app twice, with cdktf's path and with resolveOnce and the
 * fast walk.
 * @returns what each wrote, and how many top-level `Tokenization.resolve` calls each made
 */
function bothWays(build: (app: App) => void) {
  const run = () => {
    const outdir = mkdtempSync(join(tmpdir(), 'lz-resolve-once-'));
    const app = new App({ outdir, skipValidation: true });
    build(app);
    const spy = jest.spyOn(Tokenization, 'resolve');
    try {
      app.synth();
      return { files: written(outdir), resolves: spy.mock.calls.length };
    } finally {
      spy.mockRestore();
    }
  };
  restoreCdktf();
  installFastResolve({ LZ_DEBUG: '1' });
  const cdktf = run();
  install();
  installFastResolve({});
  const once = run();
  return {
    cdktf: cdktf.files,
    once: once.files,
    resolves: { cdktf: cdktf.resolves, once: once.resolves },
  };
}

describe('resolveOnce: byte-identical to cdktf', () => {
  const variants: [string, () => Environment, 'local' | 'cloud'][] = [
    ['the example (local backend)', () => exampleEnv(), 'local'],
    [
      '4 accounts, 3 clusters spread over them, 2 regions, a separate log-archive account (cloud backend: the TFC stack prepared last)',
      () =>
        splitArchiveEnv({
          accounts: 4,
          clusters: 3,
          clusterAccounts: 'spread',
          regions: ['eu-central-1', 'eu-west-1'],
        }),
      'cloud',
    ],
  ];

  it.each(variants)('%s', (_name, env, backend) => {
    const { cdktf, once, resolves } = bothWays((app) => buildLandingZone(app, env(), { backend }));
    expect(Object.keys(once).sort()).toEqual(Object.keys(cdktf).sort());
    expect(Object.keys(cdktf).filter((f) => f.endsWith('cdk.tf.json')).length).toBeGreaterThan(8);
    for (const file of Object.keys(cdktf)) expect([file, once[file]]).toEqual([file, cdktf[file]]);
    // cdktf resolves, per element, its preparation, its metadata and its fragment, and per stack
    // the merged document; resolveOnce saves the fragments and the merged documents.
    expect(resolves.once).toBeLessThan(resolves.cdktf * 0.75);
  });
});

describe('resolveOnce: where cdktf resolves again', () => {
  /** Two stacks, a cross-stack reference from b to a, and `extra` applied to stack a. */
  function twoStacks(app: App, extra: (a: TerraformStack, queue: SqsQueue) => void) {
    const a = new TerraformStack(app, 'a');
    new AwsProvider(a, 'aws', { region: 'eu-central-1' });
    const queue = new SqsQueue(a, 'q', { name: 'q', sqsManagedSseEnabled: true });
    const b = new TerraformStack(app, 'b');
    new AwsProvider(b, 'aws', { region: 'eu-central-1' });
    new SqsQueue(b, 'q', { name: 'q2', sqsManagedSseEnabled: true, policy: queue.arn });
    extra(a, queue);
  }
  const stackA = (files: Record<string, string>) => JSON.parse(files['stacks/a/cdk.tf.json']);

  it('cross-stack references: the producer output and the remote-state read are written', () => {
    const { cdktf, once } = bothWays((app) => twoStacks(app, () => undefined));
    expect(once).toEqual(cdktf);
    expect(Object.keys(stackA(once).output)).toEqual([
      expect.stringMatching(/^cross-stack-output-/),
    ]);
    expect(JSON.parse(once['stacks/b/cdk.tf.json']).data.terraform_remote_state).toBeDefined();
  });

  it('an aspect that changes elements between the passes is honoured (cdktf path)', () => {
    const tagging: IAspect = {
      visit: (node: IConstruct) => {
        if (node instanceof SqsQueue) node.tags = { owner: 'aspect' };
      },
    };
    const { cdktf, once } = bothWays((app) => twoStacks(app, (a) => Aspects.of(a).add(tagging)));
    expect(once).toEqual(cdktf);
    expect(stackA(once).resource.aws_sqs_queue.q.tags).toEqual({ owner: 'aspect' });
  });

  it('an element override added after the preparation (a custom-synthesis hook) is honoured', () => {
    const { cdktf, once } = bothWays((app) =>
      twoStacks(app, (a, queue) =>
        addCustomSynthesis(a, { onSynthesize: () => queue.addOverride('delay_seconds', 5) }),
      ),
    );
    expect(once).toEqual(cdktf);
    expect(stackA(once).resource.aws_sqs_queue.q.delay_seconds).toBe(5);
  });

  it('stack-level overrides are resolved in the merged document', () => {
    const { cdktf, once } = bothWays((app) =>
      twoStacks(app, (a, queue) => a.addOverride('locals.queue', queue.url)),
    );
    expect(once).toEqual(cdktf);
    expect(stackA(once).locals.queue).toBe('${aws_sqs_queue.q.url}');
  });
});

describe('the cdktf 0.21 facts resolveOnce relies on', () => {
  const stackJs = readFileSync(join(cdktfLib, 'terraform-stack.js'), 'utf8');

  it('prepareStack resolves each element with preparing = true and keeps nothing', () => {
    expect(stackJs).toContain(
      'terraformElements(this).forEach((e) => (0, _tokens_1.resolve)(this, e.toTerraform(), true));',
    );
  });

  it('toTerraform resolves each element, merges, adds rawOverrides, and resolves the whole', () => {
    expect(stackJs).toContain(
      'const fragments = elements.map((e) => (0, _tokens_1.resolve)(this, e.toTerraform()));',
    );
    expect(stackJs).toMatch(
      /\(0, util_1\.deepMerge\)\(tf, this\.rawOverrides\);\s+return \(0, _tokens_1\.resolve\)\(this, tf\);/,
    );
    expect(stackJs).toContain('tf["//"] = { metadata, outputs };');
  });

  it('only Reference.resolve (lib/tfExpression.js) reads `preparing`', () => {
    const readers: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.js') && /context\.preparing/.test(readFileSync(path, 'utf8')))
          readers.push(path.slice(cdktfLib.length + 1));
      }
    };
    walk(cdktfLib);
    expect(readers).toEqual(['tfExpression.js']);
  });

  it('App.synth prepares every stack before synthesizing any', () => {
    const appJs = readFileSync(join(cdktfLib, 'app.js'), 'utf8');
    expect(appJs).toMatch(
      /stacks\.forEach\(\(stack\) => stack\.prepareStack\(\)\);\s+stacks\.forEach\(\(stack\) => stack\.synthesizer\.synthesize\(session\)\);/,
    );
  });
});
