/** Public API of the trace module (trace events, genealogy, recall, labels, certificates, EPCIS). */
export { TraceErrors } from './trace.errors.js';
export { traceRoutes } from './trace.routes.js';
export { digitalLinkRoutes, resolveDigitalLink } from './digital-link.routes.js';
export { declareEventError, eventsOfLots, recordTraceEvent, registerTraceListeners, type NewTraceEvent, type TraceEventRow } from './events.service.js';
export { backwardTrace, createProcessingRun, forwardTrace, setOrderLookup, type OrderLookup } from './genealogy.service.js';
export { createRecall, executeRecall, recallImpact, type RecallImpact } from './recall.service.js';
export { buildLabel, ensureTraceCode, issueCertificate } from './labels.service.js';
export { epcisDocument, fsmaRows, publicTrace } from './exports.service.js';
export { seedTraceDemo } from './trace.demo.js';
export { renderPdf } from './pdf.js';

import { registerTraceListeners } from './events.service.js';
// Inventory and quality steps become trace events as soon as the module is loaded.
registerTraceListeners();
export { gs1CheckDigit } from './gs1.js';
