/**
 * The guardrail Aspect: visits every resource, data source and input variable of a stack,
 * runs the rules registered for its type (`rules.ts`), and records findings. A finding whose
 * (rule, construct path) is suppressed in the environment is kept as suppressed.
 *
 * cdktf invokes aspects per stack inside `app.synth()`, just before that stack's JSON is
 * written (node_modules/cdktf/lib/synthesize/synthesizer.js), so an error found there would
 * leave the stacks synthesized before it on disk. `checkGuardrails` (check.ts) therefore runs
 * these same aspects over every stack first. Findings are memoized per construct
 * ({@link GuardrailAspect.evaluate}), so when cdktf visits again during synthesis no rule runs
 * a second time on main.ts's path; an entry point that skips `checkGuardrails` (a test, another
 * app) still gets every element checked there, and anything unsuppressed becomes an error
 * annotation (which makes cdktf's synthesizer throw) as the second line of defence.
 */
import { Annotations, TerraformStack, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { Suppression } from '../../envs/schema/guardrails';
import { RULE_REGISTRY, rulesByType, type Rule } from './rules';
import { StackView, elementType, isElement, type SynthesizedStack } from './view';
import type { RuleId } from '../../envs/guardrail-catalog';

/** One rule violation on one resource. */
export interface Finding {
  readonly rule: RuleId;
  /** Construct path of the resource (what a suppression names). */
  readonly path: string;
  /** Terraform address in its stack. */
  readonly address: string;
  /** What is wrong. */
  readonly problem: string;
  /** How to fix it (the rule's `fix`). */
  readonly fix: string;
  /** The suppression that exempts it, if any. */
  readonly suppressedBy?: Suppression;
}

/** Props of {@link GuardrailAspect}. */
export interface GuardrailAspectProps {
  /** Suppressions from the environment's `guardrails.suppressions` (default none). */
  readonly suppressions?: readonly Suppression[];
  /** Rules to run (default: every rule of `RULE_REGISTRY`). */
  readonly rules?: readonly Rule[];
}

/** How a finding prints: `[LZ-SG-001] network/vpc/sg: ingress … — fix: …`. */
export function formatFinding(f: Finding): string {
  return `[${f.rule}] ${f.path}: ${f.problem}\n      fix: ${f.fix}\n      or suppress: guardrails.suppressions: [{ rule: ${f.rule}, resource: ${f.path}, reason: "<why, 20+ characters>" }]`;
}

/** The aspect; add one per stack with `Aspects.of(stack).add(new GuardrailAspect(...))`. */
export class GuardrailAspect implements IAspect {
  /** Every finding so far, suppressed ones included, in visit order. */
  readonly findings: Finding[] = [];
  private readonly byType: Map<string, Rule[]>;
  private readonly suppressions: readonly Suppression[];
  private readonly views = new WeakMap<TerraformStack, StackView>();
  private readonly checked = new WeakMap<IConstruct, Finding[]>();
  private deferred = false;

  constructor(props: GuardrailAspectProps = {}) {
    this.byType = rulesByType(props.rules ?? RULE_REGISTRY);
    this.suppressions = props.suppressions ?? [];
  }

  /** Whether `x` is a {@link GuardrailAspect}. */
  static isGuardrailAspect(x: unknown): x is GuardrailAspect {
    return x instanceof GuardrailAspect;
  }

  /**
   * Makes {@link visit} a no-op: the caller checks after synthesis with
   * `checkGuardrails(app, env, { synthesized })` instead (main.ts), so the rules read the
   * written JSON rather than resolving every element again before it is written.
   */
  defer(): void {
    this.deferred = true;
  }

  /**
   * Makes the rules read `stack`'s configurations from its synthesized JSON. Call before the
   * first {@link evaluate} of an element of `stack`.
   */
  useSynthesized(stack: TerraformStack, json: SynthesizedStack): void {
    this.views.set(stack, new StackView(stack, json));
  }

  /**
   * Runs the rules for `node` once (later calls return the recorded findings) and returns its
   * findings, suppressed ones included. Adds no annotations.
   */
  evaluate(node: IConstruct): Finding[] {
    const done = this.checked.get(node);
    if (done) return done;
    let found: Finding[] = [];
    if (isElement(node)) {
      const rules = this.byType.get(elementType(node));
      if (rules) {
        const stack = TerraformStack.of(node);
        let view = this.views.get(stack);
        if (!view) this.views.set(stack, (view = new StackView(stack)));
        const el = view.of(node);
        found = rules.flatMap((rule) =>
          rule.check(el, view).map((problem) => ({
            rule: rule.id,
            path: el.path,
            address: el.address,
            problem,
            fix: rule.fix,
            suppressedBy: this.suppressions.find(
              (s) => s.rule === rule.id && s.resource === el.path,
            ),
          })),
        );
        this.findings.push(...found);
      }
    }
    this.checked.set(node, found);
    return found;
  }

  /** cdktf's entry point: evaluate, and turn unsuppressed findings into error annotations. */
  visit(node: IConstruct): void {
    if (this.deferred) return;
    for (const f of this.evaluate(node)) {
      if (!f.suppressedBy) Annotations.of(node).addError(formatFinding(f));
    }
  }
}
