/**
 * Secrets kept on this machine for the zero-setup mode, in `.data/secrets.json` (mode 0600, git-ignored):
 * the embedded database's password, the local admin token, the record's pepper (RECORD_PEPPER), the worker-linking key (LINK_KEY), and the demo users' sign-in tokens (the
 * database holds only their hashes, so the plain tokens are kept here to print the same ones at
 * every start while they still work).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface LocalSecrets {
  password: string;
  adminToken: string;
  /** The key of the record's digests of personal fields; made on first use (a data folder from before it gets one then). */
  recordPepper?: string;
  /** The key of the consenting worker's linking digest (LINK_KEY); made on first use like the pepper. */
  linkKey?: string;
  /** Demo user name → plain sign-in token. */
  demoTokens?: Record<string, string>;
}

const fileIn = (dataDir: string) => path.join(dataDir, 'secrets.json');

/** The secrets of this data folder, made on first use. */
export async function localSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = fileIn(dataDir);
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as LocalSecrets;
  const secrets = { password: randomBytes(18).toString('base64url'), adminToken: `ge_admin_${randomBytes(24).toString('base64url')}` };
  await saveLocalSecrets(dataDir, secrets);
  return secrets;
}

export async function saveLocalSecrets(dataDir: string, secrets: LocalSecrets): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  await writeFile(fileIn(dataDir), JSON.stringify(secrets, null, 2), { mode: 0o600 });
}
