/**
 * Codemod: turns the TSDoc comment of every schema field (`/** … *\/ key: z.string()…`) into
 * zod metadata (`key: z.string()….describe('…')`), so the schema is the one source of the
 * descriptions that `envs/tools/generate-reference.ts` writes into
 * `envs/environment.schema.json` and `docs/environment.md`.
 *
 * Idempotent: a field whose expression already ends in `.describe(…)` or `.meta(…)` is left
 * alone, and so is a comment that is not on a property of a `z.object({…})` shape. Only the comment and the end of the expression change; run prettier
 * afterwards (`npm run schema:describe` does both).
 *
 * Usage: `node --import tsx envs/tools/describe-schema.ts [files…]` (default: `envs/schema.ts`
 * and every `envs/schema/*.ts`). Prints the files it changed.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

/** The text of a `/** … *\/` comment as one line: `*` gutters, tags' braces and line breaks removed. */
export function commentText(comment: string): string {
  return comment
    .replace(/^\/\*\*/, '')
    .replace(/\*\/$/, '')
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, '').trim())
    .join(' ')
    .replace(/\{@link\s+([^}\s|]+)(?:\s*\|\s*([^}]+))?\s*\}/g, (_, target, label) =>
      label ? label.trim() : `\`${target}\``,
    )
    .replace(/\s+/g, ' ')
    .trim();
}

/** A TypeScript string literal for `text` (single quotes; prettier may pick others). */
function literal(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Whether the expression already carries zod metadata at its outermost call. */
function hasMetadata(expr: ts.Expression): boolean {
  return (
    ts.isCallExpression(expr) &&
    ts.isPropertyAccessExpression(expr.expression) &&
    ['describe', 'meta'].includes(expr.expression.name.text)
  );
}

/** Whether `node` is the shape of a `z.object({…})` (or `strictObject`, `looseObject`, `.extend`). */
function isShape(node: ts.Node): boolean {
  const call = node.parent;
  return (
    ts.isObjectLiteralExpression(node) &&
    ts.isCallExpression(call) &&
    call.arguments[0] === node &&
    ts.isPropertyAccessExpression(call.expression) &&
    ['object', 'strictObject', 'looseObject', 'extend'].includes(call.expression.name.text)
  );
}

/**
 * The source with every commented schema field rewritten (comment removed, `.describe()`
 * appended), or the source unchanged if there is nothing to do.
 */
export function describeFields(source: string, fileName = 'schema.ts'): string {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isPropertyAssignment(node) &&
      isShape(node.parent) &&
      (ts.isCallExpression(node.initializer) ||
        ts.isIdentifier(node.initializer) ||
        ts.isPropertyAccessExpression(node.initializer)) &&
      !hasMetadata(node.initializer)
    ) {
      const ranges = ts.getLeadingCommentRanges(source, node.getFullStart()) ?? [];
      const doc = [...ranges]
        .reverse()
        .find((r) => source.slice(r.pos, r.pos + 3) === '/**' && source[r.pos + 3] !== '*');
      if (doc) {
        const text = commentText(source.slice(doc.pos, doc.end));
        // The comment and the whitespace up to the property's first token.
        let start = doc.pos;
        while (start > 0 && /[ \t]/.test(source[start - 1])) start--;
        let end = doc.end;
        while (end < source.length && /\s/.test(source[end])) end++;
        edits.push({ start, end, text: source.slice(start, doc.pos) });
        edits.push({
          start: node.initializer.end,
          end: node.initializer.end,
          text: `.describe(${literal(text)})`,
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = source;
  for (const e of edits.sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** `envs/schema.ts` and every `envs/schema/*.ts`. */
export function schemaFiles(root = resolve(__dirname, '..', '..')): string[] {
  const dir = join(root, 'envs', 'schema');
  return [
    join(root, 'envs', 'schema.ts'),
    ...readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(dir, f)),
  ];
}

if (require.main === module) {
  const files = process.argv.length > 2 ? process.argv.slice(2) : schemaFiles();
  for (const f of files) {
    const before = readFileSync(f, 'utf8');
    const after = describeFields(before, f);
    if (after !== before) {
      writeFileSync(f, after);
      console.log(`described fields in ${f}`);
    }
  }
}
