/**
 * Per guardrail rule: a stack that breaks it (the violating construct path), one that complies,
 * and further violating variants; the cases live in guardrail-cases-resources.ts and
 * guardrail-cases-identity.ts.
 */
import type { RuleId } from '../../envs/guardrail-catalog';
import type { Build } from './guardrail-fixtures';
import { IDENTITY_CASES } from './guardrail-cases-identity';
import { RESOURCE_CASES } from './guardrail-cases-resources';

/** One rule's case: `bad` breaks it at `path`, `good` complies, `also` are further violations. */
export interface RuleCase {
  bad: Build;
  path: string;
  good: Build;
  also?: Build[];
}

/** Every rule's case, by rule ID (the registry test checks that none is missing). */
export const CASES = { ...RESOURCE_CASES, ...IDENTITY_CASES } as Record<RuleId, RuleCase>;
