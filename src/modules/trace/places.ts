import type { Db } from '../../platform/db/client.js';
import { locationPlaces, type LocationPlace } from '../inventory/index.js';
import { glnPlaceUri } from './gs1.js';
import { gs1Config, type Gs1Config } from './trace.settings.js';

export const ID_BASE = 'https://id.agri-oms.cn';

/** A place as EPCIS and FSMA 204 name it: readPoint (the exact spot) and bizLocation (the site), with its GLN when set. */
export type Place = { readPoint: string; bizLocation: string; name: string; gln: string | null; address: string | null };

/** A bin of a warehouse: the warehouse's GLN (+ the bin code as GLN extension) or this system's URIs. */
export function binPlace(cfg: Gs1Config, l: LocationPlace): Place {
  const gln = cfg.glns.get(l.warehouseCode.toUpperCase()) ?? null;
  return {
    readPoint: gln ? glnPlaceUri(gln, cfg.companyPrefix, l.code) : `${ID_BASE}/loc/${l.id}`,
    bizLocation: gln ? glnPlaceUri(gln, cfg.companyPrefix) : `${ID_BASE}/site/${encodeURIComponent(l.warehouseCode)}`,
    name: `${l.warehouseName} (${l.warehouseCode}) ${l.code}`,
    gln,
    address: l.warehouseAddress,
  };
}

/** A field of a base: the field's own GLN, else the base's GLN with the field code as extension, else our URI. */
export function fieldPlace(cfg: Gs1Config, f: { code: string; name: string; baseCode: string; baseName: string; address?: string | null }): Place {
  const own = cfg.glns.get(f.code.toUpperCase());
  const base = cfg.glns.get(f.baseCode.toUpperCase());
  const uri = `${ID_BASE}/field/${encodeURIComponent(f.code)}`;
  return {
    readPoint: own ? glnPlaceUri(own, cfg.companyPrefix) : base ? glnPlaceUri(base, cfg.companyPrefix, f.code) : uri,
    bizLocation: own ? glnPlaceUri(own, cfg.companyPrefix) : base ? glnPlaceUri(base, cfg.companyPrefix) : uri,
    name: `${f.baseName} ${f.name} (${f.code})`,
    gln: own ?? base ?? null,
    address: f.address ?? null,
  };
}

/** The places of many bins at once. */
export async function binPlaces(db: Db, locationIds: string[]): Promise<Map<string, Place>> {
  const [cfg, rows] = await Promise.all([gs1Config(db), locationPlaces(db, locationIds)]);
  return new Map([...rows].map(([id, l]) => [id, binPlace(cfg, l)]));
}
