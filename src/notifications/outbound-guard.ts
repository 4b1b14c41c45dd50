/**
 * Outbound requests only where allowed (no SSRF). Every request the server makes to a URL an admin
 * saved — a unit's webhook, its WeCom or DingTalk robot, its SMS gateway — goes through here, and
 * the same rule refuses the URL when it is saved and again when it is sent:
 *
 * - `https` only; `http` only for a host in OUTBOUND_ALLOW_HOSTS (`host` or `host:port`);
 * - the host must be a public address: not loopback, private, link-local (the cloud metadata
 *   address too), CGNAT, unspecified, multicast, broadcast, reserved or unique-local, nor an IPv6
 *   form that embeds such an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4). Numeric
 *   forms (`127.1`, `2130706433`, `0x7f000001`) arrive normalised by WHATWG `new URL()`.
 *   A host in OUTBOUND_ALLOW_HOSTS skips this check (a receiver on the local network).
 *
 * At save a name cannot be resolved (it may not exist yet), so only literal addresses and
 * `localhost` names are refused there. At send the name is resolved once, every address it has is
 * checked, and the connection goes to the checked address (a `lookup` that answers only it), so a
 * name that changes its answer between the check and the connection (DNS rebinding) gains nothing.
 * Redirects are never followed: a 3xx is a failed delivery.
 */
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { DomainError } from '../errors.js';

/** One entry of OUTBOUND_ALLOW_HOSTS: a host name or address, any port unless one is given. */
export interface AllowedHost { host: string; port: number | null }

export interface ResolvedAddress { address: string; family: number }
/** Every address a name has (the system resolver by default; a test may pass its own). */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

export interface OutboundSettings {
  /** OUTBOUND_ALLOW_HOSTS. */
  allowHosts: readonly AllowedHost[];
  resolve?: Resolve;
}

/** A request the rule refuses: a failed delivery with this reason (no URL in it: it may carry a secret). */
export class OutboundRefused extends Error {
  override name = 'OutboundRefused';
  constructor(reason: string) { super(`outbound request refused: ${reason}`); }
}

/** A URL an admin tries to save that the rule refuses: 400 naming the field. */
export class OutboundUrlRefused extends DomainError {
  constructor(field: string, reason: string) {
    super(`${field}: 出站地址不允许 / outbound URL refused: ${reason}`, 400, 'Bad Request', 'outbound_url_refused');
  }
}

export interface OutboundAnswer { status: number; body: string }

export interface OutboundGuard {
  /** At save: throws OutboundUrlRefused naming `field` when the URL breaks the rule. */
  checkUrl(field: string, url: string): void;
  /** At send: POSTs `body`; throws OutboundRefused when the rule refuses, an Error on a redirect or a timeout. */
  post(url: string, request: { headers: Record<string, string>; body: string; timeoutMs: number }): Promise<OutboundAnswer>;
}

/** What is read of an answer (robots answer a line of JSON); the rest is dropped. */
const MAX_ANSWER_BYTES = 64 * 1024;

const HOST_ENTRY = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/;

/** OUTBOUND_ALLOW_HOSTS: comma-separated `host` or `host:port`; hosts normalised as URLs are (`127.1` is 127.0.0.1). */
export function parseAllowHosts(value: string): { hosts: AllowedHost[]; problems: string[] } {
  const hosts: AllowedHost[] = [];
  const problems: string[] = [];
  for (const entry of value.split(',').map((e) => e.trim()).filter(Boolean)) {
    const match = HOST_ENTRY.exec(entry);
    const port = match?.[2] ? Number(match[2]) : null;
    let host: string | null = null;
    try { host = match ? new URL(`http://${match[1]}`).hostname : null; } catch { host = null; }
    if (!host || (port !== null && (port < 1 || port > 65535))) {
      problems.push(`OUTBOUND_ALLOW_HOSTS entries must be host or host:port, got '${entry}'`);
    } else {
      hosts.push({ host, port });
    }
  }
  return { hosts, problems };
}

const systemResolve: Resolve = (hostname) => lookup(hostname, { all: true, verbatim: true });

export function createOutboundGuard(settings: OutboundSettings): OutboundGuard {
  const resolve = settings.resolve ?? systemResolve;

  function allowed(u: URL): boolean {
    const port = Number(u.port) || (u.protocol === 'https:' ? 443 : 80);
    return settings.allowHosts.some((a) => a.host === u.hostname && (a.port === null || a.port === port));
  }

  /** The rule before any resolution: why the URL is refused, or what a send needs to know of it. */
  function refusal(url: string): { reason: string } | { u: URL; allowed: boolean; literal: string | null } {
    let u: URL;
    try { u = new URL(url); } catch { return { reason: 'not a URL' }; }
    const isAllowed = allowed(u);
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isAllowed)) {
      return { reason: 'https only (http only for a host in OUTBOUND_ALLOW_HOSTS)' };
    }
    const literal = literalAddress(u.hostname);
    if (isAllowed) return { u, allowed: true, literal };
    if (literal) {
      const range = refusedRange(literal);
      if (range) return { reason: `${literal} is not a public address (${range})` };
    } else if (/(^|\.)localhost\.?$/.test(u.hostname)) {
      return { reason: `${u.hostname} is not a public address (loopback)` };
    }
    return { u, allowed: false, literal };
  }

  /** The one address to connect to: the literal, or the name's, every one of them checked. */
  async function vetted(u: URL, isAllowed: boolean, literal: string | null): Promise<ResolvedAddress> {
    if (literal) return { address: literal, family: isIP(literal) };
    const addresses = await resolve(u.hostname).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`the host does not resolve (${error.code ?? 'lookup failed'})`);
    });
    if (addresses.length === 0) throw new Error('the host does not resolve');
    if (!isAllowed) {
      for (const { address } of addresses) {
        const range = refusedRange(address);
        if (range) throw new OutboundRefused(`the host resolves to ${address} (${range})`);
      }
    }
    return addresses[0];
  }

  return {
    checkUrl(field, url) {
      const checked = refusal(url);
      if ('reason' in checked) throw new OutboundUrlRefused(field, checked.reason);
    },

    async post(url, request) {
      const checked = refusal(url);
      if ('reason' in checked) throw new OutboundRefused(checked.reason);
      const signal = AbortSignal.timeout(request.timeoutMs);
      const target = await untilAborted(vetted(checked.u, checked.allowed, checked.literal), signal);
      return send(checked.u, target, request, signal);
    },
  };
}

/** The address a URL's host names literally (IPv6 without its brackets), or null for a name. */
function literalAddress(hostname: string): string | null {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) ? bare : null;
}

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/** Why an address is not a public one (its range's name), or null when it is. */
export function refusedRange(address: string): string | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try { ip = ipaddr.parse(address); } catch { return 'not an address'; }
  if (ip.kind() === 'ipv4') return ip.range() === 'unicast' ? null : ip.range();
  const v6 = ip as ipaddr.IPv6;
  const range = v6.range();
  if (range === 'unspecified' || range === 'loopback') return range;
  const embedded = embeddedIPv4(v6);
  if (embedded) {
    const inner = embedded.v4.range();
    return inner === 'unicast' ? null : `${embedded.form} of ${embedded.v4.toString()}, ${inner}`;
  }
  if (range !== 'unicast') return range;
  return v6.match(GLOBAL_UNICAST_V6) ? null : 'reserved';
}

/**
 * The IPv4 address an IPv6 one carries where a translator or tunnel would reach it: IPv4-mapped
 * (`::ffff:a.b.c.d`), SIIT (`::ffff:0:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), NAT64's well-known
 * prefix (`64:ff9b::a.b.c.d`), 6to4 (`2002:aabb:ccdd::`). Local-use NAT64 (`64:ff9b:1::/48`) and
 * Teredo are refused by their range.
 */
function embeddedIPv4(ip: ipaddr.IPv6): { form: string; v4: ipaddr.IPv4 } | null {
  const p = ip.parts;
  const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  const range = ip.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145') return { form: range, v4: v4(p[6], p[7]) };
  if (range === 'rfc6052') return p[2] === 0 ? { form: 'NAT64', v4: v4(p[6], p[7]) } : null;
  if (range === '6to4') return { form: range, v4: v4(p[1], p[2]) };
  if (p.slice(0, 6).every((x) => x === 0)) return { form: 'ipv4Compatible', v4: v4(p[6], p[7]) };
  return null;
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/** One POST to the checked address, on a connection of its own; the name still goes in Host and in TLS (SNI, certificate). */
function send(u: URL, target: ResolvedAddress, request: { headers: Record<string, string>; body: string }, signal: AbortSignal): Promise<OutboundAnswer> {
  const pinned: LookupFunction = (_hostname, options, done) => {
    if (options.all) done(null, [target]);
    else done(null, target.address, target.family);
  };
  const client = u.protocol === 'https:' ? https : http;
  return new Promise<OutboundAnswer>((resolve, reject) => {
    const fail = (error: unknown) => reject(signal.aborted ? signal.reason : error);
    const req = client.request(u, {
      method: 'POST', agent: false, lookup: pinned, signal,
      headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
    }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        res.destroy();
        reject(new Error(`receiver answered ${status}: redirects are not followed`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => resolve({ status, body: Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8') }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(request.body);
  });
}
