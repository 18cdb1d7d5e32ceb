/**
 * Run ordering between two workspaces: after a run of the producer workspace applies, TFC
 * queues a run in the consumer workspace (a `tfe_run_trigger` on the consumer, sourced from
 * the producer). One per cross-stack reference edge of the app.
 *
 * Sources:
 * - https://registry.terraform.io/providers/hashicorp/tfe/0.71.0/docs/resources/run_trigger
 * - https://developer.hashicorp.com/terraform/cloud-docs/workspaces/settings/run-triggers
 *   (a workspace accepts at most 20 source workspaces)
 */
import { Construct } from 'constructs';
import { RunTrigger } from '@cdktf/provider-tfe/lib/run-trigger';

export interface TfcRunTriggerProps {
  /** Workspace ID of the producer (whose apply starts the consumer's run). */
  readonly producerWorkspaceId: string;
  /** Workspace ID of the consumer (the workspace the run is queued in). */
  readonly consumerWorkspaceId: string;
}

/** Runs the consumer workspace after the producer workspace applies. */
export class TfcRunTrigger extends Construct {
  /** The `tfe_run_trigger` (on the consumer workspace, sourced from the producer). */
  readonly runTrigger: RunTrigger;

  /** Never throws; TFC refuses a 21st source workspace at apply time. */
  constructor(scope: Construct, id: string, props: TfcRunTriggerProps) {
    super(scope, id);
    this.runTrigger = new RunTrigger(this, 'trigger', {
      workspaceId: props.consumerWorkspaceId,
      sourceableId: props.producerWorkspaceId,
    });
  }
}
