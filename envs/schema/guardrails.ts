/**
 * `guardrails`: suppressions of the synth-time security rules (see docs/security.md and
 * `envs/guardrail-catalog.ts`). A rule may be suppressed only for one named resource
 * (its exact construct path, as printed by the failing rule), with a written reason.
 *
 * Rules checked here: the rule ID is known, the reason has at least 20 characters, and a
 * (rule, resource) pair appears once. That the resource path exists is checked after the
 * stacks are built (`checkGuardrails` in `constructs/guardrails/check.ts`).
 */
import { z } from 'zod';
import { RULE_IDS, isRuleId } from '../guardrail-catalog';

/** Shortest accepted suppression reason, in characters. */
export const MIN_REASON_LENGTH = 20;

const suppression = z
  .object({
    rule: z
      .string()
      .refine((r): boolean => isRuleId(r), {
        message: `unknown rule (known: ${RULE_IDS.join(', ')})`,
      })
      .describe('Rule ID, e.g. `LZ-IMDS-001` (one of `RULE_IDS`).'),
    resource: z
      .string()
      .min(1, 'must name the resource by its construct path')
      .describe(
        'Construct path of the resource, as printed by the failing rule, e.g. `network/vpc/flow-log`.',
      ),
    reason: z
      .string()
      .trim()
      .min(
        MIN_REASON_LENGTH,
        `must explain the exemption in at least ${MIN_REASON_LENGTH} characters`,
      )
      .describe('Why this resource is exempt (at least `MIN_REASON_LENGTH` characters).'),
  })
  .strict();

export const guardrailsSchema = z
  .object({
    suppressions: z
      .array(suppression)
      .default([])
      .describe('Exemptions, one per (rule, resource); default none.'),
  })
  .strict()
  .superRefine((g, ctx) => {
    const seen = new Map<string, number>();
    g.suppressions.forEach((s, i) => {
      const key = `${s.rule} ${s.resource}`;
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['suppressions', i],
          message: `duplicate suppression of ${s.rule} for "${s.resource}" (also suppressions[${first}])`,
        });
      } else seen.set(key, i);
    });
  })
  .prefault({});

export type GuardrailsConfig = z.output<typeof guardrailsSchema>;
/** One suppression, parsed. */
export type Suppression = GuardrailsConfig['suppressions'][number];
