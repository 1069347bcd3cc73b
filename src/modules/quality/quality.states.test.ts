import { describe, expect, it } from 'vitest';
import { canTransition, machineProblems } from '../../platform/state-machine.js';
import { inspectionMachine, nonConformanceMachine } from './quality.states.js';

describe('inspection and non-conformance state machines', () => {
  it('have every state reachable and only terminal dead ends', () => {
    expect(machineProblems(inspectionMachine)).toEqual([]);
    expect(machineProblems(nonConformanceMachine)).toEqual([]);
  });

  it('sign a draft inspection once: a signed inspection cannot be signed again', () => {
    expect(canTransition(inspectionMachine, 'draft', 'sign')).toBe(true);
    expect(canTransition(inspectionMachine, 'signed', 'sign')).toBe(false);
  });

  it('close an open non-conformance once: a closed one cannot be closed again', () => {
    expect(canTransition(nonConformanceMachine, 'open', 'close')).toBe(true);
    expect(canTransition(nonConformanceMachine, 'closed', 'close')).toBe(false);
  });
});
