/**
 * jest transformer: TypeScript to CommonJS with esbuild's `transform` API
 * (https://esbuild.github.io/api/#transform, https://jestjs.io/docs/code-transformation), the
 * same compiler and settings (tsconfig.json) as the app's bundle (bin/app.js), so the tests run
 * the code the app command runs. Types are stripped, not checked: that is `npm run typecheck`.
 *
 * Why not ts-jest: it loads the TypeScript compiler in every jest worker (about 0.45 s each) and
 * transpiles a file in tens of milliseconds, where esbuild takes about one; with jest's cache
 * cold (a fresh clone, as in CI) `test/constructs` took 54 s of CPU under ts-jest against 39 s
 * warm (2-core machine, 2026-12-01).
 *
 * Source maps go back to jest (`map`), which maps error stacks to the TypeScript lines.
 */
'use strict';
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const TSCONFIG = path.join(__dirname, '..', '..', 'tsconfig.json');
const tsconfigRaw = readFileSync(TSCONFIG, 'utf8');
const target = `node${process.versions.node.split('.')[0]}`;
// What else the output depends on: esbuild, the Node target, tsconfig.json and this file.
const KEY = `${esbuild.version} ${target} ${tsconfigRaw} ${readFileSync(__filename, 'utf8')}`;

module.exports = {
  /** @returns {{ code: string, map: string }} */
  process(source, filename) {
    const out = esbuild.transformSync(source, {
      loader: filename.endsWith('.tsx') ? 'tsx' : 'ts',
      format: 'cjs',
      platform: 'node',
      target,
      sourcemap: 'external',
      sourcefile: filename,
      tsconfigRaw,
    });
    return { code: out.code, map: out.map };
  },
  /**
   * The cache key: the source, its path, {@link KEY}, and jest's configuration and coverage
   * setting (a custom key replaces jest's default, which holds both:
   * @jest/transform ScriptTransformer `_getCacheKey`).
   */
  getCacheKey(source, filename, options) {
    const jest = `${options?.configString ?? ''}\0${options?.instrument ? 'instrument' : ''}`;
    return createHash('sha256').update(`${KEY}\0${jest}\0${filename}\0${source}`).digest('hex');
  },
};
