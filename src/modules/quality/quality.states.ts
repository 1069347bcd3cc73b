import { defineMachine } from '../../platform/state-machine.js';
import type { inspections, nonConformances } from './quality.tables.js';

export type InspectionStatus = (typeof inspections.$inferSelect)['status'];
export type InspectionEvent = 'sign';

/** An inspection is recorded as a draft and signed once (quality:inspect); signed, its result drives the lot and it never changes again. */
export const inspectionMachine = defineMachine<InspectionStatus, InspectionEvent>({
  entity: 'quality_inspection',
  states: ['draft', 'signed'],
  initial: 'draft',
  terminal: ['signed'],
  events: {
    sign: { from: ['draft'], to: 'signed' },
  },
});

export type NonConformanceStatus = (typeof nonConformances.$inferSelect)['status'];
export type NonConformanceEvent = 'close';

/** A non-conformance is open (corrective action, owner, due date may change) until it is closed with a note; closed, it stays closed. */
export const nonConformanceMachine = defineMachine<NonConformanceStatus, NonConformanceEvent>({
  entity: 'quality_nc',
  states: ['open', 'closed'],
  initial: 'open',
  terminal: ['closed'],
  events: {
    close: { from: ['open'], to: 'closed' },
  },
});
