/**
 * `clusters.<name>.dagster`: the Dagster deployment of a cluster's platform.
 */
import { z } from 'zod';

export const dagsterSchema = z.object({}).strict().default({});

export type DagsterConfig = z.output<typeof dagsterSchema>;
