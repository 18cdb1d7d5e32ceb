/**
 * The cross-stack reference edges of a cdktf app, as cdktf itself records them.
 *
 * When a construct in stack B uses a token of a resource in stack A, cdktf (during
 * `TerraformStack.prepareStack()`) adds an output to A, a remote-state data source to B, and
 * records `A` in `B.dependencies` (`App.crossStackReference`). Those references only resolve
 * when a stack is prepared, so {@link crossStackEdges} prepares the stacks first.
 * `prepareStack()` is idempotent: the output, the remote-state data source and the dependency
 * are each registered at most once (`registerOutgoingCrossStackReference`,
 * `registerIncomingCrossStackReference` and `addDependency` return the existing entry), so
 * `App.synth()` preparing the same stacks again changes nothing.
 *
 * Source: cdktf 0.21 `lib/terraform-stack.js` (`prepareStack`, `addDependency`) and
 * `lib/app.js` (`synth`, `crossStackReference`).
 */
import type { TerraformStack } from 'cdktf';

/** `consumer` reads state of (and must run after) `producer`. */
export interface StackEdge {
  readonly producer: TerraformStack;
  readonly consumer: TerraformStack;
}

/**
 * Prepares `stacks` and returns every dependency edge between them, in the order of `stacks`
 * (consumer order, then the consumer's dependency order).
 * @param stacks the stacks to inspect
 * @throws Error if a stack depends on a stack outside `stacks`
 */
export function crossStackEdges(stacks: readonly TerraformStack[]): StackEdge[] {
  for (const stack of stacks) stack.prepareStack();
  const edges: StackEdge[] = [];
  for (const consumer of stacks) {
    for (const producer of consumer.dependencies) {
      if (!stacks.includes(producer)) {
        throw new Error(
          `stack "${consumer.node.id}" references stack "${producer.node.id}", which has no workspace`,
        );
      }
      edges.push({ producer, consumer });
    }
  }
  return edges;
}
