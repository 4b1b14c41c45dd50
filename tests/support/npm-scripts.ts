/**
 * The Node arguments of `npm start` and `npm run worker` (package.json's scripts, `exec node …`), so
 * tests and benchmarks start the engine's processes exactly as production does, V8 flags included.
 */
import { readFileSync } from 'node:fs';

const scripts = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).scripts as Record<string, string>;

export function nodeArgsOf(script: 'start' | 'worker'): string[] {
  const args = /^exec node (.+)$/.exec(scripts[script])?.[1];
  if (!args) throw new Error(`package.json's "${script}" script is not \`exec node …\`: ${scripts[script]}`);
  return args.split(' ');
}
