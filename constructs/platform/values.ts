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
 * - lines are never folded (`lineWidth: 0`), keys keep their insertion order;
 * - an object used twice is written twice (no YAML anchors and aliases);
 * - the text is remembered with a copy of `values` (constructs/shared/yaml-memo.ts).
 *
 * @param values a JSON-compatible object; numbers must be literals (a numeric token would
 *   serialise as a huge float), so pass numeric tokens as strings.
 * @returns the YAML text for `helm_release.values`
 */
export function toYaml(values: unknown): string {
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
  const text = doc.toString({ lineWidth: 0 });
  rememberYaml(text, values); // the guardrails read it back without parsing (yaml-memo.ts)
  return text;
}
