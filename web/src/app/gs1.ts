/**
 * Reads what a barcode scanner or a paste puts into a lot field: a plain lot code, a GS1 element string with
 * bracketed AIs (`(01)06901234567892(10)LOT-1`, as printed under our GS1-128 labels), a raw GS1 scan (AIs run
 * together, variable-length fields ended by FNC1, transmitted as GS U+001D, optionally after a symbology identifier
 * such as `]C1` or `]d2`), or a GS1 Digital Link URL (`https://…/01/<GTIN>/10/<lot>?17=…`, as in our label QR codes).
 * The server writes these in src/modules/trace/labels.service.ts (gs1ElementString, digitalLinkOf).
 */

export type ScanKind = 'plain' | 'element-string' | 'raw' | 'digital-link';

export type Scan = {
  kind: ScanKind;
  /** The batch/lot number (AI 10), or the whole text when it is a plain code. */
  lot?: string;
  /** GTIN-14 (AI 01), when present and its check digit is right. */
  gtin?: string;
  /** Serial number (AI 21). */
  serial?: string;
  /** Every element read, by AI. */
  ais: Record<string, string>;
};

const GS = '\u001d';

/** AIs with a fixed data length (digits after the AI); all others are variable length, ended by FNC1 or the end. */
const FIXED: Record<string, number> = {
  '00': 18,
  '01': 14,
  '02': 14,
  '03': 14,
  '11': 6,
  '12': 6,
  '13': 6,
  '15': 6,
  '16': 6,
  '17': 6,
  '20': 2,
  '410': 13,
  '411': 13,
  '412': 13,
  '413': 13,
  '414': 13,
  '415': 13,
  '416': 13,
  '417': 13,
};
/** Variable-length AIs this reader knows (a raw scan is parsed as far as its AIs are known). */
const VARIABLE = new Set([
  '10',
  '21',
  '22',
  '235',
  '240',
  '241',
  '242',
  '250',
  '251',
  '253',
  '254',
  '30',
  '37',
  '400',
  '401',
  '402',
  '403',
  '420',
  '421',
  '422',
  '7003',
  '8004',
  '8008',
  '8020',
  '90',
  '91',
  '92',
  '93',
  '94',
  '95',
  '96',
  '97',
  '98',
  '99',
]);
/** Digital Link primary keys, and the keys and qualifiers that may follow them in the path. */
const PRIMARY = new Set(['00', '01', '253', '255', '401', '402', '414', '417', '8003', '8004', '8006', '8010', '8013', '8017', '8018']);
const DL_KEYS = new Set(['00', '01', '02', '10', '21', '22', '235', '253', '254', '255', '401', '402', '414', '417', '8003', '8004', '8006', '8010', '8013', '8017', '8018']);

/** GS1 check digit over GTIN-8/12/13/14. */
export function isValidGtin(gtin: string): boolean {
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(gtin)) return false;
  const digits = [...gtin].map(Number);
  const check = digits.pop()!;
  let sum = 0;
  digits.reverse().forEach((d, i) => {
    sum += d * (i % 2 === 0 ? 3 : 1);
  });
  return (10 - (sum % 10)) % 10 === check;
}

/** The known AI that starts at `s[i]`, or null. */
function aiAt(s: string, i: number): string | null {
  for (const len of [2, 3, 4]) {
    const ai = s.slice(i, i + len);
    if (!/^\d+$/.test(ai) || ai.length < len) return null;
    if (ai in FIXED || VARIABLE.has(ai)) return ai;
    // measures: 31nn–36nn (weights, lengths) carry 6 digits after a 4-digit AI
    if (len === 4 && /^3[1-6]\d\d$/.test(ai)) return ai;
    if (len === 4 && /^7(00[1-9]|01\d)$/.test(ai)) return ai;
  }
  return null;
}

function fixedLength(ai: string): number | undefined {
  if (ai in FIXED) return FIXED[ai];
  if (/^3[1-6]\d\d$/.test(ai)) return 6;
  return undefined;
}

/** Parses AIs run together; variable fields end at GS. Stops at the first unknown AI. */
function parseRaw(body: string): Record<string, string> | null {
  const ais: Record<string, string> = {};
  let i = 0;
  while (i < body.length) {
    if (body[i] === GS) {
      i++;
      continue;
    }
    const ai = aiAt(body, i);
    if (!ai) return Object.keys(ais).length ? ais : null;
    i += ai.length;
    const fixed = fixedLength(ai);
    if (fixed !== undefined) {
      ais[ai] = body.slice(i, i + fixed);
      i += fixed;
    } else {
      const end = body.indexOf(GS, i);
      ais[ai] = body.slice(i, end === -1 ? undefined : end);
      i = end === -1 ? body.length : end + 1;
    }
  }
  return ais;
}

function parseBracketed(s: string): Record<string, string> | null {
  const re = /\((\d{2,4})\)([^()]*)/g;
  const ais: Record<string, string> = {};
  let rest = s;
  for (const m of s.matchAll(re)) {
    ais[m[1]] = m[2].replace(new RegExp(GS, 'g'), '').trim();
    rest = rest.replace(m[0], '');
  }
  return Object.keys(ais).length && rest.trim() === '' ? ais : null;
}

function parseDigitalLink(s: string): Record<string, string> | null {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const segments = url.pathname.split('/').filter(Boolean);
  // the path may start with the resolver's own prefix; the GS1 part begins at its primary key
  let start = segments.findIndex((seg, i) => PRIMARY.has(seg) && i < segments.length - 1);
  if (start < 0) start = segments.findIndex((seg, i) => seg === '10' && i < segments.length - 1);
  const ais: Record<string, string> = {};
  if (start >= 0) {
    for (let i = start; i + 1 < segments.length && DL_KEYS.has(segments[i]); i += 2) {
      let v = segments[i + 1];
      try {
        v = decodeURIComponent(v);
      } catch {
        // keep as written
      }
      ais[segments[i]] = v;
    }
  }
  for (const [k, v] of url.searchParams) if (/^\d{2,4}$/.test(k) && !(k in ais)) ais[k] = v;
  return ais['01'] || ais['10'] ? ais : null;
}

function toScan(kind: ScanKind, ais: Record<string, string>): Scan {
  const scan: Scan = { kind, ais };
  if (ais['10']) scan.lot = ais['10'];
  if (ais['21']) scan.serial = ais['21'];
  const g = ais['01'];
  if (g && isValidGtin(g)) scan.gtin = g.padStart(14, '0');
  return scan;
}

const SYMBOLOGY = /^\](C1|e0|e1|d1|d2|Q3|J1)/;

/** Reads a scanned or pasted lot field; anything that is not GS1 is a plain code (trimmed). */
export function parseScan(input: string): Scan {
  const text = input.replace(/[\r\n]+$/g, '').trim();
  if (/^https?:\/\//i.test(text)) {
    const ais = parseDigitalLink(text);
    if (ais) return toScan('digital-link', ais);
  }
  if (text.startsWith('(')) {
    const ais = parseBracketed(text);
    if (ais) return toScan('element-string', ais);
  }
  const sym = SYMBOLOGY.exec(text);
  // A raw scan is recognised by its symbology identifier, a GS separator, or a leading (01) GTIN-14 with more after it.
  if (sym || text.includes(GS) || /^01\d{14}(\d|$)/.test(text.startsWith(GS) ? text.slice(1) : text)) {
    const ais = parseRaw(sym ? text.slice(sym[0].length) : text);
    if (ais && (ais['01'] || ais['10'])) return toScan('raw', ais);
  }
  return { kind: 'plain', lot: text || undefined, ais: {} };
}

/** The text to search lots by: the lot of a GS1 scan, or the typed text. */
export function lotSearchText(input: string): string {
  const scan = parseScan(input);
  return scan.lot ?? (scan.kind === 'plain' ? input.trim() : '');
}
