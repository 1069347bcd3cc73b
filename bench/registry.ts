/** Benchmarks contributed by the business modules; each prints its own table. */
export type BenchContext = { seconds: number; pgUrl: string };
export const benches: Record<string, (ctx: BenchContext) => Promise<void>> = {};
