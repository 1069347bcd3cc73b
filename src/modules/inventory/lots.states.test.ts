import { describe, expect, it } from 'vitest';
import { canTransition, machineProblems } from '../../platform/state-machine.js';
import { lotMachine, stocktakeMachine } from './lots.states.js';

describe('lot and stocktake state machines', () => {
  it('have every state reachable and only terminal dead ends', () => {
    expect(machineProblems(lotMachine)).toEqual([]);
    expect(machineProblems(stocktakeMachine)).toEqual([]);
  });

  it('allow exactly the lot moves of the contract: quarantined → released | on_hold | rejected; released → on_hold; on_hold → released | rejected', () => {
    const allowed = (['quarantined', 'released', 'on_hold', 'rejected'] as const).flatMap((from) =>
      (['release', 'hold', 'reject'] as const).filter((e) => canTransition(lotMachine, from, e)).map((e) => `${from}:${e}`),
    );
    expect(allowed).toEqual(['quarantined:release', 'quarantined:hold', 'quarantined:reject', 'released:hold', 'on_hold:release', 'on_hold:reject']);
  });

  it('never leaves an approved stocktake', () => {
    expect((['submit', 'approve', 'cancel'] as const).some((e) => canTransition(stocktakeMachine, 'approved', e))).toBe(false);
  });
});
