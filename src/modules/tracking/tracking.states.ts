import { defineMachine } from '../../platform/state-machine.js';
import type { ExceptionStatus } from './tracking.tables.js';

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
