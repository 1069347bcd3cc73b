import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './helpers/app.js';

/**
 * Walks every operation of the OpenAPI document and sends, for each parameter (path, query, top-level JSON body
 * property), values a client should never send: NUL, a 10 000-character string, the wrong type, out-of-range numbers,
 * a date in year 0106, and for path ids a non-UUID and a random UUID. No answer may be a 5xx.
 */

type Param = { name: string; in: 'path' | 'query' | 'header' | 'cookie' };
type Operation = {
  parameters?: Param[];
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
  responses?: Record<string, unknown>;
};
type Doc = { paths: Record<string, Record<string, Operation>> };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
// Would end or change the admin session the walk runs on.
const SKIP = [/^\/api\/auth\/logout$/, /^\/api\/auth\/me/, /password/];

const LONG = 'x'.repeat(10_000);
const VALUE_VARIANTS: { name: string; query: string; body: unknown }[] = [
  { name: 'NUL', query: '%00', body: '\u0000' },
  { name: 'control', query: 'a%01b', body: 'a\u001bb' },
  { name: 'long', query: LONG, body: LONG },
  { name: 'wrong type', query: '{"a":1}', body: { a: 1 } },
  { name: 'string for number', query: 'abc', body: 'abc' },
  { name: 'negative', query: '-1', body: -1 },
  { name: 'huge', query: '1e12', body: 1e12 },
  { name: 'year 0106', query: '0106-01-01', body: '0106-01-01' },
];
const PATH_VARIANTS = ['not-a-uuid', '00000000-0000-7000-8000-000000000000', '%00', 'x'.repeat(90)];

let t: TestApp;
let cookie: string;
beforeAll(async () => {
  t = await testApp();
  cookie = (await t.loginAs(['admin'], { username: 'fuzz_admin' })).cookie;
});
afterAll(async () => t?.close());

const fill = (path: string, value: string) => path.replace(/\{[^}]+\}/g, value);

describe('the fuzz walk over every route of the OpenAPI document', () => {
  it('no parameter value answers 5xx (NUL, over-long, wrong type, out-of-range, year 0106, bad ids)', async () => {
    const doc = t.app.swagger() as unknown as Doc;
    const failures: string[] = [];
    const undocumented = new Set<string>();
    let sent = 0;
    let op: Operation | undefined;
    let opName = '';
    const send = async (method: string, url: string, what: string, payload?: unknown) => {
      sent++;
      const res = await t.app.inject({
        method: method.toUpperCase() as 'GET',
        url,
        headers: { cookie, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
      });
      if (res.statusCode >= 500) failures.push(`${method.toUpperCase()} ${url.slice(0, 160)} [${what}] → ${res.statusCode} ${res.body.slice(0, 200)}`);
      else if (!(String(res.statusCode) in (op?.responses ?? {}))) undocumented.add(`${opName} → ${res.statusCode}`);
    };
    for (const [path, item] of Object.entries(doc.paths)) {
      if (SKIP.some((r) => r.test(path))) continue;
      for (const method of METHODS) {
        op = item[method];
        opName = `${method.toUpperCase()} ${path}`;
        if (!op) continue;
        const content = op.requestBody?.content ?? {};
        if (Object.keys(content).some((c) => c.startsWith('multipart/'))) continue;
        const hasBody = 'application/json' in content;
        const base = fill(path, crypto.randomUUID());
        const params = op.parameters ?? [];
        for (const p of params.filter((x) => x.in === 'path')) {
          for (const v of PATH_VARIANTS) {
            await send(method, path.replace(`{${p.name}}`, v).replace(/\{[^}]+\}/g, crypto.randomUUID()), `path ${p.name}=${v.slice(0, 20)}`, hasBody ? {} : undefined);
          }
        }
        for (const p of params.filter((x) => x.in === 'query')) {
          for (const v of VALUE_VARIANTS) await send(method, `${base}?${encodeURIComponent(p.name)}=${v.query}`, `query ${p.name} ${v.name}`, hasBody ? {} : undefined);
        }
        if (hasBody) {
          const props = Object.keys(content['application/json']?.schema?.properties ?? {});
          for (const name of props) for (const v of VALUE_VARIANTS) await send(method, base, `body ${name} ${v.name}`, { [name]: v.body });
          await send(method, base, 'body as array', [LONG]);
        }
      }
    }
    expect(sent).toBeGreaterThan(500);
    expect(failures).toEqual([]);
    // Every status code a route can answer is in the OpenAPI document.
    expect([...undocumented].sort()).toEqual([]);
  }, 120_000);
});
