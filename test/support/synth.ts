/**
 * Test helpers: build the landing zone (local backend) and read synthesized stacks.
 */
import { Testing, type TerraformStack } from 'cdktf';
import { buildLandingZone, type LandingZone } from '../../stacks/app';
import type { Environment } from '../../envs/schema';
import { exampleEnv } from './env';

/** Builds every stack of `env` (default: the example) into a test app with local backends. */
export function buildExample(env: Environment = exampleEnv()): LandingZone {
  const app = Testing.app();
  return buildLandingZone(app, env, { backend: 'local' });
}

/** A stack's synthesized Terraform JSON, as a string (for cdktf's jest matchers). */
export function synthStack(stack: TerraformStack): string {
  return Testing.synth(stack);
}

/** A stack's synthesized Terraform JSON, parsed. */
export function synthJson(stack: TerraformStack): Record<string, any> {
  return JSON.parse(Testing.synth(stack));
}

/** Every resource of `type` in a parsed stack: logical name → arguments. */
export function resourcesOf(json: Record<string, any>, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** Every data source of `type` in a parsed stack: logical name → arguments. */
export function dataOf(json: Record<string, any>, type: string): Record<string, any> {
  return json.data?.[type] ?? {};
}
