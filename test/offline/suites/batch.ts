/**
 * The one {@link TestBatch} of the offline `terraform test` suites: every suite module in this
 * folder adds its stacks while jest collects test/offline/terraform-test.test.ts, and the first
 * test that asks for a result runs all of them in one Terraform process (each Terraform
 * process pays about 4–6 s of CPU loading the hashicorp/aws schema on the 2-core machine;
 * test/support/terraform-batch.ts).
 */
import type { OfflineTerraform } from '../../support/terraform';
import { TestBatch } from '../../support/terraform-batch';

let terraform: OfflineTerraform | undefined;

/** Called by each suite's `describeOffline` body with the detected Terraform. */
export function useTerraform(tf: OfflineTerraform): void {
  terraform = tf;
}

export const batch = new TestBatch(() => {
  if (!terraform)
    throw new Error('offline suites: no Terraform detected (useTerraform not called)');
  return terraform;
});
