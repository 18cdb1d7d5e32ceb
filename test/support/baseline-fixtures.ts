/**
 * Shared fixtures of the security baseline tests
 * (test/constructs/baseline/security-baseline*.test.ts): the example's security stack, where the
 * baseline lives, synthesized once per jest worker (jest-light-runner shares the module cache
 * across a worker's files, docs/testing.md "How jest runs"), and readers of its JSON.
 */
import { Testing } from 'cdktf';
import type { SecurityStack } from '../../stacks/security-stack';
import { exampleEnv } from './env';
import { buildExample, resourcesOf } from './synth';

/** The security stack of the example changed by `edit`: the baseline lives there. */
export function managementStack(edit?: (raw: Record<string, any>) => void): SecurityStack {
  return buildExample(exampleEnv(edit)).security;
}

/** The example's security stack, synthesized: the text and its JSON. */
export interface SecuritySynth {
  synth: string;
  json: Record<string, any>;
}

let example: SecuritySynth | undefined;
const buildSecurity = (): SecuritySynth => {
  const synth = Testing.synth(managementStack());
  return { synth, json: JSON.parse(synth) };
};
/** {@link managementStack} of the unchanged example, synthesized once per worker (read-only). */
export const securityExample = () => (example ??= buildSecurity());

/** The only resource of `type` in {@link securityExample} (asserts there is exactly one). */
export const one = (type: string) => {
  const all = Object.entries(resourcesOf(securityExample().json, type));
  expect(all).toHaveLength(1);
  return all[0] as [string, any];
};
/** Every resource of `type` in {@link securityExample}. */
export const ofType = (type: string) =>
  Object.values(resourcesOf(securityExample().json, type)) as any[];
/** How the security account's ID starts in the synthesized JSON (a token of the organization stack). */
export const SECURITY_ID = '${aws_organizations_account.organization_account-security_';
