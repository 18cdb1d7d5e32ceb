/**
 * An IAM role for EKS Pod Identity: trusted by `pods.eks.amazonaws.com` (`sts:AssumeRole` and
 * `sts:TagSession`) only for one cluster of one account, with least-privilege policies and the
 * `aws_eks_pod_identity_association`s that bind it to Kubernetes service accounts.
 *
 * Source: https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { ServiceRole } from './service-role';

/** A Kubernetes service account the role is associated with. */
export interface ServiceAccountRef {
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Name of the service account. */
  readonly serviceAccount: string;
}

export interface PodIdentityRoleProps {
  /** Role name (at most 64 characters). */
  readonly roleName: string;
  /** Role description (default none). */
  readonly description?: string;
  /** EKS cluster name; associations are created in it. Use the cluster resource's `name` so they wait for it. */
  readonly clusterName: string;
  /** Cluster ARN: the trust policy admits Pod Identity only on behalf of this cluster (`aws:SourceArn`). */
  readonly clusterArn: string;
  /** Account ID of the cluster (`aws:SourceAccount` in the trust policy). */
  readonly accountId: string;
  /**
   * Customer-managed policies to create and attach, by name suffix (the policy is named
   * `<roleName>-<key>`), each a list of statements. Default none.
   */
  readonly policies?: Record<string, DataAwsIamPolicyDocumentStatement[]>;
  /** AWS-managed policy ARNs to attach (default none). */
  readonly managedPolicyArns?: string[];
  /**
   * Service accounts to associate (default none: e.g. an EKS add-on that declares its own
   * `pod_identity_association`).
   */
  readonly serviceAccounts?: ServiceAccountRef[];
  /** Provider (account/region) to create the role with. */
  readonly provider?: TerraformProvider;
}

/**
 * A Pod Identity role with its policies and service-account associations.
 * @throws Error if `roleName` is longer than 64 characters
 */
export class PodIdentityRole extends Construct {
  readonly role: IamRole;
  /** The customer-managed policies created, by key. */
  readonly policies: Record<string, IamPolicy> = {};
  /** The policy documents of {@link policies}, by key (for assertions and reuse). */
  readonly policyDocuments: Record<string, DataAwsIamPolicyDocument> = {};
  readonly associations: EksPodIdentityAssociation[] = [];

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    const provider = props.provider;
    this.role = new ServiceRole(this, 'identity', {
      provider,
      roleName: props.roleName,
      description: props.description,
      sid: 'EksPodIdentity',
      service: 'pods.eks.amazonaws.com',
      actions: ['sts:AssumeRole', 'sts:TagSession'],
      conditions: [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.accountId] },
        { test: 'ArnEquals', variable: 'aws:SourceArn', values: [props.clusterArn] },
      ],
      managedPolicyArns: props.managedPolicyArns,
    }).role;
    for (const [key, statements] of Object.entries(props.policies ?? {})) {
      const doc = new DataAwsIamPolicyDocument(this, `${key}-document`, {
        provider,
        statement: statements,
      });
      const policy = new IamPolicy(this, `${key}-policy`, {
        provider,
        name: `${props.roleName}-${key}`,
        policy: doc.json,
      });
      new IamRolePolicyAttachment(this, `${key}-attachment`, {
        provider,
        role: this.role.name,
        policyArn: policy.arn,
      });
      this.policies[key] = policy;
      this.policyDocuments[key] = doc;
    }
    for (const sa of props.serviceAccounts ?? []) {
      this.associations.push(
        new EksPodIdentityAssociation(this, `association-${sa.namespace}-${sa.serviceAccount}`, {
          provider,
          clusterName: props.clusterName,
          namespace: sa.namespace,
          serviceAccount: sa.serviceAccount,
          roleArn: this.role.arn,
        }),
      );
    }
  }

  /** The role's ARN. */
  get roleArn(): string {
    return this.role.arn;
  }

  /** The role's name. */
  get roleName(): string {
    return this.role.name;
  }
}
