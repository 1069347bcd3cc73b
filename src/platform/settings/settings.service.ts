import { eq, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { recordAudit } from '../audit/audit.service.js';
import { statement, type Db } from '../db/client.js';
import { readCache } from '../db/read-cache.js';
import { DomainError, defineErrors, errorMessage, type FieldIssue } from '../errors/domain-error.js';
import { pick, type Locale, type Text } from '../i18n/locale.js';
import { settings } from '../platform.tables.js';

export const SettingsErrors = defineErrors({
  SETTING_UNKNOWN: { status: 404, zh: '参数 {key} 不存在。', en: 'Setting {key} does not exist.' },
  SETTING_INVALID: { status: 400, zh: '参数 {key} 的取值无效:{reason}', en: 'Invalid value for {key}: {reason}' },
});

type Base = { key: string; module: string; label: Text; description: Text; unit?: Text };
export type SettingDef =
  | (Base & { type: 'integer' | 'number'; default: number; min?: number; max?: number })
  | (Base & { type: 'boolean'; default: boolean })
  | (Base & {
      type: 'string';
      default: string;
      maxLength?: number;
      /** A module's own check of the text (e.g. GS1 identifiers): the field issue to answer, or null when valid. */
      check?: (value: string) => FieldIssue | null;
    })
  | (Base & { type: 'enum'; default: string; options: readonly string[] });

type ValueOf<D extends SettingDef> = D['default'];

const registry = new Map<string, SettingDef>();

/** Declares a policy parameter with its default; modules call this at import time. */
export function defineSetting<const D extends SettingDef>(def: D): D {
  registry.set(def.key, def);
  return def;
}

export function settingDefs(): SettingDef[] {
  return [...registry.values()].sort((a, b) => a.module.localeCompare(b.module) || a.key.localeCompare(b.key));
}

function validate(def: SettingDef, value: unknown): string | null {
  switch (def.type) {
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'number';
      if (def.type === 'integer' && !Number.isInteger(value)) return 'integer';
      if (def.min !== undefined && value < def.min) return `>= ${def.min}`;
      if (def.max !== undefined && value > def.max) return `<= ${def.max}`;
      return null;
    case 'boolean':
      return typeof value === 'boolean' ? null : 'boolean';
    case 'string':
      return typeof value === 'string' && value.length <= (def.maxLength ?? 500) ? null : 'string';
    case 'enum':
      return typeof value === 'string' && def.options.includes(value) ? null : def.options.join('|');
    default: {
      const never: never = def;
      return String(never);
    }
  }
}

/** Every stored setting, read once per database and kept for 2 s (updateSetting() clears it in this process). */
const allSettings = statement<{ key: string; value: unknown }>('settings_all', () => sql`select key, value from settings`);
const stored = readCache<Map<string, unknown>>(2_000);
const storedSettings = (db: Db) => stored.get(db, async () => new Map((await allSettings(db, {})).map((r) => [r.key, r.value])));

/** The current value of a setting (its default when never changed). */
export async function getSetting<D extends SettingDef>(db: Db, def: D): Promise<ValueOf<D>> {
  const m = await storedSettings(db);
  return (m.has(def.key) ? m.get(def.key) : def.default) as ValueOf<D>;
}

/** Several settings at once. */
export async function getSettings(db: Db, defs: SettingDef[]): Promise<Map<string, unknown>> {
  const m = await storedSettings(db);
  return new Map<string, unknown>(defs.map((d) => [d.key, m.has(d.key) ? m.get(d.key) : d.default]));
}

export type SettingView = {
  key: string;
  module: string;
  type: SettingDef['type'];
  options?: string[];
  value: unknown;
  defaultValue: unknown;
  label: string;
  description: string;
  unit: string | null;
  updatedAt: Date | null;
  updatedBy: string | null;
};

export async function listSettings(db: Db, locale: Locale): Promise<SettingView[]> {
  const rows = await db.select().from(settings);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  return settingDefs().map((d) => view(d, byKey.get(d.key), locale));
}

function view(d: SettingDef, row: typeof settings.$inferSelect | undefined, locale: Locale): SettingView {
  return {
    key: d.key,
    module: d.module,
    type: d.type,
    options: d.type === 'enum' ? [...d.options] : undefined,
    // drizzle parses a jsonb string once more when the driver already did ("6912345" comes back as a number): a
    // string setting is shown as the string it is.
    value: row ? (d.type === 'string' && row.value != null && typeof row.value !== 'string' ? String(row.value) : row.value) : d.default,
    defaultValue: d.default,
    label: pick(d.label, locale),
    description: pick(d.description, locale),
    unit: d.unit ? pick(d.unit, locale) : null,
    updatedAt: row?.updatedAt ?? null,
    updatedBy: row?.updatedBy ?? null,
  };
}

/** Changes a setting after checking its type and range; audited with before/after. */
export async function updateSetting(db: Db, actor: Actor, key: string, value: unknown): Promise<SettingView> {
  const def = registry.get(key);
  if (!def) throw new DomainError(SettingsErrors.SETTING_UNKNOWN, { key });
  const reason = validate(def, value);
  if (reason) throw new DomainError(SettingsErrors.SETTING_INVALID, { key, reason }, [{ field: 'value', code: 'FIELD_INVALID', params: {} }]);
  const issue = def.type === 'string' && def.check ? def.check(value as string) : null;
  if (issue) throw new DomainError(SettingsErrors.SETTING_INVALID, { key, reason: errorMessage(issue.code, actor.locale, issue.params) }, [{ ...issue, field: 'value' }]);
  const current = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
  const before = current[0] ? current[0].value : def.default;
  stored.clear(db);
  const [row] = await db
    .insert(settings)
    .values({ key, value, updatedBy: actor.username, updatedAt: new Date() })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy: actor.username, updatedAt: new Date() } })
    .returning();
  await recordAudit(db, actor, { action: 'settings.update', entity: 'setting', entityId: key, before: { value: before }, after: { value } });
  return view(def, row, actor.locale);
}
