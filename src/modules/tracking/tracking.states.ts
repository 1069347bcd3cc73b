import { defineMachine } from '../../platform/state-machine.js';
import type { ExceptionStatus, FeedbackStatus } from './tracking.tables.js';

export type ExceptionEvent = 'respond' | 'resolve' | 'close' | 'reopen';

/** An exception is answered (response plan), resolved (resolution) and closed after review; a resolved one may be reopened. */
export const exceptionMachine = defineMachine<ExceptionStatus, ExceptionEvent>({
  entity: 'tracking_exception',
  states: ['open', 'responding', 'resolved', 'closed'],
  initial: 'open',
  terminal: ['closed'],
  events: {
    respond: { from: ['open'], to: 'responding' },
    resolve: { from: ['open', 'responding'], to: 'resolved' },
    reopen: { from: ['resolved'], to: 'responding' },
    close: { from: ['resolved'], to: 'closed' },
  },
});

export type FeedbackEvent = 'reply' | 'close';

/** Feedback is replied to (the reply goes to the customer) and then closed. */
export const feedbackMachine = defineMachine<FeedbackStatus, FeedbackEvent>({
  entity: 'tracking_feedback',
  states: ['open', 'replied', 'closed'],
  initial: 'open',
  terminal: ['closed'],
  events: {
    reply: { from: ['open'], to: 'replied' },
    close: { from: ['open', 'replied'], to: 'closed' },
  },
});
