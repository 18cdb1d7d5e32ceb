/**
 * Where platform pods run. The system node group (cluster stack) is tainted
 * `CriticalAddonsOnly=true:NoSchedule`; cluster-critical controllers tolerate it (they may run
 * there or on Karpenter's general nodes), everything else lands on Karpenter's nodes.
 */
import { SYSTEM_NODE_LABELS, SYSTEM_NODE_TAINT } from '../eks/addon-identities';

/** A Kubernetes toleration (https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/). */
export interface Toleration {
  key: string;
  operator: 'Equal' | 'Exists';
  value?: string;
  effect?: 'NoSchedule' | 'NoExecute' | 'PreferNoSchedule';
}

/** Tolerations of the system node group's taint, for critical controllers. */
export function systemTolerations(): Toleration[] {
  return [
    {
      key: SYSTEM_NODE_TAINT.key,
      operator: 'Equal',
      value: SYSTEM_NODE_TAINT.value,
      effect: SYSTEM_NODE_TAINT.effect,
    },
  ];
}

/** `nodeSelector` pinning a pod to the system node group (used for Karpenter's controller only). */
export function systemNodeSelector(): Record<string, string> {
  return { 'kubernetes.io/os': 'linux', ...SYSTEM_NODE_LABELS };
}
