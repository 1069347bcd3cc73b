import { describe, expect, it } from 'vitest';
import { machineProblems } from '../../platform/state-machine.js';
import { customerMachine } from './customers.states.js';
import { isValidUsci, withUsciCheck } from './usci.js';

describe('unified social credit code', () => {
  it('accepts a code with a correct check character', () => {
    expect(isValidUsci('91350100M000100Y43')).toBe(true);
    expect(isValidUsci(withUsciCheck('91330106MA2B3C4D5'))).toBe(true);
  });

  it('rejects a wrong check character, bad length and forbidden letters', () => {
    expect(isValidUsci('91350100M000100Y44')).toBe(false);
    expect(isValidUsci('91350100M000100Y4')).toBe(false);
    expect(isValidUsci('91350100I000100Y43')).toBe(false);
  });
});

describe('customer lifecycle table', () => {
  it('has every state reachable and no dead ends', () => {
    expect(machineProblems(customerMachine)).toEqual([]);
  });
});
