/**
 * Builds the pages (vite → src/web/dist) when any source is newer than the last build. Run by
 * `npm start` (prestart) and by the tests' global set-up, so a fresh clone needs no extra command.
 * `node --import tsx src/web/build-client.ts [--force]`.
 */
import { copyFileSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const WEB = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(WEB, '../..');
export const CLIENT_DIST = path.join(WEB, 'dist');
const STAMP = path.join(CLIENT_DIST, '.built');
const INPUTS = [WEB, path.join(ROOT, 'vite.config.ts'), path.join(ROOT, 'package-lock.json')];

function newest(file: string): number {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  if (file === CLIENT_DIST) return 0;
  return Math.max(0, ...readdirSync(file).map((name) => newest(path.join(file, name))));
}

function clientIsStale(): boolean {
  return !existsSync(STAMP) || Math.max(...INPUTS.map(newest)) > statSync(STAMP).mtimeMs;
}

/** Brotli and gzip copies beside each text file: the server sends them as they are (preCompressed). */
function compressAll(dir: string) {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) { compressAll(file); continue; }
    if (!/\.(js|css|html|svg|json|webmanifest)$/.test(name)) continue;
    const bytes = readFileSync(file);
    writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
  }
}

/**
 * The installable app's icons at the fixed names its manifest gives (vite hashes the manifest itself,
 * from index.html): the SVG, and PNGs of 192 and 512 px made from it.
 */
async function writeAppFiles() {
  copyFileSync(path.join(WEB, 'icon.svg'), path.join(CLIENT_DIST, 'icon.svg'));
  const { default: sharp } = await import('sharp');
  for (const size of [192, 512]) await sharp(path.join(WEB, 'icon.svg'), { density: 72 * size / 128 }).resize(size, size).png().toFile(path.join(CLIENT_DIST, `icon-${size}.png`));
}

export async function buildClient({ force = false } = {}): Promise<boolean> {
  if (!force && !clientIsStale()) return false;
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), root: WEB, logLevel: 'warn', mode: 'production' });
  await writeAppFiles();
  compressAll(CLIENT_DIST);
  writeFileSync(STAMP, new Date().toISOString());
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const started = Date.now();
  buildClient({ force: process.argv.includes('--force') }).then((built) => {
    process.stdout.write(built ? `页面已构建 / pages built in ${Date.now() - started} ms → src/web/dist\n` : '页面已是最新 / pages up to date\n');
  }, (err) => { process.stderr.write(`${err instanceof Error ? err.stack : err}\n`); process.exit(1); });
}
