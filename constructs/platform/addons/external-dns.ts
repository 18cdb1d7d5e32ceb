/**
 * external-dns (chart `external-dns/external-dns`) on the cluster's Route53 zone only:
 * `upsert-only` (never deletes records), TXT ownership records with the cluster name as owner.
 *
 * Chart values: https://github.com/kubernetes-sigs/external-dns/blob/master/charts/external-dns/values.yaml
 * Identity: Pod Identity on `external-dns/external-dns`.
 */
import { ADDON_IDENTITIES } from '../../eks/addon-identities';
import { PLATFORM_CHARTS } from '../../../envs/versions';
import type { PlatformContext } from '../addon';
import { HelmAddOn } from '../helm-addon';
import { systemTolerations } from '../scheduling';

/** Add-on `external-dns`. */
export class ExternalDnsAddOn extends HelmAddOn {
  constructor() {
    super({
      name: 'external-dns',
      chart: PLATFORM_CHARTS.externalDns,
      namespace: ADDON_IDENTITIES['external-dns'].namespace,
      podSecurity: 'restricted',
    });
  }

  protected values(ctx: PlatformContext): Record<string, unknown> {
    return {
      provider: { name: 'aws' },
      env: [{ name: 'AWS_DEFAULT_REGION', value: ctx.region }],
      serviceAccount: { create: true, name: ADDON_IDENTITIES['external-dns'].serviceAccounts[0] },
      tolerations: systemTolerations(),
      sources: ['service', 'ingress'],
      policy: 'upsert-only',
      registry: 'txt',
      txtOwnerId: ctx.cluster.clusterName,
      domainFilters: [ctx.cluster.zone.name],
      extraArgs: [`--zone-id-filter=${ctx.cluster.zone.id}`, '--aws-zone-type=public'],
    };
  }
}
