/**
 * What a fck-nat instance runs at boot: the user data that writes `/etc/fck-nat.conf`, and the
 * optional CloudWatch agent configuration.
 */

/** CloudWatch namespace of the optional agent's metrics. */
export const FCK_NAT_METRICS_NAMESPACE = 'fck-nat';

/**
 * The launch template's user data: writes `lines` to `/etc/fck-nat.conf` and restarts the
 * service, which reads it at start. Source: https://fck-nat.dev/stable/configuration/
 * @param lines `key=value` settings (`eni_id`, `eip_id`, `cwagent_enabled`, …)
 */
export function fckNatUserData(lines: string[]): string {
  return [
    '#!/bin/sh',
    'cat > /etc/fck-nat.conf <<EOF',
    ...lines,
    'EOF',
    'systemctl restart fck-nat.service',
    '',
  ].join('\n');
}

/**
 * The CloudWatch agent configuration fck-nat documents for NAT-gateway-like metrics
 * (bytes, packets, drops, connections, ENA allowance counters, memory).
 * Source: https://fck-nat.dev/stable/features/#metrics
 */
export function agentConfiguration(): Record<string, unknown> {
  const m = (name: string, rename: string, unit: string) => ({ name, rename, unit });
  return {
    agent: { metrics_collection_interval: 60, run_as_user: 'root', usage_data: false },
    metrics: {
      namespace: FCK_NAT_METRICS_NAMESPACE,
      metrics_collected: {
        net: {
          resources: ['eth0', 'eth1'],
          measurement: [
            m('bytes_recv', 'BytesIn', 'Bytes'),
            m('bytes_sent', 'BytesOut', 'Bytes'),
            m('packets_sent', 'PacketsOutCount', 'Count'),
            m('packets_recv', 'PacketsInCount', 'Count'),
            m('drop_in', 'PacketsDropInCount', 'Count'),
            m('drop_out', 'PacketsDropOutCount', 'Count'),
          ],
        },
        netstat: {
          measurement: [
            m('tcp_syn_sent', 'ConnectionAttemptOutCount', 'Count'),
            m('tcp_syn_recv', 'ConnectionAttemptInCount', 'Count'),
            m('tcp_established', 'ConnectionEstablishedCount', 'Count'),
          ],
        },
        ethtool: {
          interface_include: ['eth0', 'eth1'],
          metrics_include: [
            'bw_in_allowance_exceeded',
            'bw_out_allowance_exceeded',
            'conntrack_allowance_exceeded',
            'pps_allowance_exceeded',
          ],
        },
        mem: { measurement: [m('used_percent', 'MemoryUsed', 'Percent')] },
      },
      // The agent's own placeholder; `$$` keeps Terraform from interpolating it.
      append_dimensions: { InstanceId: '$${aws:InstanceId}' },
    },
  };
}
