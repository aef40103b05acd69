/**
 * The installers, as far as this machine can check them (the Electron binary can't be downloaded here,
 * so electron-builder can't run to the end): electron-builder loads and validates electron-builder.yml
 * with its own schema, the targets and fuses are the ones SECURITY.md and README promise, and the files
 * it would package are listed with its own file matchers and checked: the built app, the demo data with
 * its attribution, the kiosk autostart files, and every package the bundles import.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, sep } from 'node:path';
import { getFileMatchers } from 'app-builder-lib/out/fileMatcher.js';
import type { Configuration } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { beforeAll, describe, expect, it } from 'vitest';

const root = process.cwd();
let config: Configuration;

beforeAll(async () => {
  config = await getConfig(root, null, null);
});

/** The files electron-builder would take for `files` (into the app's asar) or `extraResources`, as packaged paths. */
function packaged(name: 'files' | 'extraResources'): string[] {
  const matchers = getFileMatchers(config, name, 'packaged', { macroExpander: (s) => s, customBuildOptions: config.linux ?? {}, globalOutDir: join(root, 'release'), defaultSrc: root }) ?? [];
  const out: string[] = [];
  for (const m of matchers) {
    // As electron-builder copies: a matcher with no pattern (or only exclusions) takes everything.
    if (m.isEmpty() || m.containsOnlyIgnore()) m.prependPattern('**/*');
    const filter = m.createFilter();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const file = join(dir, entry);
        const stat = statSync(file);
        if (!filter(file, stat)) continue;
        if (stat.isDirectory()) walk(file);
        else
          out.push(
            relative(join(root, 'packaged'), join(m.to, relative(m.from, file)))
              .split(sep)
              .join('/'),
          );
      }
    };
    walk(m.from);
  }
  return out.sort();
}

describe('electron-builder.yml', () => {
  it('loads and passes electron-builder’s own schema (and the schema does catch a bad key)', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, linux: { ...config.linux, desktop: { Name: 'x' } } } as Configuration, new DebugLogger(false))).rejects.toThrow(/linux\.desktop/);
  });

  it('builds a Linux AppImage and deb, and a Windows NSIS installer', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: true });
    expect(config.asar).toBe(true);
  });

  it('flips the fuses a shipped app never needs (SECURITY.md item 19)', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('documents ffmpeg as a system dependency: the deb depends on it, README says so for the others', () => {
    expect(config.deb?.depends).toContain('ffmpeg');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const installers = readme.slice(readme.indexOf('## Installers'));
    expect(installers).toMatch(/AppImage[\s\S]*ffmpeg/);
    expect(installers).toMatch(/ffmpeg\.exe/);
  });
});

describe('what the installers would carry', () => {
  it('packs the built desktop app (the entry point package.json names, its preload, the renderer), no source maps and nothing else', () => {
    const files = packaged('files');
    const main = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string }).main;
    expect(files, 'run `npm run build` first').toContain(main);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'dist/preload/index.cjs', 'dist/renderer/index.html']));
    expect(files.some((f) => f.startsWith('dist/renderer/assets/') && f.endsWith('.js'))).toBe(true);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => /\.test\.|^dist\/bench\/|^dist\/main\/web\//.test(f))).toEqual([]);
  });

  it('carries the demo data with its attribution, the demo camera server and the kiosk autostart files', () => {
    const resources = packaged('extraResources');
    expect(resources).toEqual(
      expect.arrayContaining([
        'resources/data/README.md',
        'resources/data/semarang-wilayah.json',
        'resources/data/semarang-kecamatan.geojson',
        'resources/demo/rtsp-server.py',
        'resources/kiosk/pantau-kiosk.desktop',
        'resources/kiosk/pantau-kiosk.service',
      ]),
    );
    expect(readFileSync(join(root, 'resources/data/README.md'), 'utf8')).toMatch(/MIT/);
  });

  it('ships every package the bundles import as a runtime dependency (a devDependency would be left out)', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const builtins = new Set([...builtinModules, 'electron']);
    for (const bundle of ['dist/main/electron/main.mjs', 'dist/preload/index.cjs']) {
      const text = readFileSync(join(root, bundle), 'utf8');
      // Only what reads as a package name (a string that merely follows the word "from" does not).
      const specifiers = [...text.matchAll(/(?:\bfrom\s*|import\(\s*|require\(\s*)["']((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/[\w./-]*)?|node:[\w/]+)["']/g)].map((m) => m[1]!);
      const packages = new Set(specifiers.filter((s) => !s.startsWith('node:')).map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!)));
      expect(packages.size, bundle).toBeGreaterThan(0);
      for (const p of packages) if (!builtins.has(p)) expect(pkg.dependencies, `${bundle} imports ${p}`).toHaveProperty([p]);
    }
  });
});
