/**
 * The documentation's links resolve: every relative link in README.md, docs/*.md and the folder
 * READMEs names an existing file, and every `#anchor` names a heading of its target page, using
 * GitHub's own heading-anchor rules (github-slugger, the library GitHub's renderer follows).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import GithubSlugger from 'github-slugger';

const root = resolve(__dirname, '..');
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
  ...['envs', 'constructs', 'stacks', 'test']
    .map((d) => `${d}/README.md`)
    .filter((f) => existsSync(join(root, f))),
];

/** Heading anchors of a markdown file, as GitHub renders them (fenced code skipped). */
function anchorsOf(file: string): Set<string> {
  const slugger = new GithubSlugger();
  const out = new Set<string>();
  let fenced = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const m = !fenced && /^#{1,6} (.+)$/.exec(line);
    if (m) out.add(slugger.slug(m[1].replace(/`/g, '')));
  }
  return out;
}

/** Relative links of a markdown file: `[text](target)`, outside fenced code. */
function linksOf(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((t) => !/^[a-z]+:/i.test(t));
}

describe('documentation links', () => {
  it.each(pages)('%s: every relative link and anchor resolves', (page) => {
    const file = join(root, page);
    const broken = linksOf(file).filter((link) => {
      const [path, anchor] = link.split('#');
      const target = path ? resolve(dirname(file), path) : file;
      if (!existsSync(target)) return true;
      return anchor !== undefined && target.endsWith('.md') && !anchorsOf(target).has(anchor);
    });
    expect(broken.map((l) => `${relative(root, file)} → ${l}`)).toEqual([]);
  });
});
