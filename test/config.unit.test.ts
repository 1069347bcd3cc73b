import { describe, expect, it } from 'vitest';
import { loadConfig, parseTrustProxy } from '../src/platform/config.js';

describe('TRUST_PROXY', () => {
  it('trusts no proxy when unset, empty or 0', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(parseTrustProxy('')).toBe(false);
    expect(parseTrustProxy('0')).toBe(false);
  });

  it('reads a hop count', () => {
    expect(parseTrustProxy('2')).toBe(2);
  });

  it('reads a comma list of addresses, CIDRs and named ranges', () => {
    expect(parseTrustProxy(' 10.0.0.1, 172.16.0.0/12,::1, fd00::/8 ,loopback')).toEqual(['10.0.0.1', '172.16.0.0/12', '::1', 'fd00::/8', 'loopback']);
  });

  it('refuses an entry that is not an address, a CIDR or a hop count, naming it', () => {
    for (const bad of ['true', '10.0.0.0/33', 'proxy.local', '10.0.0.1/8/1', '::1/129', '10.0.0/8']) expect(() => parseTrustProxy(`10.0.0.1,${bad}`)).toThrow(`"${bad}"`);
  });
});
