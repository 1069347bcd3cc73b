/** Benchmarks contributed by the business modules; each prints its own table. */
export type BenchContext = { seconds: number; pgUrl: string };
export const benches: Record<string, (ctx: BenchContext) => Promise<void>> = {};

const inventory = await import('./inventory.bench.js');
benches.inventory = inventory.inventoryBench;
benches['inventory-overview'] = inventory.overviewBench;

const orders = await import('./orders.bench.js');
benches.orders = orders.ordersBench;
benches['orders-list'] = orders.listBench;

const trace = await import('./trace.bench.js');
benches.trace = trace.traceBench;

const ordersImport = await import('./import.bench.js');
benches['orders-import-list'] = ordersImport.importListBench;

const planning = await import('./planning.bench.js');
benches.mps = planning.mpsBench;
