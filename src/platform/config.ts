import net from 'node:net';
import path from 'node:path';

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  adminPassword: string | undefined;
  demo: boolean;
  secret: string | undefined;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  bodyLimitBytes: number;
  logLevel: string;
  workers: boolean;
  /** The address people reach the app at (QR codes, links); its origin is also accepted by the CSRF guard. */
  publicBaseUrl: string | undefined;
  /** Proxies whose X-Forwarded-For/-Proto/-Host are believed: addresses/CIDRs, a hop count, or none (false). */
  trustProxy: false | number | string[];
};

/** proxy-addr's names for address ranges, accepted in TRUST_PROXY beside addresses and CIDRs. */
const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGES.has(entry) || net.isIP(entry)) return true;
  const [addr, bits, ...rest] = entry.split('/');
  if (rest.length || !addr || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
  const family = net.isIP(addr);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * The trustProxy option for Fastify. A hop count becomes "the nearest n addresses are proxies" (Fastify itself refuses
 * plain numbers since any direct client could then claim an address): only for a server reachable through its proxies only.
 */
export function trustProxyOption(trust: Config['trustProxy']): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') return trust;
  return (_address, hop) => hop < trust;
}

/**
 * `TRUST_PROXY`: unset, empty or `0` = no proxy is trusted (the client address is the socket's); a whole number = that
 * many proxy hops in front of the server; otherwise a comma list of proxy addresses or CIDRs (`10.0.0.1, 172.16.0.0/12`,
 * or `loopback`/`linklocal`/`uniquelocal`). Anything else stops the start with a message naming the entry.
 */
export function parseTrustProxy(value: string | undefined): false | number | string[] {
  const v = (value ?? '').trim();
  if (v === '' || v === '0' || v.toLowerCase() === 'false') return false;
  if (/^\d+$/.test(v)) return Number(v);
  const entries = v
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const e of entries)
    if (!isProxyAddress(e)) throw new Error(`TRUST_PROXY: "${e}" is not an IP address, a CIDR range (10.0.0.0/8) or a hop count / 不是 IP 地址、CIDR 网段或代理层数`);
  return entries;
}

/** Reads the process environment into a typed configuration (README documents each variable). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.AGRI_OMS_DATA_DIR ?? 'data'),
    adminPassword: env.AGRI_OMS_ADMIN_PASSWORD || undefined,
    demo: env.AGRI_OMS_DEMO !== '0',
    secret: env.AGRI_OMS_SECRET || undefined,
    sessionIdleMinutes: Number(env.AGRI_OMS_SESSION_IDLE_MINUTES ?? 120),
    sessionAbsoluteHours: Number(env.AGRI_OMS_SESSION_ABSOLUTE_HOURS ?? 12),
    bodyLimitBytes: Number(env.AGRI_OMS_BODY_LIMIT ?? 1_048_576),
    logLevel: env.LOG_LEVEL ?? 'warn',
    workers: env.AGRI_OMS_WORKERS !== '0',
    publicBaseUrl: env.PUBLIC_BASE_URL || undefined,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
  };
}
