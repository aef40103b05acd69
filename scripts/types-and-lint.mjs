// Type checks (the four tsconfigs, as `tsc -p tsconfig.<name>.json --noEmit` does) and lint (ESLint,
// type-aware, as `eslint --max-warnings 0 .` does) in one process, on one set of TypeScript programs:
// ESLint's typed rules read the types the type checks already worked out, where `eslint .` built and
// checked the same four programs again (alone on this 2-core machine: tsc 7-10 s per tsconfig, ESLint
// 34 s, most of it that second check). `npm test` runs this; `npm run typecheck` and `npm run lint`
// stay for editing. Prints tsc's diagnostics and ESLint's report; exits 1 on any diagnostic or problem.
import { ESLint } from 'eslint';
import ts from 'typescript';

const t0 = Date.now();
const seconds = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
let failed = false;
const formatHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: ts.sys.getCurrentDirectory, getNewLine: () => '\n' };

const programs = [];
for (const name of ['node', 'web', 'electron', 'tools']) {
  const file = `tsconfig.${name}.json`;
  const configErrors = [];
  const config = ts.getParsedCommandLineOfConfigFile(file, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => configErrors.push(d) });
  if (!config) {
    process.stdout.write(ts.formatDiagnostics(configErrors, formatHost));
    failed = true;
    continue;
  }
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences, configFileParsingDiagnostics: config.errors });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  process.stdout.write(`typecheck ${name} (${file}): ${diagnostics.length ? `${diagnostics.length} error(s)` : 'no errors'}, ${seconds()}\n`);
  if (diagnostics.length) {
    process.stdout.write(ts.formatDiagnostics(diagnostics, formatHost));
    failed = true;
  }
  programs.push(program);
}

// The programs go to the TypeScript files only: plain JavaScript is linted without type information
// (eslint.config.js), and a file in no program is an error, as with `project`.
const eslint = new ESLint({ overrideConfig: [{ files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'], languageOptions: { parserOptions: { programs } } }] });
const results = await eslint.lintFiles(['.']);
const problems = results.reduce((n, r) => n + r.errorCount + r.warningCount, 0);
const report = (await eslint.loadFormatter('stylish')).format(results);
process.stdout.write(`lint (eslint, type-aware) of ${results.length} files: ${problems ? `${problems} problem(s)` : 'no problems'}, ${seconds()}\n${report}`);
if (problems) failed = true;
// exitCode, not exit(): the report may still be on its way out through a pipe (asynchronous on macOS).
process.exitCode = failed ? 1 : 0;
