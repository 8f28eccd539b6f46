/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { bundleBudget } from './build/bundle-budget.plugin.mts';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** The store the development server forwards API calls to (`npm start` runs it on 3000). */
const API_TARGET = process.env.MFM_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: here('.'),
  base: '/',
  resolve: {
    alias: {
      '@mfm/contracts': here('../libs/contracts/src'),
      '@mfm/platform': here('../libs/platform/src'),
      '@mfm/client': here('../libs/client/src/index.ts'),
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    // Inline assets would need `data:` in more of the page's CSP than images.
    assetsInlineLimit: 0,
    rolldownOptions: {
      // React libraries mark modules "use client" for server components; a browser bundle has
      // no use for the directive, and dropping it is what the warning is about.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE' && log.message.includes('use client')) return;
        handler(level, log);
      },
    },
  },
  plugins: [bundleBudget({ maxFirstLoadGzipBytes: 200_000 })],
  server: {
    proxy: Object.fromEntries(
      ['/api', '/docs', '/health', '/ready', '/.well-known'].map((path) => [path, API_TARGET]),
    ),
  },
  test: {
    root: here('.'),
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
