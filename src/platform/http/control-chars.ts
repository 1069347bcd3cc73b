import { FieldCodes, type FieldIssue } from '../errors/domain-error.js';
import { hasControlChars, hasControlCharsExceptLines } from './schemas.js';

/** A percent-encoded C0 control character or DEL in a URL. */
const ENCODED_CONTROL = /%(?:[01][0-9a-f]|7f)/i;
const MAX_DEPTH = 32;

function walk(value: unknown, path: string, test: (s: string) => boolean, out: FieldIssue[], depth: number): void {
  if (out.length >= 20 || depth > MAX_DEPTH) return;
  if (typeof value === 'string') {
    if (test(value)) out.push({ field: path, code: FieldCodes.FIELD_CONTROL_CHARS });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, path ? `${path}.${i}` : String(i), test, out, depth + 1));
    return;
  }
  if (ArrayBuffer.isView(value) || typeof (value as { pipe?: unknown }).pipe === 'function') return; // buffers, upload streams
  for (const [k, v] of Object.entries(value)) {
    const p = path ? `${path}.${k}` : k;
    if (hasControlCharsExceptLines(k)) out.push({ field: p, code: FieldCodes.FIELD_CONTROL_CHARS });
    else walk(v, p, test, out, depth + 1);
  }
}

/**
 * The fields of a request holding a control character: any in the path or query string (only looked at when the raw URL
 * has an encoded one), NUL and the like in JSON body strings (tab, line feed and carriage return allowed there;
 * the schemas of single-line fields refuse those).
 */
export function controlCharFields(url: string, params: unknown, query: unknown, body: unknown): FieldIssue[] {
  const out: FieldIssue[] = [];
  if (ENCODED_CONTROL.test(url)) {
    walk(params, '', (s) => hasControlChars(s), out, 0);
    walk(query, '', (s) => hasControlChars(s), out, 0);
    if (!out.length) out.push({ field: 'url', code: FieldCodes.FIELD_CONTROL_CHARS });
  }
  if (body !== undefined && body !== null && typeof body === 'object') walk(body, '', hasControlCharsExceptLines, out, 0);
  return out;
}
