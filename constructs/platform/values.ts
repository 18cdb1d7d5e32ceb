/**
 * Helm values are built as typed objects and serialised with the `yaml` library
 * (https://eemeli.org/yaml/). Strings that carry unresolved Terraform tokens (cross-stack
 * references such as the cluster endpoint) are written double-quoted, so whatever Terraform
 * substitutes at plan time (colons, `#`, leading `*`) stays one YAML string.
 */
import { Token } from 'cdktf';
import { Document, isScalar, visit } from 'yaml';
import { rememberYaml } from '../shared/yaml-memo';

/**
 * Serialises Helm values (or a Kubernetes object) to YAML.
 *
 * - `undefined` members are dropped (so optional props can be spread freely);
 * - strings containing a cdktf token are double-quoted;
 * - lines are never folded (`lineWidth: 0`), keys keep their order (`Object.keys`: integer-like
 *   keys first, then insertion order);
 * - an object used twice is written twice (no YAML anchors and aliases);
 * - the text is remembered with a copy of `values` (constructs/shared/yaml-memo.ts).
 *
 * Plain data is serialised once per shape: the text of values that differ only in their token
 * strings is the same but for those scalars, so it is kept as a template (see
 * {@link shapeOf} and {@link templateOf}); the result is the same text either way.
 *
 * @param values a JSON-compatible object; numbers must be literals (a numeric token would
 *   serialise as a huge float), so pass numeric tokens as strings.
 * @returns the YAML text for `helm_release.values`
 */
export function toYaml(values: unknown): string {
  const shape = templatesOn ? shapeOf(values) : undefined;
  const template = shape && templateOf(shape);
  if (!shape || template === undefined) {
    const text = serialise(values);
    rememberYaml(text, values); // the guardrails read it back without parsing (yaml-memo.ts)
    return text;
  }
  const text = template.replace(PLACEHOLDER_SCALAR, (_m, i: string) =>
    JSON.stringify(shape.tokens[Number(i)]),
  );
  // The copy holds placeholders where `values` holds tokens: both are token strings, which is
  // all the memo looks at (yaml-memo.ts substitutes each in document order).
  rememberYaml(text, shape.copy, { copied: true });
  return text;
}

/**
 * The template of `shape`: kept, or serialised now and kept (least recently used dropped first).
 * @returns the text of `shape.copy`, or `undefined` if its placeholders do not all appear as
 *   double-quoted scalars (not expected for what {@link shapeOf} accepts; the caller then
 *   serialises the values themselves)
 */
function templateOf(shape: Shape): string | undefined {
  let template = templates.get(shape.key);
  if (template === undefined) {
    template = serialise(shape.copy);
    if ((template.match(PLACEHOLDER_SCALAR) ?? []).length !== shape.tokens.length) return undefined;
  }
  templates.delete(shape.key); // most recently used last
  templates.set(shape.key, template);
  if (templates.size > TEMPLATE_CAPACITY) templates.delete(templates.keys().next().value!);
  return template;
}

let templatesOn = true;

/**
 * Turns the templates of {@link toYaml} on or off (on by default; the tests compare both).
 * Off also forgets every template kept.
 * @param on whether toYaml may use templates
 */
export function useYamlTemplates(on: boolean): void {
  templatesOn = on;
  if (!on) templates.clear();
}

/**
 * The `yaml` library's serialisation, token strings double-quoted: what {@link toYaml} writes,
 * without templates (exported for the tests).
 * @param values as for toYaml
 * @returns the YAML text
 */
export function serialise(values: unknown): string {
  // No anchors for objects used twice: written out in full, as Kubernetes manifests usually
  // are (and so the guardrails can read the text back without parsing, yaml-memo.ts).
  const doc = new Document(values, { keepUndefined: false, aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'string' && Token.isUnresolved(node.value)) {
        node.type = 'QUOTE_DOUBLE';
      }
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/** How many templates are kept (least recently used dropped first). */
const TEMPLATE_CAPACITY = 500;
/** Template text by {@link Shape.key}. */
const templates = new Map<string, string>();

/**
 * The token string that stands for the i-th token string of a value in its template: a token
 * to cdktf's `Token.isUnresolved` (key characters `[a-zA-Z0-9:._-]`, cdktf 0.21
 * lib/tokens/private/encoding.js), so `serialise` double-quotes it where the token stood; no
 * real token has this name (cdktf names them `TOKEN.<n>`).
 */
const placeholder = (i: number) => `\${TfToken[LZ_YAML_TEMPLATE.${i}]}`;
/** A placeholder as the template writes it: a double-quoted scalar. */
const PLACEHOLDER_SCALAR = /"\$\{TfToken\[LZ_YAML_TEMPLATE\.(\d+)\]\}"/g;
/** yaml 2.9.1 writes a longer implicit key as an explicit one (`? `; stringifyPair.js). */
const MAX_TOKEN_LENGTH = 1000;

/** Values with their token strings taken out. */
interface Shape {
  /** `JSON.stringify` of {@link copy}: the same for values that differ only in token strings. */
  readonly key: string;
  /** A copy of the values with the i-th token string (document order) replaced by `placeholder(i)`. */
  readonly copy: unknown;
  /** The token strings taken out, in document order. */
  readonly tokens: readonly string[];
}

/**
 * The {@link Shape} of `values`, or `undefined` where the template's text might differ from
 * serialising `values` itself, which is then serialised as it is:
 * - anything but plain data (strings, finite numbers other than -0, booleans, null, arrays
 *   without holes or `undefined` items, objects with `Object.prototype` or a null prototype
 *   and no `__proto__` key): JSON writes those otherwise than YAML (`NaN` as null, `-0` as 0,
 *   a `Date` through `toJSON`), so their JSON would not tell two texts apart;
 * - a token string that YAML would not write as its JSON text: the yaml library writes a
 *   double-quoted scalar as `JSON.stringify` gives it, but for the escapes it rewrites
 *   (everything after a backslash) and folding, which `lineWidth: 0` turns off
 *   (yaml 2.9.1, `doubleQuotedString` in dist/stringify/stringifyString.js and
 *   `foldFlowLines`), so only token strings whose JSON has no backslash and that fit an
 *   implicit key qualify.
 * `undefined` members of objects are dropped, as `serialise` drops them.
 */
function shapeOf(values: unknown): Shape | undefined {
  const tokens: string[] = [];
  const copy = (value: unknown): unknown => {
    switch (typeof value) {
      case 'string':
        if (!Token.isUnresolved(value)) return value;
        if (value.length > MAX_TOKEN_LENGTH || JSON.stringify(value).includes('\\'))
          throw NOT_PLAIN;
        tokens.push(value);
        return placeholder(tokens.length - 1);
      case 'number':
        if (!Number.isFinite(value) || Object.is(value, -0)) throw NOT_PLAIN;
        return value;
      case 'boolean':
        return value;
      case 'object':
        break;
      default:
        throw NOT_PLAIN;
    }
    if (value === null) return null;
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (let i = 0; i < value.length; i++) {
        if (!(i in value) || value[i] === undefined) throw NOT_PLAIN;
        out.push(copy(value[i]));
      }
      return out;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw NOT_PLAIN;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      if (key === '__proto__') throw NOT_PLAIN;
      const k = copy(key) as string; // before its value: document order
      out[k] = copy(v);
    }
    return out;
  };
  try {
    const c = copy(values);
    return { key: JSON.stringify(c), copy: c, tokens };
  } catch (e) {
    if (e === NOT_PLAIN) return undefined;
    throw e;
  }
}
const NOT_PLAIN = Symbol('not plain data');
