import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dateTime } from './schemas.js';
import { fastJsonSchema, serializerCompiler } from './serializer.js';

const compile = (schema: z.ZodType) => serializerCompiler({ schema, method: 'GET', url: '/x', httpStatus: '200' } as never) as (data: unknown) => string;
const zodEncode = (schema: z.ZodType, data: unknown) => JSON.stringify(z.encode(schema, data as never));

const order = z.object({
  id: z.string(),
  number: z.string(),
  totalFen: z.number().int(),
  cold: z.boolean(),
  status: z.enum(['draft', 'approved']),
  note: z.string().nullable(),
  owner: z.object({ id: z.string(), name: z.string() }).nullable(),
  tags: z.array(z.string()),
  deliveredAt: dateTime.nullable(),
  createdAt: dateTime,
  lines: z.array(z.object({ productId: z.string(), quantity: z.string(), unit: z.string(), discount: z.number().optional() })),
  extra: z.record(z.string(), z.string()),
});

const sample = {
  id: '01a2',
  number: 'SO20261127-0001',
  totalFen: 123_456,
  cold: true,
  status: 'approved',
  note: '引号 " 和 \\ 反斜杠\n换行',
  owner: null,
  tags: ['水果', 'vip'],
  deliveredAt: null,
  createdAt: new Date('2026-11-27T06:30:00.123Z'),
  lines: [{ productId: 'p1', quantity: '10.500', unit: '箱', internal: 'not declared' }],
  extra: { a: 'b' },
  secretNotDeclared: 'must not leak',
};

describe('response serialiser', () => {
  it('writes the same JSON as the Zod encoder: declared keys only, nulls, dates as ISO strings, escapes, optional keys left out', () => {
    expect(JSON.parse(compile(order)(sample))).toEqual(JSON.parse(zodEncode(order, sample)));
    expect(compile(order)(sample)).not.toContain('must not leak');
    expect(compile(order)(sample)).not.toContain('not declared');
    const withOwner = { ...sample, owner: { id: 'u1', name: '张三', pwd: 'x' }, deliveredAt: new Date('2026-11-28T00:00:00Z') };
    expect(JSON.parse(compile(order)(withOwner))).toEqual(JSON.parse(zodEncode(order, withOwner)));
  });

  it('uses fast-json-stringify for plain schemas and keeps the Zod encoder for unions, tuples and transforms', () => {
    expect(fastJsonSchema(z.toJSONSchema(order, { io: 'input' }))).not.toBeNull();
    expect(fastJsonSchema(z.toJSONSchema(z.union([z.object({ a: z.string() }), z.object({ b: z.number() })]), { io: 'input' }))).toBeNull();
    expect(fastJsonSchema(z.toJSONSchema(z.tuple([z.string(), z.number()]), { io: 'input' }))).toBeNull();
    const union = z.object({ v: z.union([z.string(), z.number()]) });
    expect(compile(union)({ v: 3 })).toBe('{"v":3}');
    const transformed = z.object({ n: z.string().transform((s) => s.length) });
    expect(() => compile(transformed)({ n: 3 })).toThrow();
  });

  it('fails loudly, like the Zod encoder, when a required field is missing', () => {
    const { note: _note, ...missing } = sample;
    expect(() => compile(order)(missing)).toThrow();
  });
});
