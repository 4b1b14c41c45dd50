/** The outbound rule's pure parts: address ranges and OUTBOUND_ALLOW_HOSTS (the API test drives the rest through a real engine). */
import { describe, expect, it } from 'vitest';
import { parseAllowHosts, refusedRange } from '../../src/notifications/outbound-guard.js';
import { readConfig } from '../../src/config.js';

describe('refusedRange', () => {
  it('takes public addresses, and IPv6 forms that carry a public IPv4 one', () => {
    for (const address of ['8.8.8.8', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '2400:3200::1', '64:ff9b::808:808', '2002:808:808::1', '::ffff:8.8.8.8']) {
      expect(refusedRange(address), address).toBeNull();
    }
  });

  it('names the range of every other address', () => {
    const cases: [string, string][] = [
      ['127.0.0.1', 'loopback'], ['127.255.255.254', 'loopback'], ['10.0.0.1', 'private'], ['172.16.0.1', 'private'], ['192.168.0.1', 'private'],
      ['169.254.169.254', 'linkLocal'], ['100.64.0.1', 'carrierGradeNat'], ['0.0.0.0', 'unspecified'], ['0.1.2.3', 'unspecified'],
      ['224.0.0.251', 'multicast'], ['255.255.255.255', 'broadcast'], ['240.0.0.1', 'reserved'], ['198.18.0.1', 'reserved'],
      ['::', 'unspecified'], ['::1', 'loopback'], ['fe80::1', 'linkLocal'], ['fe80::1%eth0', 'linkLocal'], ['fc00::1', 'uniqueLocal'],
      ['fd00:ec2::254', 'uniqueLocal'], ['ff02::1', 'multicast'], ['2001:db8::1', 'reserved'], ['2001::1', 'teredo'], ['4000::1', 'reserved'],
      ['::ffff:127.0.0.1', 'ipv4Mapped of 127.0.0.1, loopback'], ['::ffff:0:a00:1', 'rfc6145 of 10.0.0.1, private'],
      ['::7f00:1', 'ipv4Compatible of 127.0.0.1, loopback'], ['64:ff9b::a9fe:a9fe', 'NAT64 of 169.254.169.254, linkLocal'],
      ['64:ff9b:1::8.8.8.8', 'rfc6052'], ['2002:7f00:1::', '6to4 of 127.0.0.1, loopback'], ['not-an-address', 'not an address'],
    ];
    for (const [address, range] of cases) expect(refusedRange(address), address).toBe(range);
  });
});

describe('OUTBOUND_ALLOW_HOSTS', () => {
  it('hosts, with or without a port, normalised as URLs normalise them', () => {
    expect(parseAllowHosts(' 127.0.0.1, Hooks.Example.CN:8443,[::1]:9000,127.1 ,')).toEqual({
      hosts: [{ host: '127.0.0.1', port: null }, { host: 'hooks.example.cn', port: 8443 }, { host: '[::1]', port: 9000 }, { host: '127.0.0.1', port: null }],
      problems: [],
    });
    expect(parseAllowHosts('')).toEqual({ hosts: [], problems: [] });
  });

  it('anything else stops the start, naming the entry', () => {
    for (const entry of ['http://127.0.0.1', '127.0.0.1/hook', 'user@host', 'host:0', 'host:70000', 'a b']) {
      expect(() => readConfig({ OUTBOUND_ALLOW_HOSTS: entry }), entry).toThrow(`OUTBOUND_ALLOW_HOSTS entries must be host or host:port, got '${entry}'`);
    }
    expect(readConfig({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1:8080' }).outbound.allowHosts).toEqual([{ host: '127.0.0.1', port: 8080 }]);
    expect(readConfig({}).outbound.allowHosts).toEqual([]);
  });
});
