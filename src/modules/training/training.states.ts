import { defineMachine } from '../../platform/state-machine.js';
import type { AttemptStatus, CertificateStatus, PlanStatus, RemedialStatus, SessionStatus } from './training.tables.js';

export type PlanEvent = 'activate' | 'close';
export type SessionEvent = 'complete' | 'cancel';
export type AttemptEvent = 'submit' | 'grade' | 'mark';
export type RemedialEvent = 'pass' | 'fail' | 'cancel';
export type CertificateEvent = 'revoke';

/** A plan is drafted, put into effect, and closed at the end of its year. */
export const planMachine = defineMachine<PlanStatus, PlanEvent>({
  entity: 'training_plan',
  states: ['draft', 'active', 'closed'],
  initial: 'draft',
  terminal: ['closed'],
  events: { activate: { from: ['draft'], to: 'active' }, close: { from: ['draft', 'active'], to: 'closed' } },
});

/** A session is scheduled, then held (completed: hours credited to attendees) or cancelled. */
export const sessionMachine = defineMachine<SessionStatus, SessionEvent>({
  entity: 'training_session',
  states: ['scheduled', 'completed', 'cancelled'],
  initial: 'scheduled',
  terminal: ['completed', 'cancelled'],
  events: { complete: { from: ['scheduled'], to: 'completed' }, cancel: { from: ['scheduled'], to: 'cancelled' } },
});

/** An attempt is submitted: graded at once, or waiting for a trainer to mark its short answers. */
export const attemptMachine = defineMachine<AttemptStatus, AttemptEvent>({
  entity: 'training_attempt',
  states: ['in_progress', 'marking', 'graded'],
  initial: 'in_progress',
  terminal: ['graded'],
  events: { submit: { from: ['in_progress'], to: 'marking' }, grade: { from: ['in_progress'], to: 'graded' }, mark: { from: ['marking'], to: 'graded' } },
});

/** A re-test / remedial assignment closes when its re-test is passed or failed (a failure assigns the next one). */
export const remedialMachine = defineMachine<RemedialStatus, RemedialEvent>({
  entity: 'training_remedial',
  states: ['open', 'done', 'failed', 'cancelled'],
  initial: 'open',
  terminal: ['done', 'failed', 'cancelled'],
  events: { pass: { from: ['open'], to: 'done' }, fail: { from: ['open'], to: 'failed' }, cancel: { from: ['open'], to: 'cancelled' } },
});

/** A certificate is valid until it expires (by date) or is revoked. */
export const certificateMachine = defineMachine<CertificateStatus, CertificateEvent>({
  entity: 'training_certificate',
  states: ['valid', 'revoked'],
  initial: 'valid',
  terminal: ['revoked'],
  events: { revoke: { from: ['valid'], to: 'revoked' } },
});
