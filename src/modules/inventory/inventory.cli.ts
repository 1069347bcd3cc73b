import type { Command } from 'commander';
import type { WithDb } from '../cli.js';
import { registerCheck } from '../../platform/checks/checks.service.js';
import { verifyStock } from './inventory.service.js';

// The same check for admins while the server runs (admin screen 数据校验 / Data checks, POST /api/admin/checks/stock).
registerCheck('stock', async (db, progress) => ({ ...(await verifyStock(db, { batch: 200, progress, yieldBetween: true })), firstBadSeq: null, reason: null, driftCount: 0 }));

/** `agri-oms stock verify`: recomputes every balance from the ledger and reports drift (exit code 1). */
export function registerStockCommands(program: Command, withDb: WithDb): void {
  const stock = program.command('stock').description('inventory');
  stock
    .command('verify')
    .description('recompute balances from the stock ledger and active reservations and report any drift')
    .action(() =>
      withDb(async (database) => {
        const r = await verifyStock(database.db);
        if (r.ok) {
          console.log(`stock balances OK: ${r.checked} lot/location balances match the ledger`);
          return;
        }
        console.error(`stock balances DRIFT in ${r.drifts.length} of ${r.checked} lot/location balances:`);
        for (const d of r.drifts)
          console.error(
            `  lot ${d.lotId} location ${d.locationId}: on hand cached ${d.cachedOnHand} vs ledger ${d.ledgerOnHand}; reserved cached ${d.cachedReserved} vs reservations ${d.activeReserved}`,
          );
        process.exitCode = 1;
      }),
    );
}
