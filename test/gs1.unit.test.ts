import { describe, expect, it } from 'vitest';
import { isValidGtin, lotSearchText, parseScan } from '../web/src/app/gs1.js';

const GTIN = '06901234567892';

describe('GS1 scans in a lot field', () => {
  it('a plain lot code is taken as typed (trimmed)', () => {
    expect(parseScan('  HV-A2-01 ')).toEqual({ kind: 'plain', lot: 'HV-A2-01', ais: {} });
    expect(lotSearchText('LOT-7')).toBe('LOT-7');
  });

  it('an element string with bracketed AIs gives the lot (10) and the GTIN (01), as our GS1-128 labels print it', () => {
    const s = parseScan(`(01)${GTIN}(11)261201(17)261210(3102)002500(10)HV-A2-01`);
    expect(s).toMatchObject({ kind: 'element-string', lot: 'HV-A2-01', gtin: GTIN });
    expect(s.ais).toEqual({ '01': GTIN, '11': '261201', '17': '261210', '3102': '002500', '10': 'HV-A2-01' });
  });

  it('a raw scan runs AIs together: fixed-length fields by their length, variable ones ended by GS (FNC1)', () => {
    const s = parseScan(`01${GTIN}17261210` + `10LOT-1\u001d21SN9`);
    expect(s).toMatchObject({ kind: 'raw', lot: 'LOT-1', gtin: GTIN, serial: 'SN9' });
    expect(s.ais['17']).toBe('261210');
  });

  it('a raw scan may start with a symbology identifier and a leading FNC1, and end in a newline (Enter)', () => {
    expect(parseScan(`]C1\u001d01${GTIN}10ABC-2\u001d3102000150\n`)).toMatchObject({ kind: 'raw', lot: 'ABC-2', gtin: GTIN, ais: { '3102': '000150' } });
    expect(parseScan(`]d210XYZ`)).toMatchObject({ kind: 'raw', lot: 'XYZ' });
    expect(parseScan(`\u001d10LOT-GS`)).toMatchObject({ kind: 'raw', lot: 'LOT-GS' });
  });

  it('a Digital Link URL gives the lot of /10/ (decoded) and the GTIN of /01/, behind any resolver prefix', () => {
    expect(parseScan(`https://trace.example.com/01/${GTIN}/10/HV%2DA2%E6%89%B9?11=261201&17=261210`)).toMatchObject({
      kind: 'digital-link',
      lot: 'HV-A2批',
      gtin: GTIN,
      ais: { '11': '261201', '17': '261210' },
    });
    expect(parseScan(`https://id.example.com/resolver/01/${GTIN}/10/L1/21/S1`)).toMatchObject({ lot: 'L1', serial: 'S1', gtin: GTIN });
    expect(parseScan('http://127.0.0.1:3000/10/LOT-9')).toMatchObject({ kind: 'digital-link', lot: 'LOT-9' });
    expect(parseScan(`https://x.example/01/${GTIN}?10=Q-LOT`)).toMatchObject({ lot: 'Q-LOT' });
  });

  it('a GTIN-8/12/13 in a Digital Link is compared as GTIN-14', () => {
    expect(parseScan('https://x.example/01/6901234567892/10/A').gtin).toBe(GTIN);
  });

  it('a GTIN with a wrong check digit is not taken as a GTIN (the lot still is)', () => {
    const s = parseScan('(01)06901234567890(10)L-5');
    expect(s.gtin).toBeUndefined();
    expect(s.lot).toBe('L-5');
    expect(isValidGtin(GTIN)).toBe(true);
    expect(isValidGtin('06901234567890')).toBe(false);
  });

  it('a GS1 scan without a lot searches nothing rather than the barcode text', () => {
    expect(parseScan(`(01)${GTIN}`)).toMatchObject({ kind: 'element-string', gtin: GTIN });
    expect(lotSearchText(`(01)${GTIN}`)).toBe('');
  });

  it('text that only looks like GS1 stays a plain code: brackets with other text, a URL without AIs, short digits', () => {
    expect(parseScan('(A)LOT').kind).toBe('plain');
    expect(parseScan('LOT (10) X').kind).toBe('plain');
    expect(parseScan('https://example.com/lots/42')).toMatchObject({ kind: 'plain', lot: 'https://example.com/lots/42' });
    expect(parseScan('10203040')).toMatchObject({ kind: 'plain', lot: '10203040' });
    expect(parseScan('')).toEqual({ kind: 'plain', lot: undefined, ais: {} });
  });
});
