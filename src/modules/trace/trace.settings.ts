import type { Db } from '../../platform/db/client.js';
import { getSettings } from '../../platform/settings/settings.service.js';
import { defineSetting } from '../../platform/settings/settings.service.js';
import { isCompanyPrefix, parseGlnMap } from './gs1.js';
import { TraceErrors } from './trace.errors.js';

const module = 'trace';

export const Gs1CompanyPrefix = defineSetting({
  key: 'trace.gs1.companyPrefix',
  module,
  type: 'string',
  default: '',
  maxLength: 12,
  label: { zh: 'GS1 厂商识别代码', en: 'GS1 company prefix' },
  description: {
    zh: '本企业的 GS1 厂商识别代码(6–12 位数字)。设置后,以它开头的 GLN 在 EPCIS 中写为 SGLN(urn:epc:id:sgln:…),其他 GLN 写为 GS1 数字链接 /414/。',
    en: 'Your GS1 company prefix (6–12 digits). GLNs starting with it are written as SGLN URNs (urn:epc:id:sgln:…) in EPCIS, other GLNs as GS1 Digital Link /414/.',
  },
  check: (v) => (v === '' || isCompanyPrefix(v) ? null : { field: 'value', code: TraceErrors.FIELD_INVALID_GS1_PREFIX, params: { value: v } }),
});

export const Gs1LocationGlns = defineSetting({
  key: 'trace.gs1.locationGlns',
  module,
  type: 'string',
  default: '',
  maxLength: 4000,
  label: { zh: '地点 GLN', en: 'Location GLNs' },
  description: {
    zh: '若干「代码=GLN」,以逗号、分号或换行分隔(如 WH1=6912345000017, B1=6912345000024):代码为仓库、基地、地块或客户的代码,GLN 为 13 位数字(含校验位)。EPCIS 和 FSMA 204 导出用它标识地点;未设置的地点用本系统的 URI。',
    en: 'CODE=GLN entries separated by commas, semicolons or new lines (e.g. WH1=6912345000017, B1=6912345000024): CODE is a warehouse, base, field or customer code, GLN 13 digits with a valid check digit. EPCIS and FSMA 204 exports name places by it; places without one get this system’s URI.',
  },
  check: (v) => {
    const r = parseGlnMap(v);
    return 'bad' in r ? { field: 'value', code: TraceErrors.FIELD_INVALID_GLN, params: { entry: r.bad.entry, gln: r.bad.gln } } : null;
  },
});

export type Gs1Config = { companyPrefix: string; glns: Map<string, string> };

/** The company prefix and the GLN of each place code (settings; cached for 2 s). */
export async function gs1Config(db: Db): Promise<Gs1Config> {
  const m = await getSettings(db, [Gs1CompanyPrefix, Gs1LocationGlns]);
  const parsed = parseGlnMap(String(m.get(Gs1LocationGlns.key) ?? ''));
  return { companyPrefix: String(m.get(Gs1CompanyPrefix.key) ?? ''), glns: 'map' in parsed ? parsed.map : new Map() };
}
