/**
 * Every pinned version the landing zone deploys, in one place: Helm charts, EKS add-ons,
 * AMI aliases and container images. Nothing outside this module names a version, and
 * `latest` is never used (a guardrail enforces it on every synth).
 *
 * Each entry cites where the version was read.
 */

/** Terraform providers (match package.json's prebuilt providers; informational). */
export const PROVIDERS = {
  /** @cdktf/provider-aws 20.1.0 → hashicorp/aws 5.100.0 */
  aws: '5.100.0',
  /** @cdktf/provider-helm 12.1.2 → hashicorp/helm 3.1.1 */
  helm: '3.1.1',
  /** @cdktf/provider-kubernetes 12.1.1 → hashicorp/kubernetes 2.38.0 */
  kubernetes: '2.38.0',
  /** @cdktf/provider-tfe 12.5.1 → hashicorp/tfe 0.71.0 */
  tfe: '0.71.0',
} as const;

// ---- network (fck-nat) ----------------------------------------------------------------

// ---- cluster (EKS, add-ons, AMIs) ------------------------------------------------------

// ---- platform (Helm charts) -------------------------------------------------------------

// ---- dagster ----------------------------------------------------------------------------
