/**
 * `terraformCloud`: the Terraform Cloud (HCP Terraform) organization and project the stacks
 * run in, and the settings of the workspaces the TFC bootstrap stack creates.
 */
import { z } from 'zod';

export const terraformCloudSchema = z
  .object({
    /** TFC hostname (default `app.terraform.io`); also the OIDC issuer host. */
    hostname: z.string().default('app.terraform.io'),
    /** TFC organization name. */
    organization: z.string().regex(/^[A-Za-z0-9_-]{3,40}$/, 'must be 3-40 letters, digits, underscores or hyphens'),
    /** TFC project that holds every workspace of this landing zone. */
    project: z.string().regex(/^[A-Za-z0-9 _-]{3,40}$/, 'must be 3-40 letters, digits, spaces, underscores or hyphens'),
    /** Terraform version pinned on every workspace (exact `x.y.z`). */
    terraformVersion: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be an exact version like 1.11.4'),
  })
  .strict();

export type TerraformCloudConfig = z.output<typeof terraformCloudSchema>;
