// jest `setupFilesAfterEnv`, once per worker (jest-light-runner: jest.config.js).
// Registers cdktf's jest matchers (toHaveResource, toHaveResourceWithProperties, …) and
// brings their types into every spec.
import type {} from 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { resolveOnce } from '../../constructs/shared/resolve-once';
import { installFastResolve } from '../../constructs/shared/fast-resolve';
import { installSnakeKeys } from '../../constructs/shared/snake-keys';
import { GuardrailAspect } from '../../constructs/guardrails/aspect';
import { installLightRunnerFixes } from './light-runner-fixes';

Testing.setupJest();

// Token creation stacks are off already (test/support/setup-early.ts, before cdktf loaded).
// One resolution per element in every App.synth(), as main.ts synthesizes
// (constructs/shared/resolve-once.ts; its test compares it with cdktf's own path).
resolveOnce(GuardrailAspect.isGuardrailAspect);
// cdktf's resolution with plain data walked by our loop (constructs/shared/fast-resolve.ts).
installFastResolve();
// cdktf's keysToSnakeCase with each key converted once (constructs/shared/snake-keys.ts).
installSnakeKeys();

// Snapshots of skipped tests, workers that outlive jest, crashes named (light-runner-fixes.ts).
installLightRunnerFixes();
