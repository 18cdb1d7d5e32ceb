/**
 * `security`: the organization security baseline (CloudTrail, GuardDuty, Security Hub,
 * Access Analyzer, Config, account defaults, budgets).
 */
import { z } from 'zod';

export const securitySchema = z.object({}).strict().default({});

export type SecurityConfig = z.output<typeof securitySchema>;
