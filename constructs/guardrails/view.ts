/**
 * A read-only view of a stack's Terraform elements for the guardrail rules: each resource,
 * data source or input variable with its type, construct path, Terraform address and its
 * configuration as
 * it is synthesized (tokens resolved to Terraform expressions such as
 * `${aws_s3_bucket.logs_bucket_1A2B.id}`, keys in snake_case).
 */
import {
  DefaultTokenResolver,
  StringConcat,
  TerraformDataSource,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
  Tokenization,
} from 'cdktf';
import type { IConstruct } from 'constructs';

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** Synthesized Terraform JSON: untyped by nature (shapes differ per resource type). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** What the rules visit: resources, data sources and input variables. */
export type Element = TerraformResource | TerraformDataSource | TerraformVariable;

/** The rule type of an input variable (rules list it in `types` like a resource type). */
export const VARIABLE_TYPE = 'variable';

/** A resource, data source or variable as the rules see it. */
export interface ElementView {
  /** The construct. */
  readonly construct: Element;
  readonly kind: 'resource' | 'data' | 'variable';
  /** Terraform type, e.g. `aws_s3_bucket`; {@link VARIABLE_TYPE} for a variable. */
  readonly type: string;
  /** Construct path, e.g. `management/baseline/trail/bucket/bucket` (what suppressions name). */
  readonly path: string;
  /** Terraform address: `aws_s3_bucket.x`, `data.aws_iam_policy_document.x` or `var.x`. */
  readonly address: string;
  /** Synthesized arguments (snake_case, tokens resolved; `{}` if the element cannot be resolved). */
  readonly config: Record<string, Json>;
}

/** Whether `c` is a Terraform resource, data source or input variable. */
export function isElement(c: IConstruct): c is Element {
  return (
    TerraformResource.isTerraformResource(c) ||
    TerraformDataSource.isTerraformDataSource(c) ||
    c instanceof TerraformVariable
  );
}

/** The type rules are registered for: the Terraform type, or {@link VARIABLE_TYPE}. */
export function elementType(element: Element): string {
  return element instanceof TerraformVariable ? VARIABLE_TYPE : element.terraformResourceType;
}

/**
 * A stack's synthesized Terraform JSON (`cdk.tf.json`), as far as the views read it: the
 * element blocks by kind, type and logical ID.
 */
export interface SynthesizedStack {
  readonly resource?: Record<string, Record<string, Json>>;
  readonly data?: Record<string, Record<string, Json>>;
  readonly variable?: Record<string, Json>;
}

/**
 * `element`'s configuration: from `synthesized` (the stack's written JSON) when given, else
 * by resolving its JSON fragment without side effects (no cross-stack wiring).
 */
function resolveConfig(
  stack: TerraformStack,
  element: Element,
  synthesized?: SynthesizedStack,
): Record<string, Json> {
  const id = element.friendlyUniqueId;
  if (synthesized) {
    if (element instanceof TerraformVariable) return synthesized.variable?.[id] ?? {};
    const byKind = TerraformDataSource.isTerraformDataSource(element)
      ? synthesized.data
      : synthesized.resource;
    return byKind?.[element.terraformResourceType]?.[id] ?? {};
  }
  const fragment = Tokenization.resolve(element.toTerraform(), {
    scope: stack,
    preparing: false,
    resolver: RESOLVER,
  });
  if (element instanceof TerraformVariable) return fragment?.variable?.[id] ?? {};
  const byKind = fragment?.resource ?? fragment?.data ?? {};
  const byType = byKind[element.terraformResourceType] ?? {};
  return byType[id] ?? {};
}

/**
 * The elements of one stack, indexed by type; configurations read lazily, once each: from the
 * stack's synthesized JSON when the view was given it (main.ts checks after `app.synth()`, so
 * the rules read exactly what was written and nothing is resolved a second time), else
 * resolved from the constructs (tests and other entry points that check before synthesis).
 */
export class StackView {
  private readonly views = new Map<IConstruct, ElementView>();
  private index?: Map<string, ElementView[]>;

  /**
   * @param stack the stack
   * @param synthesized its synthesized JSON (default: resolve each element's configuration)
   */
  constructor(
    readonly stack: TerraformStack,
    private readonly synthesized?: SynthesizedStack,
  ) {}

  /** The view of `element` (which must belong to this stack). */
  of(element: Element): ElementView {
    let v = this.views.get(element);
    if (!v) {
      const kind =
        element instanceof TerraformVariable
          ? 'variable'
          : TerraformDataSource.isTerraformDataSource(element)
            ? 'data'
            : 'resource';
      const type = elementType(element);
      let config: Record<string, Json> | undefined;
      const { stack, synthesized } = this;
      v = {
        construct: element,
        kind,
        type,
        path: element.node.path,
        address:
          kind === 'variable'
            ? `var.${element.friendlyUniqueId}`
            : `${kind === 'data' ? 'data.' : ''}${type}.${element.friendlyUniqueId}`,
        get config() {
          config ??= resolveConfig(stack, element, synthesized);
          return config;
        },
      };
      this.views.set(element, v);
    }
    return v;
  }

  /** Every resource (not data source) of `type` in the stack. */
  resources(type: string): ElementView[] {
    return this.indexed().get(`resource:${type}`) ?? [];
  }

  /** Every data source of `type` in the stack. */
  dataSources(type: string): ElementView[] {
    return this.indexed().get(`data:${type}`) ?? [];
  }

  /** Resources and data sources by `<kind>:<type>`, built on first use. */
  private indexed(): Map<string, ElementView[]> {
    if (!this.index) {
      this.index = new Map();
      for (const c of this.stack.node.findAll()) {
        const element =
          TerraformResource.isTerraformResource(c) || TerraformDataSource.isTerraformDataSource(c);
        if (!element || TerraformStack.of(c) !== this.stack) continue;
        const v = this.of(c);
        const key = `${v.kind}:${v.type}`;
        const list = this.index.get(key) ?? [];
        list.push(v);
        this.index.set(key, list);
      }
    }
    return this.index;
  }
}

/** `x` as a list: blocks synthesize as an object or a list of objects depending on the schema. */
export function asList<T = Json>(x: unknown): T[] {
  if (x === undefined || x === null) return [];
  return (Array.isArray(x) ? x : [x]) as T[];
}

/** Whether a resolved value references `target` (`${<address>.…}`) anywhere inside it. */
export function references(value: unknown, target: ElementView): boolean {
  if (typeof value !== 'string') return false;
  const address = target.address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w.])${address}(\\.|\\[|\\}|$)`).test(value);
}

/** Whether a synthesized boolean argument is true (`true` or the string `"true"`). */
export const isTrue = (v: unknown): boolean => v === true || v === 'true';
