import { describe, expect, it } from 'vitest';
import { glnPlaceUri, gs1CheckDigit, isValidGln, parseGlnMap } from './gs1.js';

describe('GS1 place identifiers', () => {
  it('computes the GS1 mod-10 check digit (GS1 example GLN 629104150021 → 3)', () => {
    expect(gs1CheckDigit('629104150021')).toBe(3);
    expect(gs1CheckDigit('0614141')).toBe(gs1CheckDigit('0000000614141')); // leading zeros do not change it
  });

  it('accepts a GLN only as 13 digits with a valid check digit', () => {
    expect(isValidGln('6291041500213')).toBe(true);
    expect(isValidGln('6291041500214')).toBe(false);
    expect(isValidGln('629104150021')).toBe(false);
    expect(isValidGln('62910415002130')).toBe(false);
    expect(isValidGln('629104150021A')).toBe(false);
  });

  it('writes an SGLN when the GLN starts with the company prefix, else a Digital Link /414/', () => {
    expect(glnPlaceUri('6912345000017', '6912345')).toBe('urn:epc:id:sgln:6912345.00001.0');
    expect(glnPlaceUri('6912345000017', '6912345', 'C-01')).toBe('urn:epc:id:sgln:6912345.00001.C-01');
    expect(glnPlaceUri('6912345000017', '6912345', 'A/B')).toBe('urn:epc:id:sgln:6912345.00001.A%2FB');
    expect(glnPlaceUri('6141410000014', '6912345')).toBe('https://id.gs1.org/414/6141410000014');
    expect(glnPlaceUri('6141410000014', '', 'F1')).toBe('https://id.gs1.org/414/6141410000014/254/F1');
    expect(glnPlaceUri('6141410000014', '', '一号棚')).toBe('https://id.gs1.org/414/6141410000014'); // not AI 254 characters
  });

  it('parses CODE=GLN lists and names the first bad entry', () => {
    const ok = parseGlnMap('wh1=6912345000017\nB1 = 6141410000014; C9=4000000000013');
    expect('map' in ok && [...ok.map]).toEqual([
      ['WH1', '6912345000017'],
      ['B1', '6141410000014'],
      ['C9', '4000000000013'],
    ]);
    expect(parseGlnMap('WH1=6912345000017, WH2=6912345000018')).toEqual({ bad: { entry: 'WH2=6912345000018', gln: '6912345000018' } });
    expect(parseGlnMap('WH1')).toEqual({ bad: { entry: 'WH1', gln: '' } });
    expect(parseGlnMap('')).toEqual({ map: new Map() });
  });
});
