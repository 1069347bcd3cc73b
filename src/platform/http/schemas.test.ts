import { describe, expect, it } from 'vitest';
import { zodIssuesToFields } from '../errors/zod-issues.js';
import { listQuery } from './list.js';
import { safeMultiline, safeString } from './schemas.js';
import { controlCharFields } from './control-chars.js';

const codes = (r: { success: boolean; error?: { issues: { code: string; path: PropertyKey[]; message: string }[] } }) =>
  r.success ? [] : zodIssuesToFields(r.error!.issues).map((f) => `${f.field}:${f.code}`);

describe('safeString: input text without control characters', () => {
  it('refuses NUL, other C0 characters and DEL anywhere, with FIELD_CONTROL_CHARS naming the field', () => {
    for (const bad of ['\u0000', 'a\u0000b', 'a\u0001', 'x\u001fy', 'del\u007f', 'a\nb', 'a\tb']) {
      expect(codes(listQuery.safeParse({ q: bad })), JSON.stringify(bad)).toEqual(['q:FIELD_CONTROL_CHARS']);
    }
    expect(codes(listQuery.safeParse({ sort: '-name\u0000' }))).toEqual(['sort:FIELD_CONTROL_CHARS']);
  });
  it('accepts ordinary text, and whitespace a trim drops at either end', () => {
    expect(safeString().safeParse('宁夏 枸杞 A-1').success).toBe(true);
    expect(safeString().trim().parse(' 名称\n')).toBe('名称');
  });
});

describe('safeMultiline: notes may span lines', () => {
  it('accepts tab, line feed and carriage return, refuses NUL and the other control characters', () => {
    expect(safeMultiline().safeParse('第一行\r\n第二行\t备注').success).toBe(true);
    for (const bad of ['\u0000', 'a\u0008b', 'a\u000bb', 'a\u001b[31m']) expect(safeMultiline().safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});

describe('the request-wide net names the field holding a control character', () => {
  it('query and path values when the URL has an encoded control character; body strings and keys always', () => {
    expect(controlCharFields('/api/x?q=%00', {}, { q: '\u0000' }, undefined)).toEqual([{ field: 'q', code: 'FIELD_CONTROL_CHARS' }]);
    expect(controlCharFields('/api/x/%01', { id: '\u0001' }, {}, undefined)).toEqual([{ field: 'id', code: 'FIELD_CONTROL_CHARS' }]);
    expect(controlCharFields('/api/x', {}, {}, { a: [{ b: 'ok' }, { b: 'n\u0000' }] })).toEqual([{ field: 'a.1.b', code: 'FIELD_CONTROL_CHARS' }]);
    expect(controlCharFields('/api/x', {}, {}, { value: { 'k\u0000': 1 } })).toEqual([{ field: 'value.k\u0000', code: 'FIELD_CONTROL_CHARS' }]);
    expect(controlCharFields('/api/x?q=%20a', {}, { q: ' a' }, { note: 'line\nline\ttab' })).toEqual([]);
  });
});
