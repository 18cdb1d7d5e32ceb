/**
 * test/support/light-runner.mjs, against jest-light-runner 0.7.13 and tinypool 0.8.4 as
 * installed: the runner answers every configuration request, and the upstream lines it works
 * around and relies on are still there (when a pin fails, upstream changed: drop or adapt it).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Runner, { ANSWER, REQUEST, answeringChannel } from './light-runner.mjs';

const runnerSrc = dirname(require.resolve('jest-light-runner'));
const upstream = (file: string) => readFileSync(join(runnerSrc, file), 'utf8');
const tinypool = readFileSync(
  join(dirname(require.resolve('tinypool', { paths: [runnerSrc] })), 'index.js'),
  'utf8',
);

describe('the upstream lines the runner works around and relies on', () => {
  it('upstream answers a request to every listener, then forgets them all (index.js)', () => {
    const src = upstream('index.js');
    expect(src).toContain(`for (const listener of listeners) {
                listener({ type: "jest-light-runner-worker-data", workerData });
                listeners.delete(listener);
              }`);
    // the pools map and the fields the runner reads
    expect(src).toContain('_testRunners = new Map();');
    expect(src).toContain('this._globalConfig = globalConfig;');
    expect(src).toContain('this._runtime = runtime;');
    expect(src).toContain('const workerData = { globalConfig, projectConfig, runtime };');
    expect(src).toContain('runners.set(projectConfig, {\n          pool,\n');
    expect(src).toContain('run: test => pool.run(test.path, poolRunOption),');
    expect(src).toContain('for (const [, { pool }] of runners) {');
  });

  it('a worker listens only once its first file started, then asks (worker-runner.js)', () => {
    const src = upstream('worker-runner.js');
    expect(src).toContain(`if (message?.type === "${ANSWER}") {
          process.off("message", listener);`);
    expect(src).toContain(`process.on("message", listener);
      process.send("${REQUEST}");`);
    expect(src).toContain('projectState = await initialSetup();');
  });

  it('tinypool registers a listener on the channel for each task it hands a worker', () => {
    expect(tinypool).toContain('this.worker.setChannel?.(taskInfo.channel);');
    expect(tinypool).toContain('this.channel.onMessage((message) => {\n      this.send(message);');
    // what a worker sends that is not tinypool's own goes to the channel
    expect(tinypool).toContain('return this.channel?.postMessage(data);');
  });
});

describe('with tinypool 0.8.4: two child-process workers, the second slower to load', () => {
  /** Upstream's channel (index.js, pinned above): answers everyone once, then forgets them. */
  function upstreamChannel(workerData: unknown) {
    const listeners = new Set<(m: unknown) => void>();
    return {
      onMessage: (l: (m: unknown) => void) => void listeners.add(l),
      postMessage(message: unknown) {
        if (message !== REQUEST) return;
        for (const l of listeners) {
          l({ type: ANSWER, workerData });
          listeners.delete(l);
        }
      },
    };
  }

  /** Runs four files on a fresh pool; `'hung'` if they have not all finished in `ms`. */
  async function runFour(channel: unknown, ms: number): Promise<string[] | 'hung'> {
    const { default: Tinypool } = await import(
      pathToFileURL(require.resolve('tinypool', { paths: [runnerSrc] })).href
    );
    const pool = new Tinypool({
      filename: pathToFileURL(join(__dirname, '..', 'fixtures', 'light-runner-worker.mjs')).href,
      runtime: 'child_process',
      minThreads: 2,
      maxThreads: 2,
    });
    let timer: NodeJS.Timeout | undefined;
    const files = Promise.all(['a', 'b', 'c', 'd'].map((f) => pool.run(f, { channel })));
    files.catch(() => undefined); // rejected by destroy() when hung
    try {
      return await Promise.race([
        files,
        new Promise<'hung'>((done) => (timer = setTimeout(() => done('hung'), ms))),
      ]);
    } finally {
      clearTimeout(timer);
      await pool.destroy();
    }
  }

  it('upstream’s channel leaves the slower worker waiting; the answering channel does not', async () => {
    const workerData = { config: 1 };
    // the slower worker asks 300 ms in and would be answered at once: 1 s is long enough
    expect(await runFour(upstreamChannel(workerData), 1000)).toBe('hung');
    expect(await runFour(answeringChannel(workerData), 30_000)).toEqual(
      ['a', 'b', 'c', 'd'].map((f) => `${f}: {"config":1}`),
    );
  });
});

describe('answeringChannel', () => {
  it('answers the worker that missed the first answer when it asks itself', () => {
    const workerData = { globalConfig: {}, projectConfig: {}, runtime: 'child_process' };
    const channel = answeringChannel(workerData);
    const got = { a: [] as unknown[], b: [] as unknown[] };
    channel.onMessage((m: unknown) => got.a.push(m));
    channel.onMessage((m: unknown) => got.b.push(m));
    channel.postMessage(REQUEST); // worker a asks; b is sent a copy it may drop
    got.b.length = 0; // dropped
    channel.postMessage(REQUEST); // b asks
    expect(got.b).toEqual([{ type: ANSWER, workerData }]);
    expect(got.a).toHaveLength(2); // a ignores the second copy (its listener is gone by then)
    channel.postMessage('something else');
    expect(got.b).toHaveLength(1);
  });
});

describe('Runner', () => {
  it('runs each file with an answering channel carrying upstream’s worker data', () => {
    const globalConfig = { maxWorkers: 2 };
    const runner = new Runner(globalConfig, {}, undefined) as unknown as {
      _runtime: string;
      _testRunners: Map<object, { run: (test: { path: string }) => unknown }>;
    };
    expect(runner._runtime).toBe('child_process');
    const calls: [string, { channel: ReturnType<typeof answeringChannel> }][] = [];
    const pool = { run: (path: string, options: never) => calls.push([path, options]) };
    const projectConfig = { rootDir: '/x' };
    runner._testRunners.set(projectConfig, { pool, run: () => 'upstream' } as never);
    runner._testRunners.get(projectConfig)!.run({ path: '/x/a.test.ts' });
    expect(calls[0][0]).toBe('/x/a.test.ts');
    const answers: unknown[] = [];
    calls[0][1].channel.onMessage((m: unknown) => answers.push(m));
    calls[0][1].channel.postMessage(REQUEST);
    expect(answers).toEqual([
      { type: ANSWER, workerData: { globalConfig, projectConfig, runtime: 'child_process' } },
    ]);
  });
});
