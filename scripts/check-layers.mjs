// The layering rule, enforced (runtime: Node). Fails when a file imports across layers:
//  - 'electron' anywhere but main/electron/ and preload/index.ts;
//  - Node built-ins, Node-only packages or main/ code from the renderer;
//  - anything but zod from the shared contract files (preload/contract.ts, layouts.ts, mp4.ts, names.ts);
//  - renderer code from main/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/gm;
const NODE_ONLY = new Set(['ws', 'conf', 'electron-store', 'node-rtsp-stream', 'electron']);
const SHARED = new Set(['preload/contract.ts', 'preload/layouts.ts', 'preload/mp4.ts', 'preload/names.ts']);

export function importsOf(text) {
  const out = [];
  for (const m of text.matchAll(IMPORT)) out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return out;
}

function isBuiltin(spec) {
  return spec.startsWith('node:') || ['fs', 'path', 'child_process', 'os', 'net', 'http', 'crypto', 'events', 'stream', 'url', 'dgram', 'util'].includes(spec);
}

/** files: [{ path: 'renderer/src/x.ts', text }] with POSIX paths relative to the repo. Returns violations. */
export function checkLayers(files) {
  const problems = [];
  for (const { path, text } of files) {
    for (const spec of importsOf(text)) {
      const target = spec.startsWith('.')
        ? relative('.', join(dirname(path), spec))
            .split(sep)
            .join('/')
        : null;
      const bad = (why) => problems.push(`${path}: imports "${spec}": ${why}`);
      if (spec === 'electron' && !path.startsWith('main/electron/') && path !== 'preload/index.ts') bad("only main/electron/ and the preload may import 'electron'");
      if (path.startsWith('renderer/')) {
        if (isBuiltin(spec)) bad('the renderer is browser-only: no Node built-ins');
        else if (NODE_ONLY.has(spec)) bad('the renderer is browser-only: this package is Node-only');
        else if (target && !target.startsWith('renderer/') && !SHARED.has(target.replace(/(\.js)?$/, '').replace(/(\.ts)?$/, '.ts')))
          bad('the renderer may import only renderer/ and the shared preload/contract.ts, layouts.ts, mp4.ts, names.ts');
      }
      if (SHARED.has(path) && spec !== 'zod' && !(target && SHARED.has(target.replace(/(\.js)?$/, '').replace(/(\.ts)?$/, '.ts'))))
        bad('the contract runs anywhere: it may import only zod and the other shared file');
      if (path.startsWith('main/') && target && target.startsWith('renderer/')) bad('main must not import renderer code');
    }
  }
  return problems;
}

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx|mjs|js)$/.test(name)) out.push(p);
  }
  return out;
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  const files = ['main', 'preload', 'renderer/src'].flatMap((d) => walk(d)).map((p) => ({ path: p.split(sep).join('/'), text: readFileSync(p, 'utf8') }));
  const problems = checkLayers(files);
  for (const p of problems) console.error(`layer violation: ${p}`);
  console.log(`layers: ${files.length} files checked, ${problems.length} violation(s)`);
  process.exit(problems.length ? 1 : 0);
}
