/** Who may use what, outside a case's own actions: one table (src/access/permissions.ts). */
import { describe, expect, it } from 'vitest';
import { CAPABILITIES, may, requireCapability, seesEveryCase, type Capability } from '../../src/access/permissions.js';
import { statesSeenByRole } from '../../src/access/case-permissions.js';
import { CALLBACK_STATES, ROLES, type Role } from '../../workflows/case-rules.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const caller = (role: Role) => ({ role, userId: 'u', orgId: 'o' });

describe('capabilities', () => {
  it('every capability names its roles; the admin only configures, audits (the record, the reveal log) and prints intake posters, never works on cases', () => {
    for (const capability of Object.keys(CAPABILITIES) as Capability[]) {
      const allowed = ROLES.filter((role) => may(caller(role), capability));
      expect(allowed, capability).toEqual(ROLES.filter((role) => (CAPABILITIES[capability].roles as readonly Role[]).includes(role)));
      expect(allowed.includes('admin'), capability).toBe(['configure', 'auditRecord', 'printIntakePoster', 'readReveals'].includes(capability));
    }
  });

  it('a refusal is a 403 saying who may, in Chinese and English', () => {
    expect(() => requireCapability(caller('mediator'), 'runMeetings')).toThrow(/协调会仅限 convener \/ meetings are for conveners/);
    expect(() => requireCapability(caller('admin'), 'actOnCases')).toThrow(/admins configure; they do not act on cases/);
    expect(() => requireCapability(caller('liaison'), 'register')).not.toThrow();
  });

  it('only a convener sees every case', () => {
    expect(ROLES.filter((role) => seesEveryCase(caller(role)))).toEqual(['convener']);
  });

  it('a call-back user reads cases in the call-back states whatever their units; nobody else by state', () => {
    expect(ROLES.filter((role) => statesSeenByRole(caller(role)).length > 0)).toEqual(['callback']);
    expect(statesSeenByRole(caller('callback'))).toEqual(CALLBACK_STATES);
  });

  it('no route or service outside src/access compares a role itself', () => {
    const ROLE = String.raw`\b(?:caller|user|request\.caller)\??\.role\b`;
    const root = fileURLToPath(new URL('../../src/', import.meta.url));
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    // Addressing, not permission: a notice for a role reaches that role's open streams.
    const addressing = ['live/live-stream.ts'];
    const found = files(root).map((f) => relative(root, f)).filter((f) => !f.startsWith(`access${sep}`) && !f.startsWith(`web${sep}`))
      .flatMap((f) => readFileSync(join(root, f), 'utf8').split('\n').map((line, i) => ({ where: `${f.split(sep).join('/')}:${i + 1}`, line })))
      // A role read from a caller, a user or a request and compared (either side), listed against or switched on.
      .filter(({ line }) => new RegExp(`${ROLE}\\s*[!=]==?|[!=]==?\\s*${ROLE}|includes\\(${ROLE}\\)|switch\\s*\\(${ROLE}`).test(line))
      .map(({ where }) => where).filter((where) => !addressing.some((file) => where.startsWith(`${file}:`)));
    expect(found).toEqual([]);
  });
});
