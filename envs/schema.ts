/**
 * The environment schema: one typed description of a landing zone, parsed and validated
 * with zod before any construct is built (see `envs/load.ts`).
 *
 * Structure (top-level keys): `name`, `prefix`, `homeRegion`, `allowedRegions`, `tags`,
 * `terraformCloud`, `organization`, `identityCenter`, `network`, `clusters`, `security`,
 * `guardrails`.
 * Each domain's schema lives in its own module under `envs/schema/`; this file composes
 * them and runs the cross-field rules (references between sections).
 *
 * Types are inferred from the schema: {@link Environment} is the parsed (defaults
 * applied) shape, {@link EnvironmentInput} the shape an environment file may be written in.
 */
import { z } from 'zod';
import { awsRegion, name, tagMap } from './schema/common';
import { identityCenterSchema, checkIdentityCenter } from './schema/identity-center';
import { organizationSchema, checkOrganization } from './schema/organization';
import { terraformCloudSchema } from './schema/terraform-cloud';
import { checkTerraformCloud } from './schema/terraform-cloud-rules';
import { networkSchema, checkNetwork } from './schema/network';
import { clustersSchema, checkClusters } from './schema/clusters';
import { guardrailsSchema } from './schema/guardrails';
import { securitySchema, checkSecurity } from './schema/security';

export const environmentSchema = z
  .object({
    name: z.string().min(1).describe('Human name of the organisation, used in descriptions.'),
    prefix: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{1,15}$/,
        'must be 2-16 lowercase letters, digits or hyphens, starting with a letter',
      )
      .describe(
        'Resource-name prefix: lowercase letters, digits and hyphens, 2–16 characters, starting with a letter. Workspaces are named `<prefix>-<stack>`.',
      ),
    homeRegion: awsRegion.describe(
      'Region of the organization stack and the default region of every other stack.',
    ),
    allowedRegions: z
      .array(awsRegion)
      .min(1)
      .describe(
        'Regions any workload may use; every other region is denied by SCP (global services exempt). Must contain `homeRegion`.',
      ),
    tags: tagMap
      .default({})
      .describe(
        "Tags applied to every taggable AWS resource through the provider's `default_tags`.",
      ),
    terraformCloud: terraformCloudSchema,
    organization: organizationSchema,
    identityCenter: identityCenterSchema,
    network: networkSchema,
    clusters: clustersSchema,
    security: securitySchema,
    guardrails: guardrailsSchema,
  })
  .strict()
  .superRefine((env, ctx) => {
    env.allowedRegions.forEach((region, i) => {
      if (env.allowedRegions.indexOf(region) !== i) {
        ctx.addIssue({
          code: 'custom',
          path: ['allowedRegions', i],
          message: `duplicate region "${region}"`,
        });
      }
    });
    if (!env.allowedRegions.includes(env.homeRegion)) {
      ctx.addIssue({
        code: 'custom',
        path: ['homeRegion'],
        message: `region "${env.homeRegion}" is not in allowedRegions (${env.allowedRegions.join(', ')})`,
      });
    }
    checkOrganization(env, ctx);
    checkIdentityCenter(env, ctx);
    checkNetwork(env, ctx);
    checkClusters(env, ctx);
    checkTerraformCloud(env, ctx);
    checkSecurity(env, ctx);
  });

/** A parsed environment, defaults applied. */
export type Environment = z.output<typeof environmentSchema>;
/** An environment as written in a file (defaults optional). */
export type EnvironmentInput = z.input<typeof environmentSchema>;

export { name };
