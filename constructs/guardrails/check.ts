/**
 * Wiring and the whole-app check of the guardrails.
 *
 * - {@link addGuardrails}: adds one {@link GuardrailAspect} per stack (called by
 *   `buildLandingZone`), so every synth of every stack runs the rules.
 * - {@link checkGuardrails}: runs those aspects over every stack of the app, validates the
 *   suppressions against the built constructs, and throws one {@link GuardrailError} listing
 *   every violation. main.ts runs it on the synthesized JSON of a staging synth
 *   ({@link deferGuardrails}), before anything reaches the output directory.
 */
import { Aspects, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { GuardrailsConfig, Suppression } from '../../envs/schema/guardrails';
import { GuardrailAspect, formatFinding, type Finding } from './aspect';
import { isRuleId } from '../../envs/guardrail-catalog';
import { isElement, type SynthesizedStack } from './view';

/**
 * Adds a {@link GuardrailAspect} with the environment's suppressions to each stack.
 * @param stacks the stacks to guard (every stack of the app)
 * @param guardrails the environment's `guardrails` section
 * @returns the aspects, one per stack, in the order of `stacks`
 */
export function addGuardrails(
  stacks: readonly TerraformStack[],
  guardrails: GuardrailsConfig,
): GuardrailAspect[] {
  return stacks.map((stack) => {
    const aspect = new GuardrailAspect({ suppressions: guardrails.suppressions });
    Aspects.of(stack).add(aspect);
    return aspect;
  });
}

/** What {@link checkGuardrails} found when nothing failed. */
export interface GuardrailReport {
  /** Findings exempted by a suppression (printed in the synth output). */
  readonly suppressed: (Finding & { readonly suppressedBy: Suppression })[];
  /** Suppressions whose resource exists but no longer violates the rule (stale; a warning). */
  readonly unused: Suppression[];
  /** Number of resources, data sources and variables checked. */
  readonly checked: number;
}

/** Thrown by {@link checkGuardrails}: every violation and every invalid suppression. */
export class GuardrailError extends Error {
  constructor(
    readonly violations: Finding[],
    readonly invalidSuppressions: string[],
  ) {
    const lines = [
      ...violations.map((f) => `  - ${formatFinding(f)}`),
      ...invalidSuppressions.map((s) => `  - ${s}`),
    ];
    super(
      `guardrails: ${violations.length} violation(s), ${invalidSuppressions.length} invalid suppression(s); nothing was synthesized:\n${lines.join('\n')}`,
    );
    this.name = 'GuardrailError';
  }
}

/** The guardrail aspects that apply to `stack` (on it or an ancestor); empty if none were added. */
function aspectsOf(stack: TerraformStack): GuardrailAspect[] {
  return stack.node.scopes.flatMap((s) =>
    Aspects.of(s).all.filter(GuardrailAspect.isGuardrailAspect),
  );
}

/** Options of {@link checkGuardrails}. */
export interface CheckOptions {
  /**
   * A stack's synthesized JSON, if it was synthesized already: the rules then read the
   * configurations from it instead of resolving each element (default: resolve).
   */
  readonly synthesized?: (stack: TerraformStack) => SynthesizedStack | undefined;
}

/**
 * Defers every guardrail aspect under `scope` ({@link GuardrailAspect.defer}): `app.synth()`
 * then runs no rule, and the caller must run {@link checkGuardrails} with the synthesized JSON
 * before it publishes the output (main.ts synthesizes into a staging directory for that).
 * @param scope the app (or a stack)
 */
export function deferGuardrails(scope: IConstruct): void {
  for (const stack of scope.node.findAll().filter(TerraformStack.isStack))
    for (const a of aspectsOf(stack)) a.defer();
}

/**
 * Runs the guardrail aspects over every stack under `scope` (a stack without one gets a
 * fresh aspect with the environment's suppressions), then checks every suppression names a
 * known rule and an existing resource, data source or variable.
 * @param scope the app (or a stack)
 * @param env the environment (`guardrails.suppressions` is read)
 * @param options where the synthesized JSON is, if the stacks were synthesized already
 * @returns the suppressed findings and stale suppressions
 * @throws GuardrailError listing every unsuppressed violation (construct path, rule ID, fix)
 *   and every suppression with an unknown rule or a path that matches no element
 */
export function checkGuardrails(
  scope: IConstruct,
  env: { guardrails: GuardrailsConfig },
  options: CheckOptions = {},
): GuardrailReport {
  const suppressions = env.guardrails.suppressions;
  const stacks = scope.node.findAll().filter(TerraformStack.isStack);
  const findings: Finding[] = [];
  const elementPaths = new Set<string>();
  let checked = 0;
  for (const stack of stacks) {
    const aspects = aspectsOf(stack);
    if (aspects.length === 0) aspects.push(new GuardrailAspect({ suppressions }));
    const json = options.synthesized?.(stack);
    if (json) for (const a of aspects) a.useSynthesized(stack, json);
    for (const node of stack.node.findAll()) {
      if (!isElement(node) || TerraformStack.of(node) !== stack) continue;
      elementPaths.add(node.node.path);
      checked++;
      for (const a of aspects) findings.push(...a.evaluate(node));
    }
  }
  const invalid: string[] = [];
  suppressions.forEach((s, i) => {
    if (!isRuleId(s.rule))
      invalid.push(`guardrails.suppressions[${i}].rule: unknown rule "${s.rule}"`);
    if (!elementPaths.has(s.resource)) {
      invalid.push(
        `guardrails.suppressions[${i}].resource: "${s.resource}" matches no resource (use the construct path printed by the rule)`,
      );
    }
  });
  const violations = findings.filter((f) => !f.suppressedBy);
  if (violations.length > 0 || invalid.length > 0) throw new GuardrailError(violations, invalid);
  const suppressed = findings.filter(
    (f): f is Finding & { suppressedBy: Suppression } => f.suppressedBy !== undefined,
  );
  const unused = suppressions.filter(
    (s) => elementPaths.has(s.resource) && !suppressed.some((f) => f.suppressedBy === s),
  );
  return { suppressed, unused, checked };
}

/** The synth-output lines for a report: every suppression used, and stale ones as warnings. */
export function describeReport(report: GuardrailReport): string[] {
  const used = new Map<Suppression, Finding[]>();
  for (const f of report.suppressed)
    used.set(f.suppressedBy, [...(used.get(f.suppressedBy) ?? []), f]);
  return [
    `guardrails: ${report.checked} resources checked, ${used.size} suppression(s) used`,
    ...[...used.entries()].map(
      ([s, fs]) => `  suppressed ${s.rule} on ${s.resource} (${fs.length} finding(s)): ${s.reason}`,
    ),
    ...report.unused.map(
      (s) => `  warning: suppression of ${s.rule} on ${s.resource} matched no finding; remove it`,
    ),
  ];
}
