/**
 * The cluster's DNS: a public Route53 zone `<cluster>.<root zone>`, created here (nothing needs
 * to exist beforehand), an ACM wildcard certificate `*.<zone>` validated through DNS records in
 * the cluster zone, and, when a parent zone is given, the delegation (NS record) in it.
 *
 * - Parent given: the NS record is written with the parent's provider (this account, or a
 *   delegation role in the parent's account), and the stack waits for the certificate.
 * - No parent (default): the NS record is added to the parent by hand from
 *   {@link ClusterDns.nameServers} (the `zone_name_servers` output); the stack then does not
 *   wait for the certificate (ACM keeps retrying DNS validation for 72 hours), so an apply never
 *   blocks on a manual step.
 *
 * A parent zone is never looked up by name in an account the config did not name.
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

/** The parent zone of {@link ClusterDnsProps}: where the NS record goes. */
export interface ClusterDnsParent {
  /** Hosted zone ID (default: the public zone named `rootZoneName`, looked up with `provider`). */
  readonly zoneId?: string;
  /** Provider of the parent zone's account (default: this construct's provider). */
  readonly provider?: TerraformProvider;
}

export interface ClusterDnsProps {
  /** The cluster zone's name, e.g. `main-01.acme.example`. */
  readonly zoneName: string;
  /** The parent domain, e.g. `acme.example`. */
  readonly rootZoneName: string;
  /** The parent zone to write the delegation into (default none: delegate by hand). */
  readonly parent?: ClusterDnsParent;
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

    const parent = props.parent;
    if (parent) {
      const parentProvider = parent.provider ?? provider;
      const parentZoneId =
        parent.zoneId ??
        new DataAwsRoute53Zone(this, 'root-zone', {
          provider: parentProvider,
          name: props.rootZoneName,
          privateZone: false,
        }).zoneId;
      this.delegation = new Route53Record(this, 'delegation', {
        provider: parentProvider,
        zoneId: parentZoneId,
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
    if (parent) {
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
