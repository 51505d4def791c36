import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * Two entries, so the public pages never load the console's code or its chart library:
 * `index.html` (the intake form, the privacy notice, the partner's signed-link page) and
 * `console/index.html` (counsellors, partners, managers, admins). The API serves `dist/`.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    sourcemap: false,
    // The dashboard's chunk (ECharts) is loaded on demand; the initial loads are checked by scripts/bundle-size.mjs.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      input: { public: resolve(import.meta.dirname, 'index.html'), console: resolve(import.meta.dirname, 'console/index.html') },
      // React Server Components' "use client" marks mean nothing in a client bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { port: 3150, proxy: { '/v1': 'http://127.0.0.1:3000' } },
});
