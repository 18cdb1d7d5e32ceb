/**
 * Wording of configuration problems for people: "required" for a missing field, a hint to
 * quote a version or number-as-text that YAML read as a number, "did you mean" for an unknown
 * key or value close to a known one, and each problem once.
 *
 * The known keys of an object at a path are read from the zod schema itself ({@link schemaAt}),
 * so the suggestions follow the schema without a second list.
 */
import type { z } from 'zod';

/** `a.b[1].c` from a zod issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((seg, i) =>
      typeof seg === 'number' ? `[${seg}]` : i === 0 ? String(seg) : `.${String(seg)}`,
    )
    .join('');
}

/** Levenshtein edit distance (insertions, deletions, substitutions; each costs 1). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/**
 * The known word closest to `word`, if it is close enough to be a likely typo: the same word in
 * another case, or at most one edit per three characters (at least one, at most three).
 */
export function closest(word: string, known: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const exact = known.find((k) => k.toLowerCase() === lower);
  if (exact) return exact;
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d <= limit && (!best || d < best.d)) best = { k, d };
  }
  return best?.k;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- zod's internal definitions differ per type
type Def = { type: string } & Record<string, any>;
const defOf = (s: z.core.$ZodType): Def => s._zod.def as unknown as Def;

/**
 * The schemas an input at `path` is checked against (several where a union or an intersection
 * applies), unwrapping optional, default, nullable, pipe, lazy and readonly wrappers.
 */
export function schemaAt(root: z.core.$ZodType, path: readonly PropertyKey[]): z.core.$ZodType[] {
  const unwrap = (s: z.core.$ZodType): z.core.$ZodType[] => {
    const d = defOf(s);
    switch (d.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'readonly':
      case 'catch':
      case 'nonoptional':
        return unwrap(d.innerType);
      case 'pipe':
        return unwrap(d.in);
      case 'lazy':
        return unwrap(d.getter());
      case 'union':
        return d.options.flatMap(unwrap);
      case 'intersection':
        return [...unwrap(d.left), ...unwrap(d.right)];
      default:
        return [s];
    }
  };
  let current = unwrap(root);
  for (const seg of path) {
    current = current.flatMap((s) => {
      const d = defOf(s);
      if (d.type === 'object') return d.shape[seg as string] ? unwrap(d.shape[seg as string]) : [];
      if (d.type === 'record') return unwrap(d.valueType);
      if (d.type === 'array') return typeof seg === 'number' ? unwrap(d.element) : [];
      if (d.type === 'tuple')
        return typeof seg === 'number' && d.items[seg] ? unwrap(d.items[seg]) : [];
      return [];
    });
  }
  return current;
}

/** Keys an object at `path` may have (union of every object schema that applies there). */
export function knownKeys(root: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  return [
    ...new Set(
      schemaAt(root, path).flatMap((s) =>
        defOf(s).type === 'object' ? Object.keys(defOf(s).shape) : [],
      ),
    ),
  ];
}

/** Where the raw input came from, to quote a value as the user wrote it. */
export interface SourceText {
  /** The text of the scalar at `path` as written in the file, if known. */
  (path: readonly PropertyKey[]): string | undefined;
}

/**
 * zod's error map for environment files: "required" for a missing field, a quoting hint for a
 * number where text is expected (`1.35` → write "1.35"). Returns `undefined` for zod's default.
 */
export function errorMap(source?: SourceText): z.core.$ZodErrorMap {
  return (iss) => {
    if (iss.code !== 'invalid_type') return undefined;
    if (iss.input === undefined) return 'required';
    if (iss.expected === 'string' && ['number', 'boolean'].includes(typeof iss.input)) {
      const written = source?.(iss.path ?? []) ?? String(iss.input);
      const text = written.replace(/^["']|["']$/g, '');
      return `expected text, got the ${typeof iss.input} ${written}: write "${text}" in quotes (YAML reads an unquoted ${written} as a ${typeof iss.input})`;
    }
    return undefined;
  };
}

/**
 * Every issue as `path: message`, in document order, each once. Unknown keys name the closest
 * known key ("did you mean"); a value outside an enumeration names the closest allowed value.
 * @param root the schema the issues came from (to look up known keys)
 */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  root: z.core.$ZodType,
): string[] {
  const lines = issues.flatMap((i): string[] => {
    const at = formatPath(i.path) || '(root)';
    // A record key that fails its own rule: report the key's rule, not "Invalid key in record".
    if (i.code === 'invalid_key' && i.issues.length > 0)
      return i.issues.map((k) => `${at}: ${k.message}`);
    if (i.code === 'unrecognized_keys' && i.keys.length > 0) {
      const known = knownKeys(root, i.path);
      return i.keys.map((k) => {
        const hint = closest(k, known);
        return `${formatPath([...i.path, k])}: unknown key (${hint ? `did you mean "${hint}"?` : 'not in the schema'})`;
      });
    }
    if (i.code === 'invalid_value' && i.input !== undefined && i.values.length > 1) {
      const hint = closest(
        String(i.input),
        i.values.map((v) => String(v)),
      );
      if (hint) return [`${at}: ${i.message} (did you mean "${hint}"?)`];
    }
    if (i.code === 'invalid_union' && i.errors.length > 0) {
      // One branch's problems when every branch failed the same way is noise; name the branches.
      const nested = i.errors.map((e) => describeIssues(e, root));
      const shortest = nested.reduce((a, b) => (b.length < a.length ? b : a));
      if (shortest.length > 0 && shortest.length <= 3)
        return shortest.map((l) => (l.startsWith('(root)') ? l.replace('(root)', at) : l));
    }
    return [`${at}: ${i.message}`];
  });
  return [...new Set(lines)];
}
