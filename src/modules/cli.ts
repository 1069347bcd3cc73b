import type { Command } from 'commander';
import type { Database } from '../platform/db/client.js';
import { registerStockCommands } from './inventory/index.js';

export type WithDb = <T>(fn: (database: Database) => Promise<T>) => Promise<T>;

/** CLI sub-commands contributed by the business modules (e.g. `stock verify`). */
export const cliCommands: ((program: Command, withDb: WithDb) => void)[] = [registerStockCommands];
