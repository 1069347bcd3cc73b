/** The inventory module's public API: other modules import only from here. */
export { InventoryErrors } from './inventory.errors.js';
export { onLotEvent, registerLotStatusGuard, type LotEventListener, type LotEventPayload, type LotEventType, type LotStatusGuard } from './inventory.events.js';
export { registerReservationOwner, type ReservationOwner } from './reservation-owners.js';
export {
  allocateFefo,
  allocatePick,
  compareFefo,
  lotAllocatable,
  lotRefusal,
  reservationCutoff,
  type FefoAllocation,
  type FefoCandidate,
  type FefoKey,
  type PickCandidate,
} from './fefo.js';
export {
  adjustStock,
  assertLotUsable,
  availableQuantity,
  changeLotStatus,
  consumeReservation,
  createLot,
  getLot,
  getLots,
  issueStock,
  listLedger,
  listLocations,
  listLots,
  listReservations,
  listWarehouses,
  lotBalances,
  receiveStock,
  releaseReservation,
  releaseReservations,
  reserve,
  reserveLines,
  scrapStock,
  transferStock,
  verifyStock,
  type CreateLotInput,
  type LotBalance,
  type LotInfo,
  type LedgerView,
  type LocationView,
  type ReservationView,
  type WarehouseView,
  type ReserveInput,
  type ReserveResult,
} from './inventory.service.js';
export {
  activeReservationsOfLots,
  availableQuantities,
  locationPlaces,
  lotBalancesOf,
  type AvailabilityOptions,
  type LocationPlace,
  type LotBalanceOf,
  type LotReservationRef,
} from './inventory.batch-reads.js';
export { lotMachine, type LotEvent } from './lots.states.js';
export { TEMP_ZONES, LOT_STATUSES, VARIANCE_REASONS, type LotStatus, type TempZone, type VarianceReason } from './inventory.tables.js';
export { inventoryRoutes } from './inventory.routes.js';
export { seedInventoryDemo } from './inventory.demo.js';
export { inventoryJobs } from './inventory.jobs.js';
export { registerStockCommands } from './inventory.cli.js';
