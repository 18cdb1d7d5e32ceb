/**
 * fck-nat boot pieces (constructs/network/fck-nat-boot.ts).
 * - CloudWatch agent interfaces: fck-nat's metrics example lists `"resources": ["ens5", "ens6"]`
 *   and `"interface_include": ["ens5", "ens6"]` (AndrewGuenther/fck-nat docs/features.md, changed
 *   from eth0/eth1 in commit f1130da for the AL2023 AMI; https://fck-nat.dev/stable/features/#metrics).
 * - The watchdog: `aws autoscaling set-instance-health --health-status Unhealthy`
 *   (https://docs.aws.amazon.com/cli/latest/reference/autoscaling/set-instance-health.html) after
 *   an IMDSv2 check of the instance's interfaces
 *   (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-categories.html,
 *   `network/interfaces/macs/mac/interface-id`).
 */
import {
  agentConfiguration,
  fckNatUserData,
  FCK_NAT_INTERFACES,
} from '../../../constructs/network/fck-nat-boot';

describe('fck-nat boot', () => {
  it('collects the AL2023 interface names ens5 and ens6, not AL2 eth0/eth1', () => {
    const m = agentConfiguration().metrics as any;
    expect(FCK_NAT_INTERFACES).toEqual(['ens5', 'ens6']);
    expect(m.metrics_collected.net.resources).toEqual(['ens5', 'ens6']);
    expect(m.metrics_collected.ethtool.interface_include).toEqual(['ens5', 'ens6']);
    expect(JSON.stringify(m)).not.toMatch(/eth[01]/);
  });

  it('starts the ENI watchdog before the service, marking the instance unhealthy if the ENI is missing', () => {
    const script = fckNatUserData(['eni_id=eni-0abc'], { eniId: 'eni-0abc', timeoutSeconds: 240 });
    const lines = script.split('\n');
    const watchdog = lines.indexOf('(');
    expect(watchdog).toBeGreaterThan(lines.indexOf('EOF'));
    expect(watchdog).toBeLessThan(lines.indexOf('systemctl restart fck-nat.service'));
    expect(script).toContain('  sleep 240');
    expect(script).toContain('X-aws-ec2-metadata-token-ttl-seconds: 300'); // IMDSv2 token
    expect(script).toContain("grep -qx 'eni-0abc'");
    expect(script).toContain(
      'aws autoscaling set-instance-health --region $(md placement/region) --instance-id $(md instance-id) --health-status Unhealthy --no-should-respect-grace-period',
    );
    expect(script).toContain(') >/var/log/fck-nat-watchdog.log 2>&1 &'); // in the background
    // A Terraform string: no interpolation sequence and no double quote (cdktf refuses them).
    expect(script.replace('${', '')).toBe(script);
    expect(script).not.toContain('"');
  });

  it('writes no watchdog without an ENI to expect', () => {
    expect(fckNatUserData(['eni_id=x'])).not.toContain('set-instance-health');
  });
});
