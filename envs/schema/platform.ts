/**
 * `clusters.<name>.platform`: the add-ons of a cluster's platform stack (Karpenter node
 * pools, load balancing, DNS, secrets, Postgres, monitoring, optional Argo CD and
 * cert-manager).
 */
import { z } from 'zod';

export const platformSchema = z.object({}).strict().default({});

export type PlatformConfig = z.output<typeof platformSchema>;
