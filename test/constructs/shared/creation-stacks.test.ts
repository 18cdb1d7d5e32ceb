/**
 * constructs/shared/creation-stacks.ts: cdktf's token creation stacks are off unless LZ_DEBUG is
 * set. The patched export is cdktf 0.21's `captureStackTrace` of
 * node_modules/cdktf/lib/tokens/private/stack-trace.js, read by `Lazy` (tokens/lazy.js) and
 * `Intrinsic` (tokens/private/intrinsic.js) at call time; these tests fail if an upgrade moves it.
 */
import {
  App,
  DefaultTokenResolver,
  Lazy,
  StringConcat,
  TerraformStack,
  Token,
  Tokenization,
} from 'cdktf';
import * as stackTrace from 'cdktf/lib/tokens/private/stack-trace';
import {
  DISABLED_CREATION_STACK,
  disableCreationStacks,
} from '../../../constructs/shared/creation-stacks';

/** The creation stack cdktf recorded for a fresh Lazy token. */
function creationStackOfNewToken(): string[] {
  const token = Token.asAny(Lazy.stringValue({ produce: () => 'x' })) as unknown as {
    creationStack: string[];
  };
  // `Token.asAny` wraps the Lazy; both record their creation stack.
  return token.creationStack;
}

describe('disableCreationStacks', () => {
  // back to the suite's setting (test/support/setup-early.ts: from the environment); later
  // files of the worker share it (docs/testing.md, "How jest runs")
  afterEach(() => disableCreationStacks());

  it('cdktf still exports captureStackTrace where the patch expects it', () => {
    expect(typeof stackTrace.captureStackTrace).toBe('function');
  });

  it('off by default: new tokens record the one-line marker, not a trace', () => {
    expect(disableCreationStacks({})).toBe(true);
    expect(creationStackOfNewToken()).toEqual([...DISABLED_CREATION_STACK]);
    expect(DISABLED_CREATION_STACK[0]).toContain('LZ_DEBUG=1');
  });

  it("LZ_DEBUG=1 keeps cdktf's real traces (frames of this file)", () => {
    expect(disableCreationStacks({ LZ_DEBUG: '1' })).toBe(false);
    const stack = creationStackOfNewToken();
    expect(stack.length).toBeGreaterThan(1);
    expect(stack.join('\n')).toContain('creation-stacks.test.ts');
  });

  it('a resolution error keeps its message and shows the marker as the creation stack', () => {
    disableCreationStacks({});
    const bad = Lazy.stringValue({
      produce: () => {
        throw new Error('no value yet');
      },
    });
    const stack = new TerraformStack(new App(), 's');
    const resolve = () =>
      Tokenization.resolve(bad, {
        scope: stack,
        preparing: false,
        resolver: new DefaultTokenResolver(new StringConcat()),
      });
    expect(resolve).toThrow(/no value yet/);
    expect(resolve).toThrow(DISABLED_CREATION_STACK[0]);
  });
});
