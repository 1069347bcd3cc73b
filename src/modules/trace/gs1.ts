/** GS1 identifiers of places: GLN check digits, SGLN URNs and GS1 Digital Link `/414/` URIs. */

/** The GS1 mod-10 check digit of the digits before it (GTIN, GLN, SSCC). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

/** A GLN is 13 digits whose last digit is the check digit of the first twelve. */
export function isValidGln(gln: string): boolean {
  return /^\d{13}$/.test(gln) && gs1CheckDigit(gln.slice(0, 12)) === Number(gln[12]);
}

/** GS1 company prefixes are 6 to 12 digits. */
export const isCompanyPrefix = (p: string): boolean => /^\d{6,12}$/.test(p);

const escapeExt = (ext: string): string => ext.replace(/[^A-Za-z0-9!'()*+,\-.:;=_]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

/**
 * The EPCIS identifier of a place with a GLN: an SGLN URN when the company prefix is known and the GLN starts with it
 * (`urn:epc:id:sgln:<prefix>.<locationRef>.<extension>`), else the GS1 Digital Link `https://id.gs1.org/414/<GLN>`
 * (`/254/<extension>` for a spot inside the site). An extension GS1 does not allow (longer than 20) is left out.
 */
export function glnPlaceUri(gln: string, companyPrefix: string, extension?: string | null): string {
  const ext = extension && /^[\x21-\x7e]{1,20}$/.test(extension) ? extension : null;
  if (companyPrefix && isCompanyPrefix(companyPrefix) && gln.startsWith(companyPrefix)) {
    return `urn:epc:id:sgln:${companyPrefix}.${gln.slice(companyPrefix.length, 12)}.${ext ? escapeExt(ext) : '0'}`;
  }
  return `https://id.gs1.org/414/${gln}${ext ? `/254/${encodeURIComponent(ext)}` : ''}`;
}

/**
 * Parses the per-place GLN setting: one `CODE=GLN` per line (or separated by `;`/`,`), CODE being a warehouse, base,
 * field or customer code. Returns the map, or the first bad entry.
 */
export function parseGlnMap(text: string): { map: Map<string, string> } | { bad: { entry: string; gln: string } } {
  const map = new Map<string, string>();
  for (const raw of text.split(/[\n;,]+/)) {
    const entry = raw.trim();
    if (!entry) continue;
    const m = /^([^=\s]+)\s*=\s*(\S*)$/.exec(entry);
    const gln = m?.[2] ?? '';
    if (!m || !isValidGln(gln)) return { bad: { entry, gln } };
    map.set(m[1]!.toUpperCase(), gln);
  }
  return { map };
}
