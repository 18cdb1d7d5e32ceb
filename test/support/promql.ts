/**
 * A tiny instant-vector PromQL evaluator for unit tests of alert expressions on sample
 * series, without a Prometheus. It covers only what the Dagster rules use, with Prometheus
 * semantics (https://prometheus.io/docs/prometheus/latest/querying/operators/):
 *
 * - selectors `name{l="v", l=~"re", l!="v", l!~"re"}` (regexes fully anchored);
 * - `max | min | sum | count by (l, …) (expr)`;
 * - filter comparisons `expr ==|!=|>|<|>=|<= number` (series kept with their value);
 * - `a or b` (b's series whose label set, name excluded, is not in a);
 * - `absent(selector)` (`{1}` with the selector's equality labels when nothing matches);
 * - parentheses.
 *
 * Anything else throws `unsupported PromQL at …`, so a rule using more than this cannot pass
 * silently.
 */

/** One sample of an instant vector: labels (the metric name under `__name__`) and value. */
export interface Sample {
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** Shorthand: a sample of `name` with `labels` and `value`. */
export const sample = (name: string, labels: Record<string, string>, value: number): Sample => ({
  labels: { __name__: name, ...labels },
  value,
});

type Matcher = { label: string; op: '=' | '!=' | '=~' | '!~'; value: string };
type Node =
  | { kind: 'selector'; name: string; matchers: Matcher[] }
  | { kind: 'aggregate'; fn: 'max' | 'min' | 'sum' | 'count'; by: string[]; arg: Node }
  | { kind: 'compare'; op: string; arg: Node; threshold: number }
  | { kind: 'or'; left: Node; right: Node }
  | { kind: 'absent'; arg: Node & { kind: 'selector' } };

const TOKEN =
  /\s*(?:("(?:[^"\\]|\\.)*")|(==|!=|>=|<=|=~|!~|[=<>(){},])|([A-Za-z_:][\w:]*)|(\d+(?:\.\d+)?))/y;

function tokenize(expr: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expr.length) {
    if (/^\s*$/.test(expr.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(expr);
    if (!m) throw new Error(`unsupported PromQL at ${at}: ${expr.slice(at)}`);
    out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly t: string[]) {}

  parse(): Node {
    const n = this.or();
    if (this.i !== this.t.length) this.fail();
    return n;
  }

  private peek(): string | undefined {
    return this.t[this.i];
  }
  private next(): string {
    const v = this.t[this.i++];
    if (v === undefined) this.fail();
    return v;
  }
  private expect(v: string): void {
    if (this.next() !== v) this.fail(-1);
  }
  private fail(back = 0): never {
    throw new Error(
      `unsupported PromQL at token ${this.i + back}: ${this.t.slice(this.i + back).join(' ')}`,
    );
  }

  private or(): Node {
    let left = this.compare();
    while (this.peek() === 'or') {
      this.next();
      left = { kind: 'or', left, right: this.compare() };
    }
    return left;
  }

  private compare(): Node {
    const arg = this.primary();
    const op = this.peek();
    if (op && ['==', '!=', '>', '<', '>=', '<='].includes(op)) {
      this.next();
      const n = this.next();
      if (!/^\d/.test(n)) this.fail(-1);
      return { kind: 'compare', op, arg, threshold: Number(n) };
    }
    return arg;
  }

  private primary(): Node {
    const tok = this.next();
    if (tok === '(') {
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    if (tok === 'max' || tok === 'min' || tok === 'sum' || tok === 'count') {
      this.expect('by');
      this.expect('(');
      const by: string[] = [];
      while (this.peek() !== ')') {
        by.push(this.next());
        if (this.peek() === ',') this.next();
      }
      this.expect(')');
      this.expect('(');
      const arg = this.or();
      this.expect(')');
      return { kind: 'aggregate', fn: tok, by, arg };
    }
    if (tok === 'absent') {
      this.expect('(');
      const arg = this.primary();
      this.expect(')');
      if (arg.kind !== 'selector') this.fail();
      return { kind: 'absent', arg };
    }
    if (/^[A-Za-z_:]/.test(tok)) return this.selector(tok);
    return this.fail(-1);
  }

  private selector(name: string): Node {
    const matchers: Matcher[] = [];
    if (this.peek() === '{') {
      this.next();
      while (this.peek() !== '}') {
        const label = this.next();
        const op = this.next() as Matcher['op'];
        if (!['=', '!=', '=~', '!~'].includes(op)) this.fail(-1);
        const value = JSON.parse(this.next()) as string;
        matchers.push({ label, op, value });
        if (this.peek() === ',') this.next();
      }
      this.next();
    }
    return { kind: 'selector', name, matchers };
  }
}

const key = (labels: Record<string, string>): string =>
  JSON.stringify(
    Object.entries(labels)
      .filter(([k]) => k !== '__name__')
      .sort(([a], [b]) => a.localeCompare(b)),
  );

function matches(s: Sample, sel: Node & { kind: 'selector' }): boolean {
  if (s.labels.__name__ !== sel.name) return false;
  return sel.matchers.every((m) => {
    const v = s.labels[m.label] ?? '';
    const re = () => new RegExp(`^(?:${m.value})$`).test(v);
    return m.op === '='
      ? v === m.value
      : m.op === '!='
        ? v !== m.value
        : m.op === '=~'
          ? re()
          : !re();
  });
}

function evaluateNode(n: Node, data: readonly Sample[]): Sample[] {
  switch (n.kind) {
    case 'selector':
      return data.filter((s) => matches(s, n));
    case 'compare': {
      const cmp: Record<string, (a: number, b: number) => boolean> = {
        '==': (a, b) => a === b,
        '!=': (a, b) => a !== b,
        '>': (a, b) => a > b,
        '<': (a, b) => a < b,
        '>=': (a, b) => a >= b,
        '<=': (a, b) => a <= b,
      };
      return evaluateNode(n.arg, data).filter((s) => cmp[n.op](s.value, n.threshold));
    }
    case 'aggregate': {
      const groups = new Map<string, { labels: Record<string, string>; values: number[] }>();
      for (const s of evaluateNode(n.arg, data)) {
        const labels = Object.fromEntries(
          n.by.filter((l) => s.labels[l] !== undefined).map((l) => [l, s.labels[l]]),
        );
        const k = key(labels);
        const g = groups.get(k) ?? { labels, values: [] };
        g.values.push(s.value);
        groups.set(k, g);
      }
      const fn = {
        max: (v: number[]) => Math.max(...v),
        min: (v: number[]) => Math.min(...v),
        sum: (v: number[]) => v.reduce((a, b) => a + b, 0),
        count: (v: number[]) => v.length,
      }[n.fn];
      return [...groups.values()].map((g) => ({ labels: g.labels, value: fn(g.values) }));
    }
    case 'or': {
      const left = evaluateNode(n.left, data);
      const seen = new Set(left.map((s) => key(s.labels)));
      return [...left, ...evaluateNode(n.right, data).filter((s) => !seen.has(key(s.labels)))];
    }
    case 'absent': {
      if (evaluateNode(n.arg, data).length > 0) return [];
      const labels = Object.fromEntries(
        n.arg.matchers.filter((m) => m.op === '=').map((m) => [m.label, m.value]),
      );
      return [{ labels, value: 1 }];
    }
  }
}

/**
 * Evaluates `expr` at one instant over `data`.
 * @returns the output vector (an alert fires once per returned sample)
 * @throws Error on syntax outside the supported subset
 */
export function evaluate(expr: string, data: readonly Sample[]): Sample[] {
  return evaluateNode(new Parser(tokenize(expr)).parse(), data);
}
