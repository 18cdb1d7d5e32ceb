/**
 * test/support/synth.ts: the worker's shared example is read-only and synthesizes as a fresh
 * build does; the example's whole-app synth is made once per worker, a fresh copy per call.
 */
import { TerraformElement, Testing, TerraformStack } from 'cdktf';
import { buildExample, sharedExample, synthApp, synthJson, synthStack } from './synth';

describe('sharedExample', () => {
  it('is built once per worker', () => {
    expect(sharedExample()).toBe(sharedExample());
  });

  it('refuses new constructs anywhere in its tree (constructs Node.lock) and overrides', () => {
    const lz = sharedExample();
    expect(() => new TerraformStack(lz.organization.node.root, 'extra')).toThrow(
      'Cannot add children during synthesis',
    );
    expect(() => new TerraformStack(lz.network, 'nested')).toThrow(
      `Cannot add children to "${lz.network.node.path}" during synthesis`,
    );
    const element = lz.network.node.findAll().find(TerraformElement.isTerraformElement)!;
    expect(() => element.addOverride('x', 1)).toThrow('the shared example is read-only');
  });

  it('synthesizes each stack once, to what a fresh build of the example synthesizes', () => {
    const lz = sharedExample();
    const fresh = buildExample();
    for (const key of ['organization', 'network'] as const) {
      expect(synthStack(lz[key])).toBe(synthStack(lz[key]));
      expect(synthStack(lz[key])).toBe(Testing.synth(fresh[key]));
    }
    // a fresh copy per call: a test may change what it gets
    expect(synthJson(lz.network)).not.toBe(synthJson(lz.network));
    expect(synthJson(lz.network)).toEqual(synthJson(lz.network));
  });
});

describe('synthApp of the example', () => {
  it('is synthesized once per worker: every call a fresh copy of the same stacks', () => {
    const first = synthApp();
    first.network.changed = true;
    const second = synthApp();
    expect(second.network.changed).toBeUndefined();
    expect(Object.keys(second)).toEqual(Object.keys(first));
    expect(second.network).not.toBe(first.network);
    // as the app writes them: the cross-stack references as remote state
    expect(Object.keys(second['account-production'].data.terraform_remote_state)).toContain(
      'cross-stack-reference-input-security',
    );
  });
});
