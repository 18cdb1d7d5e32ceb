/**
 * The cluster's DNS: a public Route53 zone `<cluster>.<root zone>`, its delegation (NS record)
 * in the root zone when that zone is a Route53 zone in the same account, and an ACM wildcard
 * certificate `*.<zone>` validated through DNS records in the cluster zone.
 *
 * When the root zone lives elsewhere (`rootZoneManaged: false`), the NS records must be added
 * there by hand from {@link ClusterDns.nameServers}; the stack then does not wait for the
 * certificate to be issued (ACM keeps retrying DNS validation for 72 hours), so an apply
 * never blocks on a manual step.
 *
 * Sources: https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-routing-traffic-for-subdomains.html,
 * https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';

export interface ClusterDnsProps {
  /** The cluster zone's name, e.g. `main-01.acme.example`. */
  readonly zoneName: string;
  /** The parent zone, e.g. `acme.example`. */
  readonly rootZoneName: string;
  /** Whether the parent is a Route53 public zone in this account (then the delegation is written). */
  readonly rootZoneManaged: boolean;
  /** TTL of the delegation NS record, seconds (default 172800, Route53's NS default). */
  readonly nsTtlSeconds?: number;
  /** Provider (account/region) to create the zone and certificate with. */
  readonly provider?: TerraformProvider;
}

/**
 * A delegated cluster zone and its wildcard certificate.
 * @throws Error if `zoneName` is not a subdomain of `rootZoneName`
 */
export class ClusterDns extends Construct {
  readonly zone: Route53Zone;
  readonly certificate: AcmCertificate;
  /** The validation waiter; undefined when the root zone is not managed here. */
  readonly validation?: AcmCertificateValidation;
  /** The delegation record in the root zone; undefined when not managed here. */
  readonly delegation?: Route53Record;

  constructor(scope: Construct, id: string, props: ClusterDnsProps) {
    super(scope, id);
    const provider = props.provider;
    if (!props.zoneName.endsWith(`.${props.rootZoneName}`)) {
      throw new Error(`${id}: zone ${props.zoneName} is not under ${props.rootZoneName}`);
    }
    this.zone = new Route53Zone(this, 'zone', {
      provider,
      name: props.zoneName,
      comment: `EKS cluster zone, delegated from ${props.rootZoneName}`,
      lifecycle: { preventDestroy: true },
    });

    if (props.rootZoneManaged) {
      const root = new DataAwsRoute53Zone(this, 'root-zone', {
        provider,
        name: props.rootZoneName,
        privateZone: false,
      });
      this.delegation = new Route53Record(this, 'delegation', {
        provider,
        zoneId: root.zoneId,
        name: props.zoneName,
        type: 'NS',
        ttl: props.nsTtlSeconds ?? 172800,
        records: this.zone.nameServers,
      });
    }

    this.certificate = new AcmCertificate(this, 'certificate', {
      provider,
      domainName: `*.${props.zoneName}`,
      validationMethod: 'DNS',
      keyAlgorithm: 'EC_prime256v1',
      lifecycle: { createBeforeDestroy: true },
    });
    // One domain name (the wildcard) means exactly one validation record; indexing it keeps
    // the plan free of for_each keys that are unknown until the certificate exists.
    const dvo = this.certificate.domainValidationOptions.get(0);
    const record = new Route53Record(this, 'validation-record', {
      provider,
      zoneId: this.zone.zoneId,
      name: dvo.resourceRecordName,
      type: dvo.resourceRecordType,
      records: [dvo.resourceRecordValue],
      ttl: 300,
    });
    if (props.rootZoneManaged) {
      this.validation = new AcmCertificateValidation(this, 'validation', {
        provider,
        certificateArn: this.certificate.arn,
        validationRecordFqdns: [record.fqdn],
        dependsOn: this.delegation ? [this.delegation] : undefined,
      });
    }
  }

  /** The cluster zone's hosted zone ID (for external-dns and ALB records). */
  get zoneId(): string {
    return this.zone.zoneId;
  }

  /** The cluster zone's name, `<cluster key>.<root zone>`. */
  get zoneName(): string {
    return this.zone.name;
  }

  /** The cluster zone's ARN (external-dns is limited to it). */
  get zoneArn(): string {
    return this.zone.arn;
  }

  /** Name servers of the cluster zone (for a manual delegation). */
  get nameServers(): string[] {
    return this.zone.nameServers;
  }

  /** The certificate ARN; when validation is awaited, taken from the validation so consumers wait for issuance. */
  get certificateArn(): string {
    return this.validation ? this.validation.certificateArn : this.certificate.arn;
  }
}
