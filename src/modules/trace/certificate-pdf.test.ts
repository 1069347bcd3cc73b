import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CERT_CARD_MM, certificatePdf } from './labels.service.js';

const cert = {
  id: 'x',
  number: 'HGZ20261208-0001',
  lotId: 'x',
  productName: '寿光黄瓜',
  quantity: '120.000',
  unit: 'kg',
  origin: '山东省 潍坊市 寿光市',
  issuerName: '张三农场',
  contactPhone: '13900000000',
  issuedOn: '2026-12-08',
  basis: 'own_test',
  reportNo: 'R-001',
  commitments: ['不使用禁用农药兽药、停用兽药和非法添加物', '常规农药兽药残留不超标', '对承诺的真实性负责'],
  traceCode: 'ABC123',
} as unknown as Parameters<typeof certificatePdf>[0];

describe('承诺达标合格证 PDF', () => {
  it('is one small card of the national template size (100 × 70 mm) with its check boxes drawn, not typed as a glyph', async () => {
    const pdf = await certificatePdf(cert);
    const text = pdf.toString('latin1');
    const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(text)!;
    const mm = (pt: string) => (Number(pt) * 25.4) / 72;
    expect(mm(box[1]!)).toBeCloseTo(CERT_CARD_MM.width, 1);
    expect(mm(box[2]!)).toBeCloseTo(CERT_CARD_MM.height, 1);
    expect(text.match(/\/Type \/Page\b/g)).toHaveLength(1);
    // every stream, inflated: the page's drawing and the font's ToUnicode map
    const streams = [...text.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)].map((m) => {
      const raw = Buffer.from(m[1]!, 'latin1');
      try {
        return zlib.inflateSync(raw).toString('latin1');
      } catch {
        return raw.toString('latin1');
      }
    });
    const all = streams.join('\n');
    expect(all).toMatch(/beginbfchar|beginbfrange/); // the font's map was read
    expect(all.toLowerCase()).not.toContain('<2611>'); // no ☑ glyph in the font subset
    // boxes drawn as rectangles (1 frame + 3 commitments + 3 bases)
    expect((all.match(/ re\b/g) ?? []).length).toBeGreaterThanOrEqual(7);
  });
});
