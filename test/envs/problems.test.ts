/**
 * Configuration problems worded for people (envs/problems.ts, envs/load.ts): "required" for a
 * missing field, a quoting hint that shows the value as written, "did you mean" for unknown
 * keys and enum values, type problems and cross-field rules in one run, each problem once.
 *
 * YAML 1.2 core schema: an unquoted `1.30` is the float 1.3 and `012345678901` an integer
 * (https://yaml.org/spec/1.2.2/#1032-tag-resolution), hence the quoting hint.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadEnvironment } from '../../envs/load';
import { closest, editDistance, knownKeys } from '../../envs/problems';
import { environmentSchema } from '../../envs/schema';
import { problemsOf } from '../support/env';

const exampleText = readFileSync(join(__dirname, '..', '..', 'envs', 'example.yaml'), 'utf8');
let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'lz-problems-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The problems of the example's text after `edit`, loaded from a file like a user's. */
function fileProblems(edit: (text: string) => string): string[] {
  const file = join(dir, `env-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, edit(exampleText));
  try {
    loadEnvironment(file);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems;
  }
}

describe('wording', () => {
  it('says "required" for a missing field', () => {
    expect(
      problemsOf((r) => {
        delete r.prefix;
        delete r.terraformCloud.organization;
      }),
    ).toEqual(['prefix: required', 'terraformCloud.organization: required']);
  });

  it('hints to quote a version YAML read as a number, showing it as written', () => {
    const problems = fileProblems((t) => t.replace(/^(\s+kubernetesVersion:).*$/m, '$1 1.30'));
    expect(problems).toContain(
      'clusters.main-01.kubernetesVersion: expected text, got the number 1.30: write "1.30" in quotes (YAML reads an unquoted 1.30 as a number)',
    );
  });

  it('suggests the closest known key for a misspelt one, and says so when there is none', () => {
    expect(
      problemsOf((r) => {
        r.prefx = 'acme';
        r.network.availabilityZone = r.network.availabilityZones;
        r.network.zzzz = 1;
      }),
    ).toEqual(
      expect.arrayContaining([
        'prefx: unknown key (did you mean "prefix"?)',
        'network.availabilityZone: unknown key (did you mean "availabilityZones"?)',
        'network.zzzz: unknown key (not in the schema)',
      ]),
    );
  });

  it('reads the known keys from the schema at any depth, through records', () => {
    expect(knownKeys(environmentSchema, ['clusters', 'any-key'])).toContain('kubernetesVersion');
    expect(knownKeys(environmentSchema, [])).toContain('identityCenter');
  });

  it('measures edits as Levenshtein distance and suggests only likely typos', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closest('Prefix', ['prefix'])).toBe('prefix');
    expect(closest('cidrs', ['cidr', 'account'])).toBe('cidr');
    expect(closest('xyz', ['cidr', 'account'])).toBeUndefined();
  });
});

describe('every problem in one run, each once', () => {
  it('reports type problems and cross-field rules together', () => {
    const problems = problemsOf((r) => {
      r.name = 5; // a type problem: zod skips the object's refinements
      r.homeRegion = 'us-east-1'; // a cross-field rule: not in allowedRegions
    });
    expect(problems[0]).toMatch(/^name: expected text, got the number 5/);
    expect(problems).toContain(
      'homeRegion: region "us-east-1" is not in allowedRegions (eu-central-1, eu-west-1)',
    );
  });

  it('runs the cross-field rules even when a whole section has the wrong type', () => {
    const problems = problemsOf((r) => {
      r.security = 'yes';
      r.network.account = 'sandbox';
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^security: /),
        'network.account: unknown account "sandbox"',
      ]),
    );
  });

  it('lists each problem once', () => {
    const problems = problemsOf((r) => {
      r.prefix = 'Acme';
      r.name = 5;
      r.network.account = 'sandbox';
    });
    expect(new Set(problems).size).toBe(problems.length);
  });

  it('refuses a repeated Identity Center assignment in the schema (not a construct error)', () => {
    const problems = problemsOf((r) =>
      r.identityCenter.assignments.push({ ...r.identityCenter.assignments[0] }),
    );
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(
      /^identityCenter\.assignments\[\d+\]\.accounts\[0\]: group "[^"]+" already has permission set "[^"]+" in account "[^"]+" \(identityCenter\.assignments\[0\]\.accounts\[0\]\)$/,
    );
  });

  it('refuses a policy or a group listed twice (each would be a duplicate construct)', () => {
    expect(
      problemsOf((r) => {
        const ps = r.identityCenter.permissionSets.ReadOnly;
        ps.managedPolicies.push(ps.managedPolicies[0]);
        const [user] = Object.values(r.identityCenter.users) as { groups: string[] }[];
        user.groups.push(user.groups[0]);
      }),
    ).toEqual([
      expect.stringMatching(
        /^identityCenter\.users\.[^.]+\.groups\[1\]: duplicate group "[^"]+" \(also groups\[0\]\)$/,
      ),
      expect.stringMatching(
        /^identityCenter\.permissionSets\.ReadOnly\.managedPolicies\[1\]: duplicate policy "arn:aws:iam::aws:policy\/[^"]+" \(also managedPolicies\[0\]\)$/,
      ),
    ]);
  });

  it('lists every YAML syntax problem, with its line', () => {
    const problems = fileProblems((t) => `${t}\nprefix: again\nname: twice\n`);
    expect(problems).toHaveLength(2);
    for (const p of problems)
      expect(p).toMatch(/^not valid YAML: Map keys must be unique at line \d+/);
  });
});
