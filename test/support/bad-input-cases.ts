/**
 * Shared parts of the bad-input tables (test/envs/bad-input*.test.ts): the case types, the edit
 * that sets a value of the example, a reason long enough for the schema, and the check every
 * row runs: its exact messages, and main.ts's `synthesize` stopping at the `config` stage with
 * no stack built and no cdktf.out left behind.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import * as app from '../../stacks/app';
import { synthesize } from '../../main';
import { problemsOf, rawExample } from './env';

export type Raw = Record<string, any>;
export type Edit = (raw: Raw) => void;
/** A message, or a matcher for messages that list something long (rule IDs, versions). */
export type Expected = string | ReturnType<typeof expect.stringMatching>;
/** [what, edit, every expected message in order]. */
export type Case = [string, Edit, Expected[]];

/**
 * An edit that sets the value at a dotted `path` (numbers index arrays; `undefined` deletes).
 * @example set('organization.accounts.security.email', 'x')
 */
export const set =
  (path: string, value: unknown): Edit =>
  (raw) => {
    const keys = path.split('.');
    const last = keys.pop()!;
    const parent = keys.reduce((o, k) => o[k], raw);
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  };

export const REASON = 'a reason that is long enough';

/**
 * The check of one row `i` of a table: `edit` gives exactly `expected`, and `synthesize` on
 * the edited example (written to `scratch`) stops at `config`: `build` (the file's spy on
 * `buildLandingZone`) is never called, nothing is logged and no outdir is created.
 */
export function expectStopsAtConfig(
  scratch: string,
  build: jest.MockedFunction<typeof app.buildLandingZone>,
  edit: Edit,
  expected: Expected[],
  i: number,
): void {
  expect(problemsOf(edit)).toEqual(expected);

  const raw = rawExample();
  edit(raw);
  const file = join(scratch, `case-${i}.yaml`);
  writeFileSync(file, stringify(raw));
  const outdir = join(scratch, `case-${i}.out`);
  build.mockClear();
  const logged: string[] = [];
  const result = synthesize({ environment: file, outdir, log: (l) => logged.push(l), build });
  expect(result).toMatchObject({ ok: false, stage: 'config' });
  const text = result.ok ? '' : result.message;
  expect(text.split('\n')[0]).toBe(`${file}: ${expected.length} problem(s) in the environment:`);
  // Every problem on its own line (the matchers' full text is checked by problemsOf above).
  expect(text.split('\n').slice(1)).toEqual(
    expected.map((m) => (typeof m === 'string' ? `  - ${m}` : expect.stringMatching(/^ {2}- /))),
  );
  expect(build).not.toHaveBeenCalled();
  expect(logged).toEqual([]);
  expect(existsSync(outdir)).toBe(false);
}

/**
 * The suite of a part of the table (bad-input.network.test.ts, bad-input.security.test.ts):
 * one test per row of `cases`, named by its `what`, each run through {@link expectStopsAtConfig}
 * in a scratch directory of the file's own (removed after the file).
 */
export function describeInvalidEnvironments(cases: readonly Case[]): void {
  let scratch: string;
  beforeAll(() => (scratch = mkdtempSync(join(tmpdir(), 'lz-bad-input-'))));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  describe('invalid environments: exact messages; main.ts stops before building and writes nothing', () => {
    // Every build the synth starts goes through this (SynthOptions.build).
    const build = jest.fn(app.buildLandingZone);

    it.each(cases.map((c, i) => [...c, i] as const))('%s', (_what, edit, expected, i) =>
      expectStopsAtConfig(scratch, build, edit, expected, i),
    );
  });
}
