import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type PiiCipher = {
  encrypt: (plain: string) => string;
  decrypt: (blob: string) => string;
  /** Keyed HMAC of a normalised value: lets us look up by exact phone/email without storing it in clear. */
  blindIndex: (value: string) => string;
  /** Keyed HMAC for the audit hash chain and its anchors: without the key a changed row cannot be re-hashed. */
  auditMac: (data: string) => string;
};

function deriveKeys(master: Buffer): { enc: Buffer; mac: Buffer; audit: Buffer } {
  const enc = Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), 'agri-oms pii enc', 32));
  const mac = Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), 'agri-oms pii index', 32));
  const audit = Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), 'agri-oms audit chain', 32));
  return { enc, mac, audit };
}

/** Where the master key came from: AGRI_OMS_SECRET, the key file beside the data, or a key file created by this start. */
export type MasterKey = { key: Buffer; source: 'secret' | 'file' | 'new-file'; file: string };

/** The master key: AGRI_OMS_SECRET when set, otherwise a key file generated once beside the data. */
export function loadMasterKey(secret: string | undefined, dataDir: string): Buffer {
  return loadMasterKeyInfo(secret, dataDir).key;
}

/** loadMasterKey() telling where the key came from (for the start-up check of its fingerprint). */
export function loadMasterKeyInfo(secret: string | undefined, dataDir: string): MasterKey {
  const file = path.join(dataDir, 'secret.key');
  if (secret) return { key: crypto.createHash('sha256').update(secret).digest(), source: 'secret', file };
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    return { key: Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64'), source: 'file', file };
  } catch {
    const key = crypto.randomBytes(32);
    try {
      fs.writeFileSync(file, key.toString('base64'), { mode: 0o600, flag: 'wx' });
      return { key, source: 'new-file', file };
    } catch {
      return { key: Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64'), source: 'file', file };
    }
  }
}

/** A public name of the master key (HMAC-SHA256 of a fixed label under it, 16 hex digits): stored in the database, checked at every start. */
export function keyFingerprint(master: Buffer): string {
  return crypto.createHmac('sha256', master).update('agri-oms key fingerprint v1').digest('hex').slice(0, 16);
}

/** The database was encrypted with another key than this instance's: start-up refuses (a console message in both languages). */
export class KeyMismatchError extends Error {
  constructor(
    readonly stored: string | null,
    readonly mine: string,
    key: MasterKey,
  ) {
    const from = {
      secret: { en: 'from AGRI_OMS_SECRET', zh: '来自 AGRI_OMS_SECRET' },
      file: { en: `from the key file ${key.file}; AGRI_OMS_SECRET is not set`, zh: `来自密钥文件 ${key.file};未设置 AGRI_OMS_SECRET` },
      'new-file': { en: `a new key file ${key.file} created because AGRI_OMS_SECRET is not set`, zh: `因未设置 AGRI_OMS_SECRET 而新建的密钥文件 ${key.file}` },
    }[key.source];
    const storedEn = stored ? `the key with fingerprint ${stored}` : 'another key';
    const storedZh = stored ? `指纹为 ${stored} 的密钥` : '另一把密钥';
    super(
      `The encryption key does not match the database: its personal data is encrypted with ${storedEn}, this instance's key has fingerprint ${mine} (${from.en}). ` +
        `Set AGRI_OMS_SECRET to the value the other instances of this database use (on the embedded database you may instead restore the data directory's secret.key); ` +
        `every instance of one database must use the same AGRI_OMS_SECRET. Nothing was changed.\n` +
        `加密密钥与数据库不符:数据库中的个人信息以${storedZh}加密,本实例的密钥指纹为 ${mine}(${from.zh})。` +
        `请将 AGRI_OMS_SECRET 设为该数据库其他实例所用的同一值(内嵌数据库也可恢复数据目录中的 secret.key);同一数据库的所有实例必须使用同一个 AGRI_OMS_SECRET。未做任何更改。`,
    );
  }
}

export function normaliseForIndex(value: string): string {
  return value.trim().toLowerCase().replace(/[\s-]/g, '');
}

/** AES-256-GCM with a random 96-bit nonce per value; format v1:<nonce>:<tag>:<ciphertext> in base64url. */
export function createPiiCipher(master: Buffer): PiiCipher {
  const { enc, mac, audit } = deriveKeys(master);
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const c = crypto.createCipheriv('aes-256-gcm', enc, iv);
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), ct.toString('base64url')].join(':');
    },
    decrypt(blob) {
      const [v, iv, tag, ct] = blob.split(':');
      if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('Unknown ciphertext format');
      const d = crypto.createDecipheriv('aes-256-gcm', enc, Buffer.from(iv, 'base64url'));
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
    },
    blindIndex(value) {
      return crypto.createHmac('sha256', mac).update(normaliseForIndex(value)).digest('base64url');
    },
    auditMac(data) {
      return crypto.createHmac('sha256', audit).update(data).digest('hex');
    },
  };
}

/** Masks personal data for roles without the PII permission: 138****5678, z***@example.com, 上海市****. */
export function mask(value: string | null, kind: 'phone' | 'email' | 'text' = 'text'): string | null {
  if (value === null) return null;
  if (kind === 'email') {
    const [user, domain] = value.split('@');
    if (!domain || !user) return '***';
    return `${user.slice(0, 1)}***@${domain}`;
  }
  if (kind === 'phone') {
    const digits = value.replace(/\s/g, '');
    if (digits.length <= 4) return '****';
    return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  }
  const chars = [...value];
  return chars.length <= 2 ? '**' : `${chars.slice(0, Math.min(6, Math.ceil(chars.length / 3))).join('')}****`;
}

let active: PiiCipher | null = null;

/** Installs the process-wide cipher at start-up (the key is configuration, not state). */
export function initPii(cipher: PiiCipher): void {
  active = cipher;
}

export function pii(): PiiCipher {
  if (!active) throw new Error('PII cipher not initialised');
  return active;
}

/** What a reader sees instead of a stored value the key cannot open (never a 500). */
export const UNDECRYPTABLE = '[无法解密 / cannot decrypt]';

type DecryptFailureLog = (info: { error: string }, msg: string) => void;
let logDecryptFailure: DecryptFailureLog = (info, msg) => console.error(`${msg}: ${info.error}`);

/** Where reads report values they could not decrypt (the app's logger once it is built). */
export function setDecryptFailureLog(log: DecryptFailureLog): void {
  logDecryptFailure = log;
}

/** Decrypts a stored value for reading: a value the key cannot open is logged and shown as UNDECRYPTABLE. */
export function openPii(blob: string | null | undefined): string | null {
  if (blob === null || blob === undefined || blob === '') return null;
  try {
    return pii().decrypt(blob);
  } catch (err) {
    logDecryptFailure({ error: err instanceof Error ? err.message : String(err) }, 'personal data value cannot be decrypted');
    return UNDECRYPTABLE;
  }
}

/** The value as a viewer may see it: in clear with `pii:read`, masked without; UNDECRYPTABLE stays as it is. */
export function shown(value: string | null, showPii: boolean, kind: 'phone' | 'email' | 'text' = 'text'): string | null {
  if (value === null || value === UNDECRYPTABLE || showPii) return value;
  return mask(value, kind);
}

/**
 * How a name that is personal data is stored: the plain column keeps only its masked form (what every list, export and
 * snapshot shows by default), `enc` the ciphertext and `idx` the blind index (exact search by roles with pii:read).
 */
export function sealedName(name: string, personal: boolean): { name: string; enc: string | null; idx: string | null } {
  if (!personal) return { name, enc: null, idx: null };
  return { name: mask(name, 'text') ?? '', enc: pii().encrypt(name), idx: pii().blindIndex(name) };
}

/** A JSON document stored encrypted (saved idempotent answers, outbox payloads): `{ "enc": "v1:…" }`. */
export type SealedJson = { enc: string };

export function sealJson(value: unknown): SealedJson {
  return { enc: pii().encrypt(JSON.stringify(value ?? null)) };
}

export function isSealedJson(value: unknown): value is SealedJson {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as SealedJson).enc === 'string';
}

/** Opens sealJson()'s document; a document stored before (plain JSON) is returned as it is. */
export function openJson(value: unknown): unknown {
  if (!isSealedJson(value)) return value;
  return JSON.parse(pii().decrypt(value.enc)) as unknown;
}

/** Fields that hold personal data by name: kept masked (as a role without pii:read sees them). */
const PII_FIELDS: [RegExp, 'phone' | 'email' | 'text'][] = [
  [/phone|mobile|recipient/i, 'phone'],
  [/e-?mail/i, 'email'],
  [/^(receiver|address|contactName|prospectName|receiverName)$/i, 'text'],
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A mainland mobile number (also written 139 1234 5678 / 139-1234-5678) or an e-mail address inside any text. */
const PHONE_IN_TEXT = /(?<![0-9A-Za-z])1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?![0-9A-Za-z])/g;
const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** Masks phone numbers and e-mail addresses wherever they appear in a text (notes, reasons, free descriptions). */
export function maskPiiInText(text: string): string {
  if (UUID.test(text)) return text;
  return text.replace(PHONE_IN_TEXT, (m) => mask(m.replace(/[\s-]/g, ''), 'phone')!).replace(EMAIL_IN_TEXT, (m) => mask(m, 'email')!);
}

/** A string value under the given field name, masked when the name says it is personal data and wherever it holds a phone or e-mail. */
export function maskPiiField(key: string, value: string): string {
  const kind = key ? PII_FIELDS.find(([re]) => re.test(key))?.[1] : undefined;
  if (kind && value !== UNDECRYPTABLE && !value.includes('****') && !value.includes('***@')) return mask(value, kind === 'phone' && value.includes('@') ? 'email' : kind) ?? '';
  return maskPiiInText(value);
}
