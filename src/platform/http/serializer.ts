import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateTime } from './schemas.js';

type Json = Record<string, unknown>;

/** Keywords fast-json-stringify would treat differently from Zod (or not at all): such schemas keep the Zod encoder. */
const UNSUPPORTED = ['oneOf', 'allOf', 'not', 'if', 'then', 'else', '$ref', '$defs', 'definitions', 'patternProperties', 'prefixItems', 'dependentSchemas'];

/**
 * Zod's JSON Schema (the encoded, "input" side) rewritten for fast-json-stringify, or null when it uses a construct
 * whose serialisation could differ: unions other than "X or null", references, tuples, conditionals.
 */
export function fastJsonSchema(node: unknown): Json | null {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return null;
  const src = node as Json;
  if (UNSUPPORTED.some((k) => k in src)) return null;
  const out: Json = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === '$schema' || k === 'pattern' || k === 'description' || k === 'title' || k === 'default') continue;
    if (k === 'anyOf') {
      const list = v as unknown[];
      const nonNull = list.filter((s) => !(typeof s === 'object' && s !== null && (s as Json).type === 'null'));
      if (list.length !== 2 || nonNull.length !== 1) return null;
      const inner = fastJsonSchema(nonNull[0]);
      if (!inner || typeof inner.type !== 'string') return null;
      Object.assign(out, inner, { nullable: true });
      continue;
    }
    if (k === 'properties') {
      const props: Json = {};
      for (const [name, sub] of Object.entries(v as Json)) {
        const s = fastJsonSchema(sub);
        if (!s) return null;
        props[name] = s;
      }
      out.properties = props;
      continue;
    }
    if (k === 'items' || (k === 'additionalProperties' && typeof v === 'object')) {
      const s = fastJsonSchema(v);
      if (!s) return null;
      out[k] = s;
      continue;
    }
    out[k] = v;
  }
  return out;
}

function zodOf(schema: unknown): z.ZodType | null {
  if (schema instanceof z.ZodType) return schema;
  const props = (schema as { properties?: unknown } | null)?.properties;
  return props instanceof z.ZodType ? props : null;
}

/**
 * Response serialiser: a compiled fast-json-stringify function for response schemas that translate plainly to JSON
 * Schema (most of them; it writes only the declared properties, like Zod's encoder strips unknown keys, and
 * `Date`s of date-time fields as ISO strings, like our `dateTime` codec); the Zod encoder of
 * fastify-type-provider-zod for the rest. Saves the Zod walk on every response of the hot read routes.
 */
export const serializerCompiler: FastifySerializerCompiler<unknown> = (route) => {
  const schema = zodOf(route.schema);
  if (schema) {
    let json: Json | null;
    try {
      // Transforms and codecs change values on the way out; only our dateTime codec (Date → ISO string, which
      // fast-json-stringify does for date-time fields) may take the fast path.
      let converts = false;
      const jsonSchema = z.toJSONSchema(schema, {
        io: 'input',
        unrepresentable: 'throw',
        override: (ctx) => {
          const type = (ctx.zodSchema as { _zod: { def: { type: string } } })._zod.def.type;
          if ((type === 'pipe' || type === 'transform') && ctx.zodSchema !== dateTime) converts = true;
        },
      });
      json = converts ? null : fastJsonSchema(jsonSchema);
    } catch {
      json = null; // a transform or another construct JSON Schema cannot express
    }
    if (json) {
      const stringify = fastJson(json);
      return (data: unknown) => stringify(data);
    }
  }
  return zodSerializerCompiler(route as Parameters<typeof zodSerializerCompiler>[0]);
};
