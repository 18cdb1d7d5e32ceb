/**
 * ClusterDns (constructs/eks/dns.ts): the cluster zone is always created; a parent zone is looked
 * up only when one is given, with the parent's provider; the certificate covers `*.<zone>` only.
 * Sources: https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-routing-traffic-for-subdomains.html
 * (NS record named after the subdomain, values = the subdomain zone's name servers),
 * hashicorp/terraform-provider-aws website/docs/r/route53_zone.html.markdown ("Public Subdomain
 * Zone": "you need to create a aws_route53_record of type NS as well as the subdomain zone").
 */
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ClusterDns } from '../../../constructs/eks/dns';

const synth = (build: (stack: TerraformStack) => void) => {
  const stack = new TerraformStack(Testing.app(), 'dns');
  new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
  build(stack);
  return JSON.parse(Testing.synth(stack));
};

describe('ClusterDns', () => {
  it('without a parent: creates the zone and the wildcard certificate, looks nothing up, waits for nothing', () => {
    const json = synth(
      (s) =>
        new ClusterDns(s, 'dns', {
          zoneName: 'main-01.acme.example',
          rootZoneName: 'acme.example',
        }),
    );
    expect(json.data?.aws_route53_zone).toBeUndefined();
    expect(Object.values(json.resource.aws_route53_zone)).toEqual([
      expect.objectContaining({
        name: 'main-01.acme.example',
        lifecycle: { prevent_destroy: true },
      }),
    ]);
    expect(Object.values(json.resource.aws_acm_certificate)).toEqual([
      expect.objectContaining({ domain_name: '*.main-01.acme.example', validation_method: 'DNS' }),
    ]);
    expect(Object.values(json.resource.aws_acm_certificate)[0]).not.toHaveProperty(
      'subject_alternative_names',
    );
    expect(Object.values(json.resource.aws_route53_record).map((r: any) => r.type)).not.toContain(
      'NS',
    );
    expect(json.resource.aws_acm_certificate_validation).toBeUndefined();
  });

  it('with a parent zone ID and provider: writes the NS record there, without a lookup', () => {
    const json = synth((s) => {
      const parent = new AwsProvider(s, 'parent', { alias: 'parent', region: 'eu-central-1' });
      new ClusterDns(s, 'dns', {
        zoneName: 'main-01.acme.example',
        rootZoneName: 'acme.example',
        parent: { zoneId: 'Z0PARENT', provider: parent },
      });
    });
    expect(json.data?.aws_route53_zone).toBeUndefined();
    const ns = Object.values(json.resource.aws_route53_record).find(
      (r: any) => r.type === 'NS',
    ) as any;
    expect(ns).toMatchObject({
      provider: 'aws.parent',
      zone_id: 'Z0PARENT',
      name: 'main-01.acme.example',
      ttl: 172800,
      records: expect.stringMatching(/aws_route53_zone\.dns_zone_\w+\.name_servers/),
    });
    // The validation record stays in the cluster zone, with the cluster's own provider.
    const validation = Object.values(json.resource.aws_route53_record).find(
      (r: any) => r.type !== 'NS',
    ) as any;
    expect(validation.provider).toBeUndefined();
    expect(Object.values(json.resource.aws_acm_certificate_validation)).toHaveLength(1);
  });

  it('with a parent but no zone ID: looks the public zone up by name with the parent provider', () => {
    const json = synth(
      (s) =>
        new ClusterDns(s, 'dns', {
          zoneName: 'main-01.acme.example',
          rootZoneName: 'acme.example',
          parent: {},
        }),
    );
    expect(Object.values(json.data.aws_route53_zone)).toEqual([
      { name: 'acme.example', private_zone: false },
    ]);
  });

  it('refuses a zone outside its parent domain', () => {
    expect(() =>
      synth(
        (s) =>
          new ClusterDns(s, 'dns', {
            zoneName: 'main-01.other.example',
            rootZoneName: 'acme.example',
          }),
      ),
    ).toThrow('dns: zone main-01.other.example is not under acme.example');
  });
});
