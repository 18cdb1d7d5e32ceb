// Registers cdktf's jest matchers (toHaveResource, toHaveResourceWithProperties, …) and
// brings their types into every spec.
import type {} from 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { resolveOnce } from '../../constructs/shared/resolve-once';
import { GuardrailAspect } from '../../constructs/guardrails/aspect';

Testing.setupJest();

// Token creation stacks are off already (test/support/setup-early.ts, before cdktf loaded).
// One resolution per element in every App.synth(), as main.ts synthesizes
// (constructs/shared/resolve-once.ts; its test compares it with cdktf's own path).
resolveOnce(GuardrailAspect.isGuardrailAspect);

// Source maps only for real errors. jest installs source-map-support, whose
// `Error.prepareStackTrace` maps every frame of every stack trace; cdktf captures one (with no
// frame limit) for every token it creates, on a plain object (`Error.captureStackTrace({}, …)`
// in cdktf/lib/tokens/private/stack-trace.js), which made building the example in jest cost
// about 600 ms instead of 135 ms. Those captures now get V8's plain format; an `Error` (a
// failing assertion, a thrown error) is still mapped to the TypeScript source.
const mapped = Error.prepareStackTrace;
if (mapped) {
  const isError = (x: unknown) => Object.prototype.toString.call(x) === '[object Error]';
  Error.prepareStackTrace = (error, frames) =>
    isError(error) ? mapped(error, frames) : `${String(error)}\n    at ${frames.join('\n    at ')}`;
}
