/**
 * An EKS control plane with the landing zone's defaults: authentication mode `API` (access
 * entries only, no `aws-auth` ConfigMap), no implicit admin for the creator, secrets
 * envelope-encrypted with a KMS key, control-plane logs to a log group with a retention, the
 * private endpoint on and the public one off unless restricted CIDRs are given, no
 * self-managed bootstrap add-ons (the managed add-ons are installed by `ClusterAddons`), the
 * `STANDARD` support policy (no extended-support charges; AWS's default is `EXTENDED`), ARC
 * zonal shift on, and `prevent_destroy`.
 *
 * Sources: https://docs.aws.amazon.com/eks/latest/userguide/create-cluster.html,
 * https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html,
 * https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html,
 * https://docs.aws.amazon.com/eks/latest/userguide/extended-support-control.html,
 * https://docs.aws.amazon.com/eks/latest/userguide/zone-shift.html
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { EksCluster as AwsEksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { ServiceRole, awsManagedPolicyArn } from './service-role';

/** Control-plane log types EKS can send to CloudWatch Logs. */
export type ControlPlaneLogType =
  'api' | 'audit' | 'authenticator' | 'controllerManager' | 'scheduler';

export interface EksClusterProps {
  /** Cluster name (also the Karpenter discovery tag value); the role is `<name>-cluster`. */
  readonly clusterName: string;
  /** Kubernetes minor version, e.g. `1.35` (one of `EKS_VERSIONS` in envs/versions.ts). */
  readonly kubernetesVersion: string;
  /** VPC of the API security group. */
  readonly vpcId: string;
  /**
   * Subnets for the control-plane network interfaces, at least 2 AZs: small dedicated subnets
   * (the landing zone's control-plane subnets), so node and pod addresses never crowd them out.
   */
  readonly subnetIds: string[];
  /**
   * Version support policy, `upgrade_policy.support_type` (default `STANDARD`: upgraded at the
   * end of standard support, no extended-support charges; AWS's own default is `EXTENDED`).
   */
  readonly supportType?: 'STANDARD' | 'EXTENDED';
  /** ARC zonal shift, `zonal_shift_config.enabled` (default true). */
  readonly zonalShift?: boolean;
  /** KMS key ARN for envelope encryption of Kubernetes secrets (required). */
  readonly kmsKeyArn: string;
  /**
   * CIDRs allowed to the public endpoint. Empty (default): public endpoint off.
   * A `/0` CIDR throws (see the constructor).
   */
  readonly publicAccessCidrs?: string[];
  /** CIDRs allowed to reach the private endpoint on TCP 443 (e.g. the VPC or an agent subnet). */
  readonly privateAccessCidrs: string[];
  /** Control-plane log types (default `api`, `audit`, `authenticator`). */
  readonly logTypes?: ControlPlaneLogType[];
  /** Retention of `/aws/eks/<cluster>/cluster`, days (default 90; one of CloudWatch's values). */
  readonly logRetentionDays?: number;
  /** KMS key ARN for the log group (default: CloudWatch Logs' own encryption). The key policy must admit CloudWatch Logs. */
  readonly logKmsKeyArn?: string;
  /** ARN partition of the managed policy ARNs (default `aws`; a token is fine). */
  readonly partition?: string;
  /** Provider (account/region) to create the cluster with. */
  readonly provider?: TerraformProvider;
}

/**
 * An EKS cluster (control plane), its IAM role, log group and API security group.
 * @throws Error if `publicAccessCidrs` contains a `/0` CIDR (the API would be open to the internet)
 */
export class EksCluster extends Construct {
  readonly cluster: AwsEksCluster;
  /** The cluster's IAM role (`AmazonEKSClusterPolicy` + KMS use for secrets encryption). */
  readonly role: IamRole;
  /** `/aws/eks/<cluster>/cluster`, created before the cluster so its retention and key apply. */
  readonly logGroup: CloudwatchLogGroup;
  /** Extra security group of the control plane: HTTPS from `privateAccessCidrs`. */
  readonly apiSecurityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const provider = props.provider;
    const publicCidrs = props.publicAccessCidrs ?? [];
    const open = publicCidrs.filter((c) => c.endsWith('/0'));
    if (open.length > 0)
      throw new Error(
        `${id}: publicAccessCidrs ${open.join(', ')} would open the API to the internet`,
      );

    const serviceRole = new ServiceRole(this, 'service-role', {
      provider,
      roleName: `${props.clusterName}-cluster`,
      description: `EKS control plane of ${props.clusterName}`,
      service: 'eks.amazonaws.com',
      actions: ['sts:AssumeRole', 'sts:TagSession'],
      managedPolicyArns: [awsManagedPolicyArn('AmazonEKSClusterPolicy', props.partition)],
    });
    this.role = serviceRole.role;
    const encryption = new DataAwsIamPolicyDocument(this, 'encryption', {
      provider,
      statement: [
        {
          sid: 'EnvelopeEncryptionOfSecrets',
          effect: 'Allow',
          actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'],
          resources: [props.kmsKeyArn],
        },
      ],
    });
    const encryptionPolicy = new IamRolePolicy(this, 'encryption-policy', {
      provider,
      role: this.role.name,
      name: 'secrets-encryption',
      policy: encryption.json,
    });

    // EKS writes to this exact name; creating it first sets the retention and encryption.
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      provider,
      name: `/aws/eks/${props.clusterName}/cluster`,
      retentionInDays: props.logRetentionDays ?? 90,
      kmsKeyId: props.logKmsKeyArn,
    });

    this.apiSecurityGroup = new SecurityGroup(this, 'api-sg', {
      provider,
      name: `${props.clusterName}-api`,
      description: `EKS API of ${props.clusterName}: HTTPS from allowed private CIDRs`,
      vpcId: props.vpcId,
      tags: { Name: `${props.clusterName}-api` },
    });
    props.privateAccessCidrs.forEach((cidr, i) => {
      new VpcSecurityGroupIngressRule(this, `api-https-${i}`, {
        provider,
        securityGroupId: this.apiSecurityGroup.id,
        description: 'Kubernetes API (HTTPS)',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidr,
      });
    });

    this.cluster = new AwsEksCluster(this, 'cluster', {
      provider,
      name: props.clusterName,
      version: props.kubernetesVersion,
      roleArn: this.role.arn,
      enabledClusterLogTypes: props.logTypes ?? ['api', 'audit', 'authenticator'],
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      bootstrapSelfManagedAddons: false,
      upgradePolicy: { supportType: props.supportType ?? 'STANDARD' },
      zonalShiftConfig: { enabled: props.zonalShift ?? true },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: props.kmsKeyArn } },
      vpcConfig: {
        subnetIds: props.subnetIds,
        securityGroupIds: [this.apiSecurityGroup.id],
        endpointPrivateAccess: true,
        endpointPublicAccess: publicCidrs.length > 0,
        publicAccessCidrs: publicCidrs.length > 0 ? publicCidrs : undefined,
      },
      // The role's permissions must exist before the cluster and outlive it (deletion order).
      dependsOn: [this.logGroup, ...serviceRole.managedPolicyAttachments, encryptionPolicy],
      lifecycle: { preventDestroy: true },
    });
  }

  /** The cluster's name (a token: using it waits for the cluster). */
  get clusterName(): string {
    return this.cluster.name;
  }

  /** The cluster's ARN. */
  get clusterArn(): string {
    return this.cluster.arn;
  }

  /** The Kubernetes API endpoint, `https://...`. */
  get endpoint(): string {
    return this.cluster.endpoint;
  }

  /** Base64 PEM of the cluster CA. */
  get certificateAuthority(): string {
    return this.cluster.certificateAuthority.get(0).data;
  }

  /** The security group EKS creates for the cluster (control plane ↔ nodes). */
  get clusterSecurityGroupId(): string {
    return this.cluster.vpcConfig.clusterSecurityGroupId;
  }

  /** The OIDC issuer URL (for IRSA, if a workload needs it; Pod Identity does not). */
  get oidcIssuerUrl(): string {
    return this.cluster.identity.get(0).oidc.get(0).issuer;
  }
}
