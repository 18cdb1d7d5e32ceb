/**
 * Token creation stacks: cdktf captures a full stack trace (no frame limit) for every token it
 * creates (`Intrinsic`, `Lazy`, `ComplexComputedList`, dynamic blocks and expressions), only to
 * print it when that token later fails to resolve ("Object creation stack: …"). A synth of the
 * example environment creates tens of thousands of tokens; capturing and formatting their
 * traces was about a sixth of its CPU time (`node --cpu-prof`: `captureStackTrace` plus the
 * frame formatting it forces, 2026-12-01).
 *
 * aws-cdk-lib made the same trade: it captures these traces only in debug mode
 * (`CDK_DEBUG=true`), else records `['stack traces disabled']`
 * (aws/aws-cdk, packages/aws-cdk-lib/core/lib/stack-trace.ts). cdktf 0.21 has no such switch;
 * every caller reads the function from the module's exports at call time
 * (`(0, stack_trace_1.captureStackTrace)()` in node_modules/cdktf/lib/tokens/lazy.js,
 * tokens/private/intrinsic.js, complex-computed-list.js, terraform-dynamic-block.js,
 * terraform-dynamic-expression.js), so replacing that export switches it for the process.
 * test/constructs/shared/creation-stacks.test.ts fails if a cdktf upgrade moves or renames it.
 */
// The module's own exports object (a namespace import would be a read-only copy in a bundle).
// eslint-disable-next-line @typescript-eslint/no-require-imports
import stackTrace = require('cdktf/lib/tokens/private/stack-trace');

/** The environment variable that keeps cdktf's creation stacks (any non-empty value). */
export const DEBUG_VARIABLE = 'LZ_DEBUG';

/** What a token records as its creation stack while capture is off. */
export const DISABLED_CREATION_STACK: readonly string[] = Object.freeze([
  `token creation stacks disabled (set ${DEBUG_VARIABLE}=1 to capture them)`,
]);

const original = stackTrace.captureStackTrace;

/**
 * Turns cdktf's token creation stacks off for this process, unless `LZ_DEBUG` is set; tokens
 * then record {@link DISABLED_CREATION_STACK}. Synthesized output is unchanged: the stacks
 * appear only in resolution error messages. Idempotent; affects tokens created afterwards.
 * @param env the environment to read `LZ_DEBUG` from (default `process.env`)
 * @returns whether capture is now off
 */
export function disableCreationStacks(env: NodeJS.ProcessEnv = process.env): boolean {
  const off = !env[DEBUG_VARIABLE];
  (stackTrace as { captureStackTrace: typeof original }).captureStackTrace = off
    ? () => [...DISABLED_CREATION_STACK]
    : original;
  return off;
}
