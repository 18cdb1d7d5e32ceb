/**
 * Guardrail checks of what runs in the clusters and what must survive: Helm chart pins, container image pins, secrets in configuration, and deletion protection of stateful resources.
 * Registered in `rules.ts`; each check returns one message per problem.
 */
import { parse as parseYaml } from 'yaml';
import { VARIABLE_TYPE, asList, isTrue, type ElementView, type Json } from './view';
import { findSecrets, isExpression, isSecretKey, secretValueKind } from './secrets';
import { recallYaml } from '../shared/yaml-memo';

/** An exact SemVer 2 version, optionally with a leading `v`. */
export const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

export function checkHelmVersion(el: ElementView): string[] {
  const v = el.config.version;
  if (v === undefined || v === null || v === '')
    return ['version is not set (the newest chart would be installed)'];
  if (typeof v !== 'string' || isExpression(v)) return [];
  return EXACT_VERSION.test(v) ? [] : [`version "${v}" is not an exact x.y.z`];
}

/** Parsed Helm values per release view: three rules read them, YAML is parsed once. */
const PARSED_VALUES = new WeakMap<ElementView, { at: string; values: unknown }[]>();

/**
 * The Helm values of a release as objects: each `values` entry parsed as YAML, once per
 * release (cached), skipping whole-string expressions (`${yamlencode(…)}`) and entries that
 * are not valid YAML.
 * @param el a `helm_release` view
 * @returns one `{ at: "values[i]", values }` per readable entry
 */
export function helmValues(el: ElementView): { at: string; values: unknown }[] {
  let parsed = PARSED_VALUES.get(el);
  if (!parsed) {
    parsed = asList<unknown>(el.config.values).flatMap((v, i) => {
      // A whole-string expression cannot be read; YAML with embedded references can.
      if (typeof v !== 'string' || /^\$\{[\s\S]*\}$/.test(v.trim())) return [];
      try {
        // The object toYaml serialised, when the text is exactly its output (yaml-memo.ts).
        return [{ at: `values[${i}]`, values: recallYaml(v) ?? (parseYaml(v) as unknown) }];
      } catch {
        return [];
      }
    });
    PARSED_VALUES.set(el, parsed);
  }
  return parsed;
}

/** Why an image reference is unpinned (tag `latest` or no tag and no digest), or undefined. */
export function unpinnedImage(image: string): string | undefined {
  if (isExpression(image) || image.includes('@sha256:')) return undefined;
  const name = image.slice(image.lastIndexOf('/') + 1);
  const colon = name.indexOf(':');
  if (colon < 0) return `image "${image}" has no tag`;
  return name.slice(colon + 1).toLowerCase() === 'latest'
    ? `image "${image}" uses tag latest`
    : undefined;
}

/** Every unpinned image in a values tree: `tag: latest`, or an `image` string that is unpinned. */
function imageProblems(doc: unknown, at: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}[${i}]`));
    if (!v || typeof v !== 'object') return;
    const obj = v as Record<string, unknown>;
    for (const [k, x] of Object.entries(obj)) {
      const p = `${path}.${k}`;
      if (
        /^(tag|imageTag)$/i.test(k) &&
        typeof x === 'string' &&
        x.trim().toLowerCase() === 'latest'
      )
        out.push(`${p} is "latest"`);
      else if (/^image$/i.test(k) && typeof x === 'string') {
        const hasSiblingTag = ['tag', 'imageTag', 'version'].some(
          (t) => typeof obj[t] === 'string' && obj[t] !== '',
        );
        const bad = unpinnedImage(x);
        if (bad && !(hasSiblingTag && bad.endsWith('has no tag'))) out.push(`${p}: ${bad}`);
      } else walk(x, p);
    }
  };
  walk(doc, at);
  return out;
}

export function checkImages(el: ElementView): string[] {
  if (el.type === 'helm_release') {
    const out = helmValues(el).flatMap(({ at, values }) => imageProblems(values, at));
    for (const s of [...asList(el.config.set)]) {
      const name = String(s.name ?? '');
      const value = String(s.value ?? '');
      if (/(^|\.)(tag|imageTag)$/.test(name) && value.toLowerCase() === 'latest')
        out.push(`set ${name} is "latest"`);
      if (/(^|\.)image$/.test(name) && unpinnedImage(value)?.endsWith('latest'))
        out.push(`set ${name}: ${unpinnedImage(value)}`);
    }
    return out;
  }
  const root = el.type === 'kubernetes_manifest' ? el.config.manifest : el.config.spec;
  return imageProblems(root, el.type === 'kubernetes_manifest' ? 'manifest' : 'spec');
}

/** `an AWS access key ID`, `a private key`: the kind with its indefinite article. */
const aKind = (kind: string) => `${/^[AEIOU]/i.test(kind) ? 'an' : 'a'} ${kind}`;

export function checkSecrets(el: ElementView): string[] {
  const c = el.config;
  if (el.type === VARIABLE_TYPE) {
    // A default is written to cdktf.out; a secret variable must have none.
    const name = el.construct.friendlyUniqueId;
    const d = c.default;
    if (typeof d === 'string') {
      if (d === '' || isExpression(d)) return [];
      const kind = secretValueKind(d);
      if (kind) return [`default of variable "${name}" looks like ${aKind(kind)}`];
      return isSecretKey(name) ? [`variable "${name}" has a literal default`] : [];
    }
    return findSecrets(d, 'default').map((f) => `${f.path}: ${f.kind} (${f.preview})`);
  }
  if (el.type === 'tfe_variable') {
    const value = c.value;
    if (typeof value !== 'string' || value === '' || isExpression(value)) return [];
    const kind = secretValueKind(value);
    if (kind) return [`value of variable "${c.key}" looks like ${aKind(kind)}`];
    if (isSecretKey(String(c.key ?? '')))
      return [
        `variable "${c.key}" has a literal value${isTrue(c.sensitive) ? ' (sensitive still puts it in the repository and cdktf.out)' : ''}`,
      ];
    return [];
  }
  const out = helmValues(el).flatMap(({ at, values }) =>
    findSecrets(values, at).map((f) => `${f.path}: ${f.kind} (${f.preview})`),
  );
  for (const s of asList(c.set)) {
    const name = String(s.name ?? '');
    const value = s.value;
    if (typeof value !== 'string' || value === '' || isExpression(value)) continue;
    const kind =
      secretValueKind(value) ??
      (isSecretKey(name.split('.').pop() ?? name) ? 'literal under a secret-like key' : undefined);
    if (kind) out.push(`set ${name}: ${kind}`);
  }
  for (const s of asList(c.set_sensitive)) {
    if (typeof s.value === 'string' && s.value !== '' && !isExpression(s.value)) {
      out.push(
        `set_sensitive ${s.name} has a literal value (it is still in the repository and cdktf.out)`,
      );
    }
  }
  return out;
}

/** Whether a `kubernetes_manifest` is a stateful custom resource (a CloudNativePG cluster). */
function statefulManifest(config: Record<string, Json>): string | undefined {
  const m = config.manifest;
  if (!m || typeof m !== 'object') return undefined;
  if (
    m.kind === 'Cluster' &&
    typeof m.apiVersion === 'string' &&
    m.apiVersion.startsWith('postgresql.cnpg.io/')
  )
    return 'CloudNativePG Cluster';
  return undefined;
}

/** Whether a values tree holds a CloudNativePG `Cluster` manifest (a raw-manifests Helm release). */
function holdsStatefulManifest(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(holdsStatefulManifest);
  if (!v || typeof v !== 'object') return false;
  if (statefulManifest({ manifest: v })) return true;
  return Object.values(v).some(holdsStatefulManifest);
}

export function checkProtected(el: ElementView): string[] {
  const c = el.config;
  if (el.type === 'kubernetes_manifest' && !statefulManifest(c)) return [];
  if (
    el.type === 'helm_release' &&
    !helmValues(el).some(({ values }) => holdsStatefulManifest(values))
  )
    return [];
  const lifecycle = asList(c.lifecycle)[0] ?? {};
  if (
    isTrue(lifecycle.prevent_destroy) ||
    isTrue(c.deletion_protection) ||
    isTrue(c.deletion_protection_enabled)
  )
    return [];
  return ['neither lifecycle.prevent_destroy nor deletion protection is set'];
}
