import { describe, expect, it } from 'vitest';
import { canTransition, machineProblems } from '../../platform/state-machine.js';
import { recallMachine } from './trace.states.js';

describe('recall state machine', () => {
  it('has every state reachable and only terminal dead ends', () => {
    expect(machineProblems(recallMachine)).toEqual([]);
  });

  it('executes a draft recall once: an executed recall cannot be executed again', () => {
    expect(canTransition(recallMachine, 'draft', 'execute')).toBe(true);
    expect(canTransition(recallMachine, 'executed', 'execute')).toBe(false);
  });
});
