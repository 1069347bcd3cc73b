import { describe, expect, it } from 'vitest';
import { canTransition, machineProblems } from '../../platform/state-machine.js';
import { CANCELLABLE, inquiryMachine, orderMachine } from './orders.states.js';

describe('order lifecycle', () => {
  it('has every state reachable and only terminal states as dead ends', () => {
    expect(machineProblems(orderMachine)).toEqual([]);
    expect(machineProblems(inquiryMachine)).toEqual([]);
  });
  it('goes draft → needs_confirmation ⇄ draft → submitted → in_review → approved | rejected', () => {
    expect(canTransition(orderMachine, 'draft', 'ask_customer')).toBe(true);
    expect(canTransition(orderMachine, 'needs_confirmation', 'back_to_draft')).toBe(true);
    expect(canTransition(orderMachine, 'needs_confirmation', 'submit')).toBe(true);
    expect(canTransition(orderMachine, 'submitted', 'send_to_review')).toBe(true);
    expect(canTransition(orderMachine, 'in_review', 'approve')).toBe(true);
    expect(canTransition(orderMachine, 'in_review', 'reject')).toBe(true);
    expect(canTransition(orderMachine, 'draft', 'approve')).toBe(false);
  });
  it('allows cancelling only before shipment', () => {
    for (const s of orderMachine.states) expect(canTransition(orderMachine, s, 'cancel')).toBe(CANCELLABLE.includes(s));
    expect(canTransition(orderMachine, 'shipped', 'cancel')).toBe(false);
    expect(canTransition(orderMachine, 'ready', 'cancel')).toBe(true);
  });
});
