/**
 * Reviewed snapshots of every stack of the example environment. The assertions about what
 * each stack decides live beside its own spec; this file makes any change to the synthesized
 * Terraform visible in review (`npx jest -u` after reading the diff).
 */
import { sharedExample, synthStack } from '../support/synth';

const lz = sharedExample();

describe('synthesized stacks of the example environment', () => {
  it('builds the stacks planStacks() lists, in bootstrap order', () => {
    expect(lz.stacks.map((s) => s.node.id)).toEqual(lz.specs.map((s) => s.id));
  });

  it.each(lz.stacks.map((s) => [s.node.id, s] as const))(
    '%s matches its snapshot',
    (_id, stack) => {
      expect(synthStack(stack)).toMatchSnapshot();
    },
  );
});
