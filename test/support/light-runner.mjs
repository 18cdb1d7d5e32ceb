/**
 * jest's `runner` (jest.config.js): jest-light-runner 0.7.13 in child processes, with the one
 * change that keeps a worker from waiting forever for its configuration.
 *
 * What upstream does (node_modules/jest-light-runner/src/index.js and worker-runner.js):
 * a child-process worker asks for its configuration (`workerData`: jest's global and project
 * config) when its first test file starts, by sending `jest-light-runner-get-worker-data`.
 * The main process hands every test file to tinypool with the same `channel`; tinypool
 * registers a listener on it for the worker the file goes to (`setChannel`, tinypool 0.8.4).
 * On a request, the channel sends the configuration to **every** registered listener and
 * then forgets them all. So when both workers got their first file and one of them asks, the
 * other is sent the configuration too, at a moment when it may not yet listen for it (its
 * listener is attached only once its file has started; a message that arrives before is
 * dropped). That worker then asks itself, no listener is left to answer, and it waits with
 * its file unfinished while jest waits for the file: the run never ends (seen once in about
 * twenty full runs on the 2-core machine, 2026-12-01: one worker idle with no test started,
 * the other done, jest waiting for `test/offline/validate-all.test.ts`).
 *
 * The change: the channel here answers every request, to every listener, and forgets none; a
 * worker that already has its configuration ignores a second copy (its listener removed
 * itself; the copy carries no tinypool marker, so tinypool's process entry ignores it too).
 * tinypool adds a listener per file handed out, so the set grows by one small closure per
 * file; only a worker's first file asks. Everything else is upstream's.
 * test/support/light-runner.test.ts pins the upstream lines this relies on, and reproduces the
 * hang with tinypool itself: upstream's channel leaves a worker that loads 300 ms later waiting,
 * this one does not.
 */
import { createRunner } from 'jest-light-runner';

/** What a worker sends to ask for its configuration (worker-runner.js `initialSetup`). */
export const REQUEST = 'jest-light-runner-get-worker-data';
/** The type of the answer it waits for. */
export const ANSWER = 'jest-light-runner-worker-data';

/**
 * A tinypool channel that answers every configuration request to every listener.
 * @param {unknown} workerData `{ globalConfig, projectConfig, runtime }`, as upstream sends it
 * @returns {{ onMessage(listener: (message: unknown) => void): void, postMessage(message: unknown): void }}
 */
export function answeringChannel(workerData) {
  const listeners = new Set();
  return {
    onMessage(listener) {
      listeners.add(listener);
    },
    postMessage(message) {
      if (message !== REQUEST) return;
      for (const listener of listeners) listener({ type: ANSWER, workerData });
    },
  };
}

const LightRunner = createRunner({ runtime: 'child_process' });

/**
 * Upstream's map of pools (project config -> `{ pool, run }`), whose entries run each file
 * with an {@link answeringChannel} instead of upstream's.
 */
class Pools extends Map {
  /** @param {{ _globalConfig: unknown, _runtime: string }} runner */
  constructor(runner) {
    super();
    this.runner = runner;
  }

  set(projectConfig, entry) {
    const { _globalConfig: globalConfig, _runtime: runtime } = this.runner;
    const options =
      runtime === 'child_process'
        ? { channel: answeringChannel({ globalConfig, projectConfig, runtime }) }
        : undefined;
    return super.set(projectConfig, {
      pool: entry.pool,
      run: (test) => entry.pool.run(test.path, options),
    });
  }
}

/** jest-light-runner's child-process runner with {@link answeringChannel}. */
export default class Runner extends LightRunner {
  constructor(...args) {
    super(...args);
    this._testRunners = new Pools(this);
  }
}
