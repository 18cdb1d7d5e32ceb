/**
 * The base class of every stack: Terraform Cloud (or local) backend, the AWS provider with
 * the environment's default tags, and the stack's {@link StackSpec}.
 */
import { CloudBackend, LocalBackend, NamedCloudWorkspace, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider, type AwsProviderAssumeRole } from '@cdktf/provider-aws/lib/provider';
import type { Environment } from '../envs/schema';
import type { StackSpec } from '../envs/stack-plan';

/**
 * Where a stack keeps its state.
 * - `cloud` (default): a `CloudBackend` in the TFC organization and project from the
 *   environment, workspace `<prefix>-<stack>`; `cdktf deploy <stack>` runs remotely.
 * - `local`: a `LocalBackend` (`terraform.<stack>.tfstate` in the stack's folder, written
 *   `../<stack>/terraform.<stack>.tfstate` so consumers in sibling folders resolve it too), for
 *   offline work and the tests. Selected with `LZ_BACKEND=local`.
 */
export type BackendMode = 'cloud' | 'local';

/** The environment variable that selects the {@link BackendMode}. */
export const BACKEND_VARIABLE = 'LZ_BACKEND';

/** Reads {@link BACKEND_VARIABLE}; throws on values other than `cloud` and `local`. */
export function backendFromEnv(value = process.env[BACKEND_VARIABLE]): BackendMode {
  if (value === undefined || value === '' || value === 'cloud') return 'cloud';
  if (value === 'local') return 'local';
  throw new Error(`${BACKEND_VARIABLE}: "${value}" must be "cloud" or "local"`);
}

export interface LandingZoneStackProps {
  /** The validated environment. */
  readonly env: Environment;
  /** The stack's entry from `planStacks(env)`. */
  readonly spec: StackSpec;
  /** State backend (default `cloud`). */
  readonly backend?: BackendMode;
}

/** Options of {@link LandingZoneStack.awsProvider}. */
export interface AwsProviderOptions {
  /** Provider alias; omit for the default provider. */
  readonly alias?: string;
  /** Region (default: the environment's `homeRegion`). */
  readonly region?: string;
  /** Role to assume (e.g. into a member account). */
  readonly assumeRole?: AwsProviderAssumeRole;
  /**
   * Shared config files (TFC dynamic credentials of a tagged configuration:
   * `var.tfc_aws_dynamic_credentials.aliases["<TAG>"].shared_config_file`); default none.
   */
  readonly sharedConfigFiles?: string[];
  /**
   * The only account IDs the provider may act in (`allowed_account_ids`: the provider checks
   * its credentials' account before anything else and fails otherwise); default any.
   * Source: https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs#allowed_account_ids
   */
  readonly allowedAccountIds?: string[];
}

export abstract class LandingZoneStack extends TerraformStack {
  readonly env: Environment;
  readonly spec: StackSpec;
  /** The stack's backend mode. */
  readonly backend: BackendMode;

  constructor(scope: Construct, props: LandingZoneStackProps) {
    super(scope, props.spec.id);
    this.env = props.env;
    this.spec = props.spec;
    this.backend = props.backend ?? 'cloud';
    const tfc = props.env.terraformCloud;
    if (this.backend === 'cloud') {
      new CloudBackend(this, {
        hostname: tfc.hostname,
        organization: tfc.organization,
        workspaces: new NamedCloudWorkspace(props.spec.workspace, tfc.project),
      });
    } else {
      // Relative to the stack's own folder and valid from a sibling's: a consumer's
      // terraform_remote_state reuses this path from `<outdir>/stacks/<consumer>`.
      new LocalBackend(this, { path: `../${props.spec.id}/terraform.${props.spec.id}.tfstate` });
    }
  }

  /**
   * The default provider plus one aliased provider per other allowed region
   * (`aws-<region>`, alias `<region>`): every argument comes from the configuration.
   * @returns region → provider (`undefined` for the home region: the default provider)
   */
  protected regionalProviders(): Record<string, AwsProvider | undefined> {
    this.awsProvider('aws');
    const out: Record<string, AwsProvider | undefined> = { [this.env.homeRegion]: undefined };
    for (const region of this.env.allowedRegions.filter((r) => r !== this.env.homeRegion))
      out[region] = this.awsProvider(`aws-${region}`, { alias: region, region });
    return out;
  }

  /**
   * An AWS provider for this stack with the environment's tags plus `LandingZoneStack` and
   * `ManagedBy` as `default_tags`.
   */
  protected awsProvider(id: string, options: AwsProviderOptions = {}): AwsProvider {
    return new AwsProvider(this, id, {
      alias: options.alias,
      region: options.region ?? this.env.homeRegion,
      assumeRole: options.assumeRole ? [options.assumeRole] : undefined,
      sharedConfigFiles: options.sharedConfigFiles,
      allowedAccountIds: options.allowedAccountIds,
      defaultTags: [
        {
          tags: {
            ...this.env.tags,
            LandingZone: this.env.prefix,
            LandingZoneStack: this.spec.id,
            ManagedBy: 'terraform',
          },
        },
      ],
    });
  }
}
