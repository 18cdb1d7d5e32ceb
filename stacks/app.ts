/**
 * Builds every stack of the landing zone from a validated environment.
 */
import type { App, TerraformStack } from 'cdktf';
import type { Environment } from '../envs/schema';
import type { BackendMode } from './base-stack';
import { planStacks, type StackSpec } from './plan';
import { ManagementStack } from './management-stack';

export interface BuildOptions {
  /** State backend for every stack (default `cloud`). */
  readonly backend?: BackendMode;
}

/** The stacks of one landing zone, by role. */
export interface LandingZone {
  /** `planStacks(env)`: every stack the app builds, in bootstrap order. */
  readonly specs: StackSpec[];
  readonly management: ManagementStack;
  /** Every stack built, in bootstrap order. */
  readonly stacks: TerraformStack[];
}

/**
 * Builds the stacks `planStacks(env)` lists into `app`.
 * @param app the cdktf app (or `Testing.app()`)
 * @param env a validated environment (see `envs/load.ts`)
 */
export function buildLandingZone(app: App, env: Environment, options: BuildOptions = {}): LandingZone {
  const specs = planStacks(env);
  const spec = (id: string): StackSpec => {
    const s = specs.find((x) => x.id === id);
    if (!s) throw new Error(`no stack "${id}" in the plan`);
    return s;
  };
  const common = { env, backend: options.backend };
  const stacks: TerraformStack[] = [];

  const management = new ManagementStack(app, { ...common, spec: spec('management') });
  stacks.push(management);

  // ---- network stack (issue 4) ----

  // ---- cluster stacks, one per cluster (issue 5) ----

  // ---- platform stacks, one per cluster (issue 6) ----

  // ---- TFC bootstrap stack, built last from the stacks above (issue 3) ----

  // ---- guardrail aspects over every stack (issue 8) ----

  return { specs, management, stacks };
}
