import { describe, expect, it } from 'vitest';
import { Q } from '../../platform/quantity.js';
import { allocateFefo, allocatePick, compareFefo, lotAllocatable, lotRefusal } from './fefo.js';

const row = (lotId: string, expiryDate: string, free: string, productionDate = '2026-12-01', locationId = 'loc-a') => ({ lotId, expiryDate, productionDate, locationId, free });

describe('the FEFO allocator', () => {
  it('takes the first-expiring lot first, whatever order the rows come in', () => {
    const plan = allocateFefo([row('late', '2026-12-20', '10'), row('early', '2026-12-10', '4')], new Q('6'));
    expect(plan.allocations.map((a) => [a.candidate.lotId, a.quantity.toFixed(3)])).toEqual([
      ['early', '4.000'],
      ['late', '2.000'],
    ]);
    expect(plan.short.toFixed(3)).toBe('0.000');
  });

  it('breaks expiry ties by production date, then lot, then location (a total order)', () => {
    const a = row('lot-b', '2026-12-10', '1', '2026-12-02', 'loc-a');
    const b = row('lot-a', '2026-12-10', '1', '2026-12-01', 'loc-z');
    const c = row('lot-a', '2026-12-10', '1', '2026-12-01', 'loc-b');
    expect([a, b, c].sort(compareFefo).map((r) => `${r.lotId}/${r.locationId}`)).toEqual(['lot-a/loc-b', 'lot-a/loc-z', 'lot-b/loc-a']);
  });

  it('says how much is short and never takes more than a row has free', () => {
    const plan = allocateFefo([row('x', '2026-12-10', '2.5'), row('y', '2026-12-11', '0'), row('z', '2026-12-12', '-1')], new Q('4'));
    expect(plan.allocations.map((a) => a.quantity.toFixed(3))).toEqual(['2.500']);
    expect(plan.available.toFixed(3)).toBe('2.500');
    expect(plan.short.toFixed(3)).toBe('1.500');
  });

  it('allocates exact decimals (no float drift)', () => {
    const plan = allocateFefo([row('a', '2026-12-10', '0.1'), row('b', '2026-12-11', '0.2')], new Q('0.3'));
    expect(plan.short.isZero()).toBe(true);
    expect(plan.allocations.map((a) => a.quantity.toString())).toEqual(['0.1', '0.2']);
  });

  it('allows only released lots that do not expire before the cutoff', () => {
    expect(lotAllocatable({ qualityStatus: 'released', expiryDate: '2026-12-10' }, '2026-12-10')).toBe(true);
    expect(lotAllocatable({ qualityStatus: 'released', expiryDate: '2026-12-09' }, '2026-12-10')).toBe(false);
    expect(lotAllocatable({ qualityStatus: 'quarantined', expiryDate: '2027-01-01' }, '2026-12-10')).toBe(false);
    expect(lotAllocatable({ qualityStatus: 'on_hold', expiryDate: '2027-01-01' }, '2026-12-10')).toBe(false);
  });

  it('says why a lot may not be used: not released, expired on the date, or short of the minimum remaining shelf life', () => {
    const lot = (qualityStatus: string, expiryDate: string) => ({ qualityStatus, expiryDate });
    expect(lotRefusal(lot('on_hold', '2027-01-01'), '2026-12-10')).toBe('not_released');
    expect(lotRefusal(lot('released', '2026-12-09'), '2026-12-10')).toBe('expired');
    expect(lotRefusal(lot('released', '2026-12-12'), '2026-12-10', 3)).toBe('shelf_life');
    expect(lotRefusal(lot('released', '2026-12-13'), '2026-12-10', 3)).toBeNull();
  });

  it('a pick takes the stock FEFO chooses and lists the takes in bin walk order', () => {
    const c = (lotId: string, expiryDate: string, free: string, walk: string) => ({ ...row(lotId, expiryDate, free, '2026-12-01', `loc-${walk}`), walk });
    // The bin walked first holds the latest lot: FEFO still takes the early lots, and the list walks A-01 before C-09.
    const { picks, short } = allocatePick([c('late', '2026-12-30', '9', 'A-00'), c('early', '2026-12-10', '2', 'C-09'), c('mid', '2026-12-20', '5', 'A-01')], new Q('6'));
    expect(picks.map((p) => [p.candidate.lotId, p.candidate.walk, p.quantity.toFixed(3)])).toEqual([
      ['mid', 'A-01', '4.000'],
      ['early', 'C-09', '2.000'],
    ]);
    expect(short.toFixed(3)).toBe('0.000');
  });
});
