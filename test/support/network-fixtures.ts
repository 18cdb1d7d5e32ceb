/**
 * Shared helpers of the network-stack tests (test/stacks/network-stack.test.ts and
 * network-stack.fck-nat.test.ts). The example's network stack they read is the worker's shared
 * example, built and synthesized once per jest worker by test/support/synth.ts
 * (`sharedExample`, `synthStack`).
 */

/** `${aws_x.name.attr}` → `aws_x.name` */
export const ref = (token: string) => /^\$\{([a-z0-9_]+\.[^.}]+)\./i.exec(token)?.[1];
