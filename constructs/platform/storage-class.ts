/**
 * The cluster's default `StorageClass` `gp3`: EBS CSI driver (an EKS add-on of the cluster
 * stack), gp3, encrypted, bound when the pod is scheduled (so the volume lands in the pod's
 * AZ), expandable. A plain Kubernetes resource, not a CRD, so the kubernetes provider is fine.
 *
 * Parameters: https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/master/docs/parameters.md
 */
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { StorageClassV1 } from '@cdktf/provider-kubernetes/lib/storage-class-v1';
import type { ClusterAddOn, PlatformContext } from './addon';

/** Name of the default storage class. */
export const DEFAULT_STORAGE_CLASS = 'gp3';

/** Add-on `storage-class`. */
export class StorageClassAddOn implements ClusterAddOn {
  readonly name = 'storage-class';
  readonly dependsOn: readonly string[] = [];

  build(scope: Construct, _ctx: PlatformContext): ITerraformDependable {
    const own = new Construct(scope, this.name);
    return new StorageClassV1(own, 'gp3', {
      metadata: {
        name: DEFAULT_STORAGE_CLASS,
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
      },
      storageProvisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true', 'csi.storage.k8s.io/fstype': 'ext4' },
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
  }
}
