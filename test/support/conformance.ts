/**
 * Upstream conformance: Helm values against the real charts' JSON schemas (chart defaults
 * merged first, as Helm does) and custom resources against the real CRDs, read from
 * `../shared/reference` (override with `LZ_REFERENCE_DIR`). Where the folder is absent the
 * suites skip with one line saying why.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import Ajv, { type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { announceSkip } from './skips';

/** The reference folder: `$LZ_REFERENCE_DIR`, else `../shared/reference` from the repo root. */
export const REFERENCE_DIR =
  process.env.LZ_REFERENCE_DIR || resolve(__dirname, '..', '..', '..', 'shared', 'reference');

/** `describe` if the reference folder exists, else a skip with one line saying why. */
export function describeReference(name: string, fn: () => void): void {
  if (existsSync(REFERENCE_DIR)) {
    describe(name, fn);
  } else {
    announceSkip(name, `reference folder ${REFERENCE_DIR} not found`);
    describe.skip(name, fn);
  }
}

/** Reads a file of the reference folder (`dagster/values.yaml`). */
export function referenceFile(rel: string): string {
  return readFileSync(join(REFERENCE_DIR, rel), 'utf8');
}

/** Parsed YAML files of the reference folder, by path, for this test file. */
const parsedYaml = new Map<string, unknown[]>();

/**
 * Every document of a YAML file of the reference folder, as plain data. Parsed once per test
 * run: the first test file to ask writes the result as JSON into the run's temporary folder
 * (keyed by path, size and mtime), the others read that (the CRDs are up to 460 KB of YAML;
 * parsing one took about 0.5 s, reading its JSON about 10 ms). Callers must not modify it. The
 * reference files hold no `.inf`/`.nan` (JSON would turn those into `null`).
 * @throws Error naming the file if it is not valid YAML
 */
export function referenceYaml(rel: string): unknown[] {
  let docs = parsedYaml.get(rel);
  if (docs) return docs;
  const file = join(REFERENCE_DIR, rel);
  const stat = statSync(file);
  const key = createHash('sha256').update(`${file}:${stat.size}:${stat.mtimeMs}`).digest('hex');
  const cache = join(tmpdir(), 'lz-reference-json', `${key.slice(0, 24)}.json`);
  try {
    docs = JSON.parse(readFileSync(cache, 'utf8')) as unknown[];
  } catch {
    const parsed = parseAllDocuments(readFileSync(file, 'utf8'));
    const errors = parsed.flatMap((d) => d.errors.map((e) => e.message.split('\n')[0]));
    if (errors.length) throw new Error(`${rel}: not valid YAML: ${errors.join('; ')}`);
    docs = parsed.map((d) => d.toJS());
    mkdirSync(dirname(cache), { recursive: true });
    writeFileSync(`${cache}.${process.pid}`, JSON.stringify(docs));
    renameSync(`${cache}.${process.pid}`, cache);
  }
  parsedYaml.set(rel, docs);
  return docs;
}

/** Helm's merge: maps merge key by key, lists and scalars from `override` replace. */
export function helmMerge(base: unknown, override: unknown): unknown {
  if (isMap(base) && isMap(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = k in base ? helmMerge(base[k], v) : v;
    return out;
  }
  return override === undefined ? base : override;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Makes an upstream schema readable offline by a JavaScript validator: remote `$ref`s (http…)
 * become `{}` ("any value", there is no network) and Go-only regex syntax such as `(?i)` in
 * `pattern` is dropped (RE2 accepts it, JavaScript does not).
 */
function offlineSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(offlineSchema);
  if (isMap(node)) {
    if (typeof node.$ref === 'string' && /^https?:/.test(node.$ref)) return {};
    return Object.fromEntries(
      Object.entries(node)
        .filter(([k, v]) => !(k === 'pattern' && typeof v === 'string' && /\(\?[a-z]+\)/.test(v)))
        .map(([k, v]) => [k, offlineSchema(v)]),
    );
  }
  return node;
}

/** Compiled validators by cache key: compiling the Dagster schema costs about a second. */
const compiled = new Map<string, ValidateFunction>();

function validatorFor(key: string, make: () => ValidateFunction): ValidateFunction {
  let v = compiled.get(key);
  if (!v) {
    v = make();
    compiled.set(key, v);
  }
  return v;
}

/**
 * Validates chart values as Helm would: defaults (`<dir>/<valuesFile>`) merged under
 * `values`, then checked against `<dir>/<schemaFile>`.
 * @returns Ajv error strings (empty when valid)
 */
export function validateChartValues(
  values: unknown,
  schemaFile: string,
  defaultsFile: string,
): string[] {
  const validate = validatorFor(`values:${schemaFile}`, () => {
    const schema = offlineSchema(JSON.parse(referenceFile(schemaFile))) as Record<string, unknown>;
    const draft2020 =
      typeof schema.$schema === 'string' ? schema.$schema.includes('2020') : '$defs' in schema;
    const options = { strict: false, allErrors: true, validateFormats: false };
    return (draft2020 ? new Ajv2020(options) : new Ajv(options)).compile(schema);
  });
  const defaults = referenceYaml(defaultsFile)[0] ?? {};
  const merged = helmMerge(defaults, values);
  return validate(merged)
    ? []
    : (validate.errors ?? []).map(
        (e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
      );
}

/**
 * Validates a custom resource against `spec.versions[name == apiVersion's version]` of a
 * CRD file in the reference folder; also checks `apiVersion` and `kind` match the CRD.
 * @returns error strings (empty when valid)
 */
export function validateCustomResource(resource: Record<string, any>, crdFile: string): string[] {
  const crd = referenceYaml(crdFile).find(
    (d): d is Record<string, any> => (d as { kind?: string })?.kind === 'CustomResourceDefinition',
  );
  if (!crd) return [`${crdFile}: no CustomResourceDefinition`];
  const [group, version] = String(resource.apiVersion).split('/');
  const errors: string[] = [];
  if (group !== crd.spec.group) errors.push(`apiVersion group ${group} != ${crd.spec.group}`);
  if (resource.kind !== crd.spec.names.kind)
    errors.push(`kind ${resource.kind} != ${crd.spec.names.kind}`);
  const v = crd.spec.versions.find((x: any) => x.name === version);
  if (!v) return [...errors, `${crdFile}: no version ${version}`];
  const validate = validatorFor(`crd:${crdFile}:${version}`, () =>
    new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(
      offlineSchema(v.schema.openAPIV3Schema) as object,
    ),
  );
  if (!validate(resource)) {
    errors.push(
      ...(validate.errors ?? []).map(
        (e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
      ),
    );
  }
  return errors;
}
