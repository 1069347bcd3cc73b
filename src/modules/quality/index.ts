/** Public API of the quality module (bases, fields, inputs, harvest, inspections, lot decisions). */
export { QualityErrors } from './quality.errors.js';
export { qualityRoutes } from './quality.routes.js';
export {
  addDays,
  applicationsOfFields,
  applicationsOfMaterialLot,
  createBase,
  createField,
  createHarvest,
  createInspection,
  createStandard,
  decideLot,
  fieldSourceStatus,
  fieldsByIds,
  getField,
  harvestOfLot,
  harvestsBetween,
  harvestsOfField,
  harvestsOfLots,
  inspectionsOfLots,
  onQualityEvent,
  recordInputApplication,
  signInspection,
  standardIdByCode,
  updateStandard,
  sourceChecksOfFields,
  type FieldRow,
  type HarvestRow,
  type InputApplicationRow,
  type InspectionRow,
  type QualityEvent,
} from './quality.service.js';
export { filesOfInspection, getInspectionFile, uploadInspectionFile, type InspectionFileInfo } from './inspection-files.service.js';
export { seedQualityDemo } from './quality.demo.js';
