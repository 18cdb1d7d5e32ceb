/**
 * Shared fixtures of the organization-stack tests (test/stacks/organization-stack*.test.ts): the
 * organization stack of the worker's shared example. test/support/synth.ts memoizes the costly
 * parts at module level: `sharedExample()` builds the example once per jest worker and
 * `synthStack` synthesizes each of its stacks once (jest-light-runner shares the module cache
 * across a worker's files, docs/testing.md "How jest runs"), so a file that asks again only
 * parses the JSON.
 */
import type { LandingZone } from '../../stacks/app';
import { dataOf, sharedExample, synthJson, synthStack } from './synth';

/**
 * The shared example's organization stack.
 * @returns the landing zone, the stack's synthesized JSON as text (for cdktf's jest matchers)
 *   and parsed (a fresh copy per call), and `doc(pattern)`: its IAM policy documents whose
 *   logical id matches `pattern`
 */
export function organizationExample(): {
  lz: LandingZone;
  synth: string;
  json: Record<string, any>;
  doc: (pattern: RegExp) => any[];
} {
  const lz = sharedExample();
  const synth = synthStack(lz.organization);
  const json = synthJson(lz.organization);
  const docs = dataOf(json, 'aws_iam_policy_document');
  const doc = (pattern: RegExp) =>
    Object.entries(docs)
      .filter(([k]) => pattern.test(k))
      .map(([, v]) => v);
  return { lz, synth, json, doc };
}
