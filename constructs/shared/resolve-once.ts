/**
 * One token resolution per element per `App.synth()`, where cdktf does three.
 *
 * cdktf 0.21 (node_modules/cdktf/lib/terraform-stack.js, lib/app.js): `App.synth()` first calls
 * every stack's `prepareStack()`, which resolves each element's `toTerraform()` with
 * `preparing: true` only to discover cross-stack references, and throws the result away. Each
 * stack's synthesizer then calls `toTerraform()`, which resolves each element's `toTerraform()`
 * again and then the whole merged document once more. The only difference `preparing` makes is
 * in `Reference.resolve` (lib/tfExpression.js): it registers the cross-stack reference and
 * returns the identifier the final resolve returns too. At 100 accounts / 20 clusters these
 * passes were about half of the synth's CPU.
 *
 * While `App.synth()` runs, this keeps what `prepareStack()` resolved for each element, and the
 * stack's `toTerraform()` uses it instead of resolving the element again; the merged document
 * is not resolved again when the stack has no stack-level overrides (`addOverride` on the
 * stack), the only unresolved values it can then hold. Elements created after their stack was
 * prepared (the outputs and remote-state reads cdktf adds for cross-stack references) are
 * resolved as before. An element whose overrides changed after the preparation (an
 * `addOverride` from a custom-synthesis hook or another stack's preparation) is resolved as
 * before, and a stack reached by an aspect other than the guardrails' (which only read) gets
 * cdktf's own path: an aspect runs between the two passes and may change what it visits.
 *
 * The rule this relies on, which cdktf itself does not need: **after a stack's
 * `prepareStack()`, nothing changes its elements' properties** other than aspects and overrides
 * (which are detected). Code that overrides `prepareStack()` changes its own stack before
 * calling `super.prepareStack()` (stacks/tfc-stack.ts does); a `Lazy` value must not depend on
 * what later preparations add (none in this app; an aspect on one stack that changes another
 * stack's elements is not detected either).
 *
 * How: both methods call the module export `resolve` of cdktf/lib/_tokens.js at call time
 * (`(0, _tokens_1.resolve)(this, …)`), so a replacement of that export, active only inside
 * `prepareStack()` and `toTerraform()` during `App.synth()`, sees every call. The output is
 * byte-identical (test/constructs/shared/resolve-once.test.ts compares it with cdktf's own path
 * on the example and on variants, and fails if a cdktf upgrade changes the two methods).
 * `LZ_DEBUG` keeps cdktf's path.
 */
import { App, Aspects, TerraformElement, TerraformStack, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
// The module's own exports object (a namespace import would be a read-only copy in a bundle).
// eslint-disable-next-line @typescript-eslint/no-require-imports
import tokens = require('cdktf/lib/_tokens');
import { DEBUG_VARIABLE } from './creation-stacks';

type Resolve = (scope: IConstruct, obj: unknown, preparing?: boolean) => unknown;
type Element = TerraformElement & { toTerraform(): unknown };

const original = {
  resolve: tokens.resolve as Resolve,
  synth: App.prototype.synth,
  prepareStack: TerraformStack.prototype.prepareStack,
  toTerraform: TerraformStack.prototype.toTerraform,
};

/** Tells the aspects that only read (they may run between the passes). */
let isReadOnly: (aspect: IAspect) => boolean = () => false;

/**
 * While an `App.synth()` runs: element -> what its stack's preparation resolved for it, and its
 * overrides at that time.
 */
let prepared: WeakMap<Element, { value: unknown; overrides: string }> | undefined;

const setResolve = (fn: Resolve) => ((tokens as { resolve: Resolve }).resolve = fn);

/** The stack's elements, not descending into nested stacks (as cdktf's `terraformElements`). */
function elementsOf(stack: TerraformStack): Element[] {
  const found: Element[] = [];
  const visit = (c: IConstruct) => {
    if (TerraformElement.isTerraformElement(c)) found.push(c as Element);
    for (const child of c.node.children) if (!TerraformStack.isStack(child)) visit(child);
  };
  visit(stack);
  return found;
}

/** An element's overrides (`addOverride`), as text: a change after preparation shows here. */
const overridesOf = (e: Element) =>
  JSON.stringify((e as unknown as { rawOverrides?: unknown }).rawOverrides ?? {});

/** Whether an aspect that may change elements applies to the stack or anything in it. */
function hasWritingAspect(stack: TerraformStack): boolean {
  const writes = (c: IConstruct) => Aspects.of(c).all.some((a) => !isReadOnly(a));
  for (let c: IConstruct | undefined = stack; c; c = c.node.scope) if (writes(c)) return true;
  return stack.node.findAll().some(writes);
}

/**
 * Runs `body` with each element's `toTerraform` replaced by `replace(element, own)` as an own
 * property, restored afterwards (an element class may define its own as a property).
 */
function withElements(
  elements: Element[],
  replace: (element: Element, own: () => unknown) => () => unknown,
  body: () => unknown,
): unknown {
  const saved = elements.map((e) => ({
    e,
    own: Object.getOwnPropertyDescriptor(e, 'toTerraform'),
    fn: e.toTerraform,
  }));
  for (const { e, fn } of saved) e.toTerraform = replace(e, () => fn.call(e));
  try {
    return body();
  } finally {
    for (const { e, own } of saved) {
      if (own) Object.defineProperty(e, 'toTerraform', own);
      else delete (e as { toTerraform?: unknown }).toTerraform;
    }
  }
}

/** cdktf's `prepareStack`, keeping each element's preparing resolution. */
function prepareStack(this: TerraformStack): void {
  const memo = prepared;
  if (!memo || hasWritingAspect(this)) return original.prepareStack.call(this);
  const owner = new WeakMap<object, Element>(); // an element's `toTerraform()` result -> it
  withElements(
    elementsOf(this),
    (e, own) => () => {
      const out = own();
      if (out && typeof out === 'object') owner.set(out, e);
      return out;
    },
    () => {
      setResolve((scope, obj, preparing) => {
        const value = original.resolve(scope, obj, preparing);
        const e = obj && typeof obj === 'object' ? owner.get(obj) : undefined;
        if (e && preparing) memo.set(e, { value, overrides: overridesOf(e) });
        return value;
      });
      try {
        original.prepareStack.call(this);
      } finally {
        setResolve(original.resolve);
      }
    },
  );
}

/** cdktf's `toTerraform`, with the prepared elements' resolutions recalled. */
function toTerraform(this: TerraformStack): unknown {
  const memo = prepared;
  const elements = memo
    ? elementsOf(this).filter((e) => memo.get(e)?.overrides === overridesOf(e))
    : [];
  if (!memo || elements.length === 0 || hasWritingAspect(this))
    return original.toTerraform.call(this);
  const recalled = new WeakSet<object>();
  const overrides = (this as unknown as { rawOverrides: object }).rawOverrides;
  const noOverrides = Object.keys(overrides ?? {}).length === 0;
  return withElements(
    elements,
    (e) => () => {
      const value = memo.get(e)!.value;
      if (value && typeof value === 'object') recalled.add(value);
      return value;
    },
    () => {
      setResolve((scope, obj, preparing) => {
        if (obj && typeof obj === 'object') {
          if (recalled.has(obj)) return obj; // resolved while preparing
          // The merged document: every part is resolved; only stack overrides would not be.
          if (noOverrides && scope === this && Object.hasOwn(obj, '//')) return obj;
        }
        return original.resolve(scope, obj, preparing);
      });
      try {
        return original.toTerraform.call(this);
      } finally {
        setResolve(original.resolve);
      }
    },
  );
}

/**
 * Installs the single-resolution path for this process (idempotent), unless `LZ_DEBUG` is set.
 * @param readOnly tells the aspects that only read what they visit (the guardrails) from the
 *   others; a stack reached by any other aspect keeps cdktf's path
 * @param env where `LZ_DEBUG` is read (default `process.env`)
 * @returns whether it is installed
 */
export function resolveOnce(
  readOnly: (aspect: IAspect) => boolean,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  isReadOnly = readOnly;
  if (env[DEBUG_VARIABLE]) {
    restoreCdktf();
    return false;
  }
  App.prototype.synth = function (this: App) {
    if (prepared) return original.synth.call(this);
    prepared = new WeakMap();
    try {
      return original.synth.call(this);
    } finally {
      prepared = undefined;
    }
  };
  TerraformStack.prototype.prepareStack = prepareStack;
  TerraformStack.prototype.toTerraform = toTerraform;
  return true;
}

/** Puts cdktf's own `App.synth`, `prepareStack` and `toTerraform` back. */
export function restoreCdktf(): void {
  App.prototype.synth = original.synth;
  TerraformStack.prototype.prepareStack = original.prepareStack;
  TerraformStack.prototype.toTerraform = original.toTerraform;
  setResolve(original.resolve);
}
