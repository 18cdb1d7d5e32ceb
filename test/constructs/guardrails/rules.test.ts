/**
 * Guardrails: every rule fires on a small synthetic stack that breaks it, stays quiet on a
 * compliant variant, and stays quiet on the example environment (the cases:
 * test/support/guardrail-cases.ts). Suppressions, their validation and the error format:
 * check.test.ts; the aspect during cdktf synthesis: aspect.test.ts.
 */
import { Aspects } from 'cdktf';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GuardrailError, checkGuardrails } from '../../../constructs/guardrails/check';
import { GuardrailAspect } from '../../../constructs/guardrails/aspect';
import { RULES, RULE_IDS } from '../../../envs/guardrail-catalog';
import {
  RULE_REGISTRY,
  wildcardSubject,
  unpinnedImage,
} from '../../../constructs/guardrails/rules';
import { buildExample } from '../../support/synth';
import { exampleEnv } from '../../support/env';
import { CASES } from '../../support/guardrail-cases';
import { ids, violations } from '../../support/guardrail-fixtures';

describe('the rule registry', () => {
  it('has a check and a test case for every catalog rule', () => {
    expect(RULE_REGISTRY.map((r) => r.id)).toEqual(RULE_IDS);
    expect(Object.keys(CASES).sort()).toEqual([...RULE_IDS].sort());
    for (const r of RULE_REGISTRY) {
      expect(r.fix.length).toBeGreaterThan(10);
      expect(r.types.length).toBeGreaterThan(0);
    }
  });
});

describe('docs/security.md', () => {
  const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'security.md'), 'utf8');
  it.each(RULE_IDS)('documents %s with what it prevents and its fix', (rule) => {
    expect(doc).toContain(`### ${rule}: ${RULES[rule].title}`);
    expect(doc).toContain(RULES[rule].prevents);
    expect(doc).toContain(RULES[rule].fix);
  });
});

describe.each(RULE_IDS)('%s', (rule) => {
  const c = CASES[rule];

  it('fails a stack that breaks it, naming the construct path, the rule and the fix', () => {
    const found = violations(c.bad).filter((f) => f.rule === rule);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0].path).toBe(c.path);
    expect(found[0].fix).toBe(RULES[rule].fix);
  });

  // Only rules with variants get this test (an empty list would pass without checking anything).
  const variants = (c.also ?? []).map((build, i) => [i + 1, build] as const);
  if (variants.length > 0) {
    it.each(variants)('fires on variant %i of the violation', (_i, build) => {
      expect(ids(violations(build))).toContain(rule);
    });
  }

  it('stays quiet on a compliant stack', () => {
    expect(violations(c.good)).toEqual([]);
  });
});

describe('the example environment', () => {
  let report: ReturnType<typeof checkGuardrails>;
  let error: unknown;
  let lz: ReturnType<typeof buildExample>;

  beforeAll(() => {
    const env = exampleEnv();
    lz = buildExample(env);
    try {
      report = checkGuardrails(lz.organization.node.root, env);
    } catch (e) {
      error = e;
    }
  });

  it('passes every guardrail with no suppression', () => {
    expect(error instanceof GuardrailError ? error.message : error).toBeUndefined();
    expect(report.suppressed).toEqual([]);
    expect(report.checked).toBeGreaterThan(100);
  });

  it.each(RULE_IDS)('raises no %s finding', (rule) => {
    const found =
      error instanceof GuardrailError ? error.violations.filter((f) => f.rule === rule) : [];
    expect(found.map((f) => `${f.path}: ${f.problem}`)).toEqual([]);
  });

  it('carries a guardrail aspect on every stack', () => {
    for (const stack of lz.stacks)
      expect(Aspects.of(stack).all.some(GuardrailAspect.isGuardrailAspect)).toBe(true);
  });
});

describe('helpers', () => {
  it.each([
    ['organization:acme:project:lz:workspace:acme-network:run_phase:apply', undefined],
    ['organization:acme:project:lz:workspace:acme-network:run_phase:*', undefined],
    ['organization:acme:project:lz:workspace:*:run_phase:apply', 'has a wildcard workspace'],
    ['organization:acme:project:*:workspace:x:run_phase:apply', 'has a wildcard project'],
    ['organization:acme:project:lz', 'does not name the workspace'],
    ['system:serviceaccount:dagster:dagster', undefined],
    ['system:serviceaccount:dagster:*', 'has a wildcard'],
  ])('wildcardSubject(%s) = %s', (subject, expected) => {
    expect(wildcardSubject(subject)).toBe(expected);
  });

  it.each([
    ['nginx:1.27.0', undefined],
    ['ghcr.io/org/app@sha256:0123', undefined],
    ['localhost:5000/app:1.0', undefined],
    ['nginx', 'image "nginx" has no tag'],
    ['nginx:latest', 'image "nginx:latest" uses tag latest'],
    ['localhost:5000/app', 'image "localhost:5000/app" has no tag'],
  ])('unpinnedImage(%s) = %s', (image, expected) => {
    expect(unpinnedImage(image)).toBe(expected);
  });
});
