// `node scripts/security-scan.mjs`, a step of `npm test`: Electronegativity (Doyensec's static
// scanner for Electron apps, 42 checks) over the code that ships: main/, preload/, renderer/src/,
// renderer/index.html and package.json, without tests. It fails on any finding of MEDIUM severity or
// worse that SECURITY.md ("Static scan") does not explain, on an explanation that no longer matches a
// finding (the table stays true), and on a file the scanner could not parse (a file not scanned).
//
// The scanner looks two things up online with `got`: its translations, and Electron's release notes
// (for AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK). Neither may leave this machine: the scanner gets a
// `got` that answers every request with "offline" (it then uses its built-in English), that check is
// left out (SECURITY.md item 16 covers Electron's version), and DNS is cut off in this process too.
import dns from 'node:dns';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

const offlineError = (what) => Object.assign(new Error(`the security scan stays offline (asked for ${what})`), { code: 'ENOTFOUND' });
const scannerRequire = createRequire(createRequire(import.meta.url).resolve('@doyensec/electronegativity/package.json'));
const gotPath = scannerRequire.resolve('got');
const offlineGot = (url) => Promise.reject(offlineError(String(url)));
offlineGot.head = offlineGot;
offlineGot.get = offlineGot;
scannerRequire.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offlineGot };
dns.lookup = (host, ...rest) => process.nextTick(rest.at(-1), offlineError(host));
dns.promises.lookup = (host) => Promise.reject(offlineError(host));

const FAIL_FROM = 2; // Electronegativity's severities: 0 informational, 1 low, 2 medium, 3 high
const root = process.cwd();
const stage = mkdtempSync(join(tmpdir(), 'pantau-scan-'));
const shipped = (src) => !/\.test\.tsx?$|[\\/]fixtures[\\/]/.test(src);
for (const part of ['main', 'preload', join('renderer', 'src'), join('renderer', 'index.html'), 'package.json']) cpSync(join(root, part), join(stage, part), { recursive: true, filter: shipped });

// The scanner prints a line when its translations can't be fetched: expected here, so kept quiet.
const log = console.log;
console.log = (...args) => (String(args[0]).includes('translations') ? undefined : log(...args));
const { default: scan } = await import('@doyensec/electronegativity/dist/runner.js');
let result;
try {
  result = await scan({ input: stage, customScan: [], excludeFromScan: ['availablesecurityfixesglobalcheck'], isRelative: true, isVerbose: false, parserPlugins: [] }, false);
} finally {
  console.log = log;
  rmSync(stage, { recursive: true, force: true });
}

/** SECURITY.md's "Static scan" table: check, file and code of each finding explained. */
function explained() {
  const text = readFileSync(join(root, 'SECURITY.md'), 'utf8');
  const section = text.slice(text.indexOf('## Static scan'));
  const rows = [];
  for (const line of section.split('\n')) {
    const m = /^\|\s*([A-Z_]+_CHECK)\s*\|\s*`([^`]+)`\s*\|\s*`(.+?)`\s*\|\s*(.+?)\s*\|$/.exec(line);
    if (m) rows.push({ id: m[1], file: m[2], sample: m[3], why: m[4], used: false });
  }
  return rows;
}

const norm = (s) =>
  String(s ?? '')
    .replace(/\s+/g, ' ')
    .trim();
const fileOf = (issue) => (issue.file.startsWith(stage) ? relative(stage, issue.file) : issue.file).split(sep).join('/');
const rows = explained();
const problems = [];
const serious = result.issues.filter((i) => i.severity.value >= FAIL_FROM);
let explainedCount = 0;
for (const issue of serious) {
  const file = fileOf(issue);
  const row = rows.find((r) => r.id === issue.id && r.file === file && norm(r.sample) === norm(issue.sample ?? 'N/A'));
  if (row) {
    row.used = true;
    explainedCount++;
  } else
    problems.push(
      `${issue.severity.name} ${issue.id} in ${file}:${issue.location.line}:${issue.location.column}: ${issue.description}\n    ${norm(issue.sample ?? '').slice(0, 200)}\n    (${issue.shortenedURL}; fix it, or explain it in SECURITY.md "Static scan")`,
    );
}
for (const r of rows.filter((x) => !x.used)) problems.push(`SECURITY.md explains ${r.id} in ${r.file} (\`${r.sample.slice(0, 80)}\`), which the scan no longer finds: remove the row`);
for (const e of result.errors.filter((x) => !x.tolerable)) problems.push(`could not parse ${e.file}: ${e.message} (a file the scan did not read)`);

const counts = {};
for (const i of result.issues) counts[i.severity.name] = (counts[i.severity.name] ?? 0) + 1;
log(
  `security scan (Electronegativity, ${result.globalChecks + result.atomicChecks} checks): findings ${JSON.stringify(counts)}; ${serious.length} of medium severity or worse, ${explainedCount} explained in SECURITY.md`,
);
for (const i of result.issues.filter((x) => x.severity.value < FAIL_FROM && x.severity.value > 0)) log(`  low: ${i.id} in ${fileOf(i)}:${i.location.line}: ${i.description}`);
if (problems.length) {
  log(`\n${problems.length} problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
