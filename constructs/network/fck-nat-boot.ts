/**
 * What a fck-nat instance runs at boot: the user data that writes `/etc/fck-nat.conf`, and the
 * optional CloudWatch agent configuration.
 */

/** CloudWatch namespace of the optional agent's metrics. */
export const FCK_NAT_METRICS_NAMESPACE = 'fck-nat';

/** Network interface names on the fck-nat AL2023 AMI: device index 0 (public) and 1 (static ENI). */
export const FCK_NAT_INTERFACES = ['ens5', 'ens6'] as const;

/** The ENI watchdog of {@link fckNatUserData}. */
export interface FckNatWatchdog {
  /** ID of the static ENI the instance must hold (a token is fine). */
  readonly eniId: string;
  /** Seconds after boot by which the ENI must be attached (default 300). */
  readonly timeoutSeconds?: number;
}

/**
 * The launch template's user data: writes `lines` to `/etc/fck-nat.conf` and restarts the
 * service, which reads it at start (source: https://fck-nat.dev/stable/configuration/).
 *
 * fck-nat's service loops on `aws ec2 attach-network-interface` until the static ENI is free
 * ("Waiting for ENI to attach...", `service/fck-nat.sh` in AndrewGuenther/fck-nat), and an EC2
 * status check cannot see an instance stuck there: the Auto Scaling group would keep it forever
 * while the route target has no instance. So a watchdog started before the service checks,
 * `timeoutSeconds` later, that the ENI is among the instance's interfaces (IMDSv2
 * `network/interfaces/macs/<mac>/interface-id`) and otherwise marks the instance unhealthy with
 * `aws autoscaling set-instance-health --health-status Unhealthy
 * --no-should-respect-grace-period`; the group then replaces it
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/set-up-a-custom-health-check.html).
 * @param lines `key=value` settings (`eni_id`, `eip_id`, `cwagent_enabled`, …)
 * @param watchdog the ENI to expect (default: no watchdog)
 */
export function fckNatUserData(lines: string[], watchdog?: FckNatWatchdog): string {
  // No `${` (Terraform would interpolate it) and no double quotes (cdktf refuses them in a
  // function argument): the script is a Terraform string.
  const check = watchdog
    ? [
        '# ENI watchdog: replace this instance if the static ENI is not attached in time.',
        '(',
        `  sleep ${watchdog.timeoutSeconds ?? 300}`,
        "  T=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')",
        '  md() { curl -sS -H X-aws-ec2-metadata-token:$T http://169.254.169.254/latest/meta-data/$1; }',
        `  if ! md network/interfaces/macs/ | while read -r mac; do md network/interfaces/macs/$mac'interface-id'; echo; done | grep -qx '${watchdog.eniId}'; then`,
        '    aws autoscaling set-instance-health --region $(md placement/region) --instance-id $(md instance-id) --health-status Unhealthy --no-should-respect-grace-period',
        '  fi',
        ') >/var/log/fck-nat-watchdog.log 2>&1 &',
      ]
    : [];
  return [
    '#!/bin/sh',
    'cat > /etc/fck-nat.conf <<EOF',
    ...lines,
    'EOF',
    ...check,
    'systemctl restart fck-nat.service',
    '',
  ].join('\n');
}

/**
 * The CloudWatch agent configuration fck-nat documents for NAT-gateway-like metrics
 * (bytes, packets, drops, connections, ENA allowance counters, memory). Interfaces `ens5`
 * (the launch, public interface) and `ens6` (the attached static ENI): the names on the
 * Amazon Linux 2023 AMI, as in fck-nat's example (`"resources": ["ens5", "ens6"]`, changed
 * from AL2's `eth0`/`eth1` in AndrewGuenther/fck-nat commit f1130da).
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
          resources: [...FCK_NAT_INTERFACES],
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
          interface_include: [...FCK_NAT_INTERFACES],
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
