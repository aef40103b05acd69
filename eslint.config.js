// Lint for the whole tree, run by `npm test` (scripts/test.mjs): typescript-eslint with type
// information from the four tsconfigs (one per runtime), React's hooks rules for the renderer, and no
// rule turned off in a file without a reason on the same line. Formatting is Prettier's (.prettierrc).
import js from '@eslint/js';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.tmp/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'e2e/artifacts/**', 'bench/results/**'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  comments.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        project: ['./tsconfig.node.json', './tsconfig.web.json', './tsconfig.electron.json', './tsconfig.tools.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // A suppression says why, on its own line: `// eslint-disable-next-line rule -- the reason`.
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: [] }],
      '@eslint-community/eslint-comments/no-unlimited-disable': 'error',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-expect-error': 'allow-with-description', minimumDescriptionLength: 10 }],
      // Unused names are a mistake, except a deliberately ignored one (`_x`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Control characters are matched on purpose: to refuse them in URLs, names and catalog fields,
      // and to strip terminal colours from output.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    // The rules of hooks and complete dependency lists. The plugin's React Compiler rules
    // (set-state-in-effect, refs, purity) are for code the compiler rewrites; Pantau does not use it.
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // Names, messages and labels come from catalogs, backends and files: the renderer shows them as
      // text only. No way of writing markup into the page is allowed (SECURITY.md, Hostile input).
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'text from outside is shown as text: no dangerouslySetInnerHTML' },
        { selector: 'AssignmentExpression > MemberExpression.left[property.name=/^(innerHTML|outerHTML)$/]', message: 'text from outside is shown as text: no innerHTML/outerHTML' },
        { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: 'text from outside is shown as text: no insertAdjacentHTML' },
        { selector: "CallExpression[callee.object.name='document'][callee.property.name=/^(write|writeln)$/]", message: 'no document.write' },
        { selector: "CallExpression[callee.property.name='createContextualFragment']", message: 'no HTML parsing into the page' },
      ],
    },
  },
  // Tests: Vitest's and Playwright's asymmetric matchers (expect.any, expect.stringContaining) are
  // typed any by their libraries.
  { files: ['**/*.test.ts', 'e2e/**'], rules: { '@typescript-eslint/no-unsafe-assignment': 'off' } },
  // Playwright's fixtures say which fixtures they use by destructuring; `{}` is how one says none.
  { files: ['e2e/**'], rules: { 'no-empty-pattern': 'off', '@typescript-eslint/no-empty-object-type': 'off' } },
  // Development scripts hand functions to a browser page (Playwright's evaluate).
  { files: ['scripts/dev/**'], languageOptions: { globals: { ...globals.browser } } },
  // Plain JavaScript (scripts, this file) is outside the tsconfigs: linted without type information.
  { files: ['**/*.{js,mjs,cjs}'], ...tseslint.configs.disableTypeChecked },
);
