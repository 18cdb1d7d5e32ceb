// Types of test/support/light-runner.mjs (jest loads the runner itself, as JavaScript).
export declare const REQUEST: 'jest-light-runner-get-worker-data';
export declare const ANSWER: 'jest-light-runner-worker-data';
export interface Channel {
  onMessage(listener: (message: unknown) => void): void;
  postMessage(message: unknown): void;
}
export declare function answeringChannel(workerData: unknown): Channel;
export default class Runner {
  constructor(globalConfig: unknown, context: unknown, runnerConfiguration?: unknown);
}
