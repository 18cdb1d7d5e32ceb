/**
 * test/support/light-runner-fixes.ts, against jest-light-runner 0.7.13 and jest-snapshot 30.5.2
 * as installed: the fixes still do what they say, and the upstream lines they work around are
 * still there (when one of these pins fails, upstream changed: drop or adapt the fix).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SnapshotState } from 'jest-snapshot';
import { keyToTestName } from '@jest/snapshot-utils';
import { keyHoldsTitle, progressWatchdog } from './light-runner-fixes';

const runnerSrc = dirname(require.resolve('jest-light-runner'));
const upstream = (file: string) => readFileSync(join(runnerSrc, file), 'utf8');

describe('the upstream behaviour the fixes work around', () => {
  it('skipped and failed tests mark their snapshots by title only (worker-runner.js)', () => {
    const src = upstream('worker-runner.js');
    expect(src).toContain('fullName: test.title,');
    expect(src).toContain('snapshotState.markSnapshotsAsCheckedForTest(fullName);');
  });

  it('child-process workers are never destroyed at the end (index.js)', () => {
    expect(upstream('index.js')).toContain("Can't call `pool.destroy()`");
  });

  it('no per-test timeout; progress is visible in expect.setState and the snapshot save', () => {
    const src = upstream('worker-runner.js');
    expect(src).not.toMatch(/timeout/i);
    // a file starts, a test starts, a test ends; the file is done
    expect(src).toContain('expect.setState({\n    snapshotState,\n    testPath: testFilePath,');
    expect(src).toContain('currentTestName: getFullName(ancestors.concat(name)),');
    expect(src).toContain('expect.setState({ suppressedErrors: [] });');
    expect(src).toContain('const status = snapshotState.save();');
  });
});

describe('snapshot keys', () => {
  it('a key is the test name and a count (jest-snapshot testNameToKey)', () => {
    expect(keyToTestName('stacks network matches its snapshot 1')).toBe(
      'stacks network matches its snapshot',
    );
    expect(keyToTestName('a: hint 12')).toBe('a: hint');
  });

  it('holds a title as whole words: the test, a describe block above it, a hinted snapshot', () => {
    expect(keyHoldsTitle('outer inner works 1', 'works')).toBe(true);
    expect(keyHoldsTitle('outer inner works 1', 'inner')).toBe(true);
    expect(keyHoldsTitle('outer inner works 1', 'outer inner')).toBe(true);
    expect(keyHoldsTitle('outer works: with a hint 1', 'works')).toBe(true);
    expect(keyHoldsTitle('outer reworks 1', 'works')).toBe(false);
    expect(keyHoldsTitle('outer works 1', 'outer works 1')).toBe(false);
  });
});

describe('SnapshotState.markSnapshotsAsCheckedForTest (installed by test/support/setup.ts)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'lz-snap-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("marks by title what the runner names by title: a skipped test's and a skipped block's", () => {
    const file = join(dir, 'x.test.ts.snap');
    writeFileSync(
      file,
      [
        '// Jest Snapshot v1, https://jestjs.io/docs/snapshot-testing',
        '',
        'exports[`stacks network matches its snapshot 1`] = `"n"`;',
        '',
        'exports[`stacks tfc matches its snapshot 1`] = `"t"`;',
        '',
        'exports[`skipped block one 1`] = `"1"`;',
        '',
        'exports[`skipped block two 1`] = `"2"`;',
        '',
      ].join('\n'),
    );
    const state = new SnapshotState(file, {
      updateSnapshot: 'none',
      snapshotFormat: {},
      rootDir: dir,
    });
    expect(state.getUncheckedCount()).toBe(4);
    state.markSnapshotsAsCheckedForTest('network matches its snapshot'); // a skipped test (-t)
    state.markSnapshotsAsCheckedForTest('skipped block'); // a skipped describe block
    expect(state.getUncheckedKeys()).toEqual(['stacks tfc matches its snapshot 1']);
  });
});

describe('progressWatchdog', () => {
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('fires once when armed and left alone, never after disarm, and re-arming restarts it', async () => {
    let stalls = 0;
    const w = progressWatchdog(60, () => stalls++);
    w.arm();
    await wait(120);
    expect(stalls).toBe(1);
    w.arm();
    w.disarm();
    expect(w.armed).toBe(false);
    await wait(120);
    expect(stalls).toBe(1);
    w.arm();
    await wait(40);
    w.arm(); // progress: starts again
    await wait(40);
    expect(stalls).toBe(1);
    await wait(60);
    expect(stalls).toBe(2);
  });
});
