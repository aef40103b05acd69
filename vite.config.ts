import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer build. main and preload are built by scripts/build.mjs with esbuild.
export default defineConfig({
  root: 'renderer',
  base: '/',
  plugins: [react(), tailwindcss()],
  // scripts/build.mjs sets it (true with --test-hooks); a plain `vite build` ships without test hooks.
  define: { __PANTAU_TEST_HOOKS__: 'false' },
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true, target: 'chrome130' },
});
