/**
 * The cross-stack reference edges of a cdktf app, as cdktf itself records them.
 *
 * When a construct in stack B uses a token of a resource in stack A, cdktf (during
 * `TerraformStack.prepareStack()`) adds an output to A, a remote-state data source to B, and
 * records `A` in `B.dependencies` (`App.crossStackReference`). Those references only resolve
 * when a stack is prepared, so {@link crossStackEdges} prepares the stacks first, except those
 * already prepared: `App.synth()` prepares every stack in construct order, so when it reaches
 * the TFC stack (built last) the others are done, and preparing them again would resolve every
 * token of the app a second time (a third of `app.synth()` at 100 accounts / 20 clusters).
 * {@link trackPreparation} records which stacks were prepared.
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

/** Stacks whose `prepareStack()` ran to the end since {@link trackPreparation} wrapped them. */
const prepared = new WeakSet<TerraformStack>();
const tracked = new WeakSet<TerraformStack>();

/**
 * Records when each of `stacks` is prepared (wraps its `prepareStack` method; idempotent), so
 * {@link crossStackEdges} does not prepare it again. Call it when the stacks are built, before
 * anything prepares them.
 * @param stacks the stacks whose edges {@link crossStackEdges} will read
 */
export function trackPreparation(stacks: readonly TerraformStack[]): void {
  for (const stack of stacks) {
    if (tracked.has(stack)) continue;
    tracked.add(stack);
    const prepare = stack.prepareStack.bind(stack);
    stack.prepareStack = () => {
      prepare();
      prepared.add(stack);
    };
  }
}

/**
 * Prepares those of `stacks` not prepared yet (see {@link trackPreparation}) and returns every dependency edge between them, in the order of `stacks`
 * (consumer order, then the consumer's dependency order).
 * @param stacks the stacks to inspect
 * @throws Error if a stack depends on a stack outside `stacks`
 */
export function crossStackEdges(stacks: readonly TerraformStack[]): StackEdge[] {
  for (const stack of stacks) if (!prepared.has(stack)) stack.prepareStack();
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
