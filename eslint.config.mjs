// ESLint flat config: typescript-eslint's recommended rules, plus a ban on
// package-index provider imports (they cost seconds and ~0.5 GB per synth).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'cdktf.out/',
      'coverage/',
      'test/bench/baseline/',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            '@cdktf/provider-aws',
            '@cdktf/provider-helm',
            '@cdktf/provider-kubernetes',
            '@cdktf/provider-tfe',
          ].map((name) => ({
            name,
            message: `Import the resource module (${name}/lib/<resource>), not the package index.`,
          })),
        },
      ],
    },
  },
  {
    // Tests read synthesized Terraform JSON, which is untyped by nature.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
