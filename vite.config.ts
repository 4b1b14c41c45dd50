/** The pages' build (src/web → src/web/dist, git-ignored). Run by `npm start` (prestart) and the tests' global set-up. */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const web = (file: string) => fileURLToPath(new URL(`./src/web/${file}`, import.meta.url));

export default defineConfig({
  root: web(''),
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  // Production JSX always (the tests' set-up runs with NODE_ENV=test, which would pick the dev runtime and file paths).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact', development: false } },
  build: {
    outDir: web('dist'),
    emptyOutDir: true,
    target: 'es2020',
    // Hashed names are cached for a year; the service worker keeps the fixed name /sw.js (its scope is the site).
    rolldownOptions: {
      input: { main: web('index.html'), sw: web('sw.ts') },
      output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
  },
});
