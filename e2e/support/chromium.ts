/**
 * The Chromium the e2e tests and the benchmarks drive (runtime: Node): Debian's, unless CHROMIUM_PATH
 * says otherwise, with the flags this machine needs. As root, Chromium needs --no-sandbox; the
 * networking flags stop it reaching for the closed network; autoplay lets muted tiles start alone.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];
