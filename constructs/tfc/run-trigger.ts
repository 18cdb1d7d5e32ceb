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

  /** Never throws; check the sources of each consumer with {@link checkRunTriggerSources} first. */
  constructor(scope: Construct, id: string, props: TfcRunTriggerProps) {
    super(scope, id);
    this.runTrigger = new RunTrigger(this, 'trigger', {
      workspaceId: props.consumerWorkspaceId,
      sourceableId: props.producerWorkspaceId,
    });
  }
}

/**
 * Most source workspaces one workspace's run triggers may have: "You can connect your
 * workspace to up to 20 source workspaces" (tfe 0.71 docs, `website/docs/r/run_trigger.html.markdown`).
 * TFC enforces it only when the 21st `tfe_run_trigger` is applied.
 */
export const MAX_RUN_TRIGGER_SOURCES = 20;

/**
 * Checks, before anything is applied, that no consumer has more than
 * {@link MAX_RUN_TRIGGER_SOURCES} producers.
 * @param edges producer/consumer pairs (any IDs)
 * @param workspaceOf the workspace name of an ID, for the message
 * @throws Error naming every workspace over the limit, with its count and its sources
 */
export function checkRunTriggerSources(
  edges: readonly { readonly producer: string; readonly consumer: string }[],
  workspaceOf: (id: string) => string,
): void {
  const sources = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!sources.has(e.consumer)) sources.set(e.consumer, new Set());
    sources.get(e.consumer)!.add(e.producer);
  }
  const over = [...sources].filter(([, s]) => s.size > MAX_RUN_TRIGGER_SOURCES);
  if (over.length > 0)
    throw new Error(
      over
        .map(
          ([consumer, s]) =>
            `workspace ${workspaceOf(consumer)}: ${s.size} run-trigger sources (${[...s].join(', ')}); TFC allows at most ${MAX_RUN_TRIGGER_SOURCES}: reference fewer stacks, or set terraformCloud.runTriggers: false`,
        )
        .join('\n'),
    );
}
