/**
 * Generated environments for scale and variant tests: the example with N member accounts,
 * M clusters and R allowed regions added. Shared by the scale specs and `npm run bench`.
 */
import type { Environment } from '../../envs/schema';
import { parseEnvironment } from '../../envs/load';
import { rawExample } from './env';

/** Options of {@link scaledRaw}; every field defaults to the example's own value. */
export interface ScaleOptions {
  /** Extra member accounts `wl-001`…, in OU `workloads` (default 0). */
  readonly accounts?: number;
  /** Clusters in total, `main-01` included (default 1); extra ones are `c-02`, `c-03`…. */
  readonly clusters?: number;
  /**
   * Where the extra clusters run: `network` (default: the network account, as `main-01`) or
   * `spread` (round-robin over the extra member accounts; needs `accounts` ≥ 1).
   */
  readonly clusterAccounts?: 'network' | 'spread';
  /** Allowed regions in total, the home region first (default: the example's). */
  readonly regions?: readonly string[];
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/**
 * The example environment as raw data with {@link ScaleOptions} applied. Address blocks are
 * shrunk to /21 (private /24, public /26 per AZ) once there are more clusters than the example's
 * /18 blocks can hold, so up to 31 clusters fit the /16 VPC.
 */
export function scaledRaw(options: ScaleOptions = {}): Record<string, any> {
  const raw = rawExample();
  const accounts = options.accounts ?? 0;
  const clusters = options.clusters ?? 1;
  const extraAccounts: string[] = [];
  for (let i = 1; i <= accounts; i++) {
    const key = `wl-${pad(i, 3)}`;
    extraAccounts.push(key);
    raw.organization.accounts[key] = { email: `aws+${key}@acme.example`, ou: 'workloads' };
  }
  // Identity Center: every assignment that reaches the example's workload account reaches the
  // extra accounts too (so clusters there can map its permission sets to access entries).
  for (const a of raw.identityCenter.assignments)
    if (a.accounts.includes('production')) a.accounts.push(...extraAccounts);
  if (clusters > 3) {
    raw.network.clusterBlockPrefix = 21;
    raw.network.privateSubnetPrefix = 24;
    raw.network.publicSubnetPrefix = 26;
  }
  const template = raw.clusters['main-01'];
  for (let i = 2; i <= clusters; i++) {
    const key = `c-${pad(i, 2)}`;
    const c = structuredClone(template);
    if (options.clusterAccounts === 'spread') {
      if (extraAccounts.length === 0) throw new Error('clusterAccounts spread needs accounts >= 1');
      c.account = extraAccounts[(i - 2) % extraAccounts.length];
    }
    raw.clusters[key] = c;
  }
  if (options.regions) raw.allowedRegions = [...options.regions];
  return raw;
}

/** {@link scaledRaw}, validated. */
export function scaledEnv(options: ScaleOptions = {}): Environment {
  return parseEnvironment(scaledRaw(options), `scaled(${JSON.stringify(options)})`);
}
