import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './auth/password.js';
import { businessDate } from './clock.js';
import { createPiiCipher, mask } from './crypto/pii.js';
import { DomainError } from './errors/domain-error.js';
import { localeFromHeader } from './i18n/locale.js';
import { convertExact, fmtQty, positiveQty, qty } from './quantity.js';
import { permissionsOf, ROLES, ROLE_CODES } from './rbac/permissions.js';
import { defineMachine, machineProblems } from './state-machine.js';

describe('Accept-Language', () => {
  it('defaults to zh-CN and honours q-values', () => {
    expect(localeFromHeader(undefined)).toBe('zh-CN');
    expect(localeFromHeader('en-US,en;q=0.9')).toBe('en-US');
    expect(localeFromHeader('fr;q=1, en;q=0.5, zh;q=0.8')).toBe('zh-CN');
    expect(localeFromHeader('de')).toBe('zh-CN');
  });
});

describe('personal-data encryption', () => {
  const cipher = createPiiCipher(crypto.randomBytes(32));
  it('round-trips with a fresh nonce each time and rejects tampering', () => {
    const a = cipher.encrypt('13912345678');
    const b = cipher.encrypt('13912345678');
    expect(a).not.toBe(b);
    expect(cipher.decrypt(a)).toBe('13912345678');
    const parts = a.split(':');
    parts[3] = Buffer.from('00000000000', 'utf8').toString('base64url');
    expect(() => cipher.decrypt(parts.join(':'))).toThrow();
  });
  it('gives the same blind index for the same normalised value only', () => {
    expect(cipher.blindIndex('139 1234 5678')).toBe(cipher.blindIndex('13912345678'));
    expect(cipher.blindIndex('A@Example.com')).toBe(cipher.blindIndex('a@example.com'));
    expect(cipher.blindIndex('13912345678')).not.toBe(createPiiCipher(crypto.randomBytes(32)).blindIndex('13912345678'));
  });
  it('masks phone, email and text', () => {
    expect(mask('13912345678', 'phone')).toBe('139****5678');
    expect(mask('zhang@example.com', 'email')).toBe('z***@example.com');
    expect(mask('上海市浦东新区世纪大道100号', 'text')).toBe('上海市浦东****');
    expect(mask(null, 'phone')).toBeNull();
  });
});

describe('passwords', () => {
  it('hashes with scrypt and verifies only the right password', async () => {
    const h = await hashPassword('Secret123');
    expect(h.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('Secret123', h)).toBe(true);
    expect(await verifyPassword('Secret124', h)).toBe(false);
  });
});

describe('quantities are exact decimals', () => {
  it('rejects floats beyond 3 decimals, exponents and garbage', () => {
    for (const bad of ['1.2345', '1e3', 'abc', '', 'NaN', '1,5']) expect(() => qty(bad)).toThrow(DomainError);
    expect(() => positiveQty('0')).toThrow(DomainError);
    expect(() => positiveQty('-1')).toThrow(DomainError);
  });
  it('adds without binary float error', () => {
    expect(fmtQty(qty('0.1').add(qty('0.2')))).toBe('0.300');
  });
  it('converts exactly or refuses: 3 斤 = 1.5 kg; 1 kg in 箱 of 3 kg is refused', () => {
    expect(fmtQty(convertExact(qty('3'), '0.5'))).toBe('1.500');
    expect(() => convertExact(qty('1'), '3', true)).toThrow(DomainError);
  });
  it('addition is associative and commutative for any 3-decimal quantities (property)', () => {
    const q = fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }).map((n) => qty((n / 1000).toFixed(3)));
    fc.assert(
      fc.property(
        q,
        q,
        q,
        (a, b, c) =>
          a
            .add(b)
            .add(c)
            .eq(a.add(b.add(c))) && a.add(b).eq(b.add(a)),
      ),
    );
  });
});

describe('roles and permissions', () => {
  it('maps every role of PRODUCT.md and unions permissions of several roles', () => {
    expect(ROLE_CODES).toEqual(['admin', 'manager', 'sales', 'reviewer', 'planner', 'production', 'qc', 'warehouse', 'logistics', 'aftersales', 'trainer', 'customer']);
    const both = permissionsOf(['sales', 'qc']);
    expect(both.has('orders:create') && both.has('quality:inspect')).toBe(true);
    expect(ROLES.customer.permissions).not.toContain('customers:read');
  });
});

describe('state machines as data', () => {
  it('finds unreachable states and dead ends', () => {
    const m = defineMachine({
      entity: 'x',
      states: ['a', 'b', 'c', 'orphan'] as const,
      initial: 'a',
      terminal: ['c'],
      events: { go: { from: ['a'], to: 'b' }, stop: { from: ['b'], to: 'c' } },
    });
    expect(machineProblems(m)).toEqual(['orphan is unreachable', 'orphan is a dead end but not terminal']);
  });
});

describe('business dates', () => {
  it('uses Asia/Shanghai: 2026-11-27T17:00Z is already the 28th', () => {
    expect(businessDate(new Date('2026-11-27T17:00:00Z'))).toBe('2026-11-28');
    expect(businessDate(new Date('2026-11-27T15:59:59Z'))).toBe('2026-11-27');
  });
});
