// ESLint flat config: typescript-eslint's recommended rules, plus a ban on
// package-index provider imports (they cost seconds and ~0.5 GB per synth).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdktf.out/', 'coverage/', '**/*.js', '**/*.mjs'] },
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
);
