/**
 * The generated environment reference is current, and the JSON Schema does what editors use it
 * for: the example validates, a typo or a wrong type is flagged with its path.
 *
 * The JSON Schema is draft-07 (https://json-schema.org/specification-links#draft-7), the dialect
 * the YAML language server validates against (redhat-developer/yaml-language-server README,
 * "Language Server Settings": `yaml.schemas` / the `# yaml-language-server: $schema=` modeline).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import {
  SCHEMA_COMMENT,
  environmentJsonSchema,
  renderReference,
  staleFiles,
} from '../../../envs/tools/generate-reference';

const root = join(__dirname, '..', '..', '..');
const example = () => parse(readFileSync(join(root, 'envs', 'example.yaml'), 'utf8'));
// Formats are annotations here (zod writes a `pattern` beside each `format`); ajv-formats is not installed.
let compiled: ReturnType<Ajv['compile']> | undefined;
const validator = () =>
  (compiled ??= new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(
    environmentJsonSchema() as object,
  ));

describe('envs/environment.schema.json and docs/environment.md', () => {
  it('are what `npm run docs:env` writes (regenerate after changing the schema)', () => {
    expect(staleFiles()).toEqual([]);
  });

  it('the example environment points editors at the schema on its first line', () => {
    const first = readFileSync(join(root, 'envs', 'example.yaml'), 'utf8').split('\n')[0];
    expect(first).toBe(`# ${SCHEMA_COMMENT}`);
  });

  it('the example validates against the JSON Schema', () => {
    const validate = validator();
    expect(validate(example()) ? [] : validate.errors).toEqual([]);
  });

  it('flags a misspelt key and a version written as a number, each with its path', () => {
    const raw = example();
    raw.network.vpcCdir = raw.network.vpcCidr;
    const cluster = Object.keys(raw.clusters)[0];
    raw.clusters[cluster].kubernetesVersion = 1.35;
    const validate = validator();
    expect(validate(raw)).toBe(false);
    const found = (validate.errors ?? []).map((e) => [e.instancePath, e.keyword, e.params]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['/network', 'additionalProperties', { additionalProperty: 'vpcCdir' }],
        [`/clusters/${cluster}/kubernetesVersion`, 'type', { type: 'string' }],
      ]),
    );
  });

  it('documents every field with its default, and a required field as required', () => {
    const md = renderReference();
    expect(md).toContain('| `prefix` | string `^[a-z][a-z0-9-]{1,15}$` | **required** |');
    expect(md).toMatch(/\| `terraformCloud\.hostname` \| string \| `"app\.terraform\.io"` \|/);
    expect(md).toMatch(/\| `clusters\.<key>\.kubernetesVersion` \| string \| `"\d+\.\d+"` \|/);
  });
});
