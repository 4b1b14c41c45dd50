/** The pages' build (src/web → src/web/dist, git-ignored). Run by `npm start` (prestart) and the tests' global set-up. */
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src/web',
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // Hashed names are cached for a year; the service worker keeps the fixed name /sw.js (its scope is the site).
    rolldownOptions: {
      input: { main: 'src/web/index.html', sw: 'src/web/sw.ts' },
      output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
  },
});
