/**
 * `guardrails`: suppressions of the synth-time security rules (see docs/security.md).
 * A rule may be suppressed only for one named resource, with a written reason.
 */
import { z } from 'zod';

const suppression = z
  .object({
    /** Rule ID, e.g. `LZ-IMDS-001`. */
    rule: z.string().min(1),
    /** Construct path of the resource, as printed by the failing rule. */
    resource: z.string().min(1),
    /** Why this resource is exempt (at least 20 characters). */
    reason: z.string().min(20, 'must explain the exemption in at least 20 characters'),
  })
  .strict();

export const guardrailsSchema = z
  .object({
    suppressions: z.array(suppression).default([]),
  })
  .strict()
  .default({ suppressions: [] });

export type GuardrailsConfig = z.output<typeof guardrailsSchema>;
