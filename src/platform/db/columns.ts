import { customType, timestamp, uuid } from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';

/** UUIDv7 primary key generated in the application. */
export const idColumn = () =>
  uuid('id')
    .primaryKey()
    .$defaultFn(() => uuidv7());

export const newId = (): string => uuidv7();

/** timestamptz returned as Date. */
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** numeric(14,3) kept as its exact decimal string. */
export const qty = (name: string) =>
  customType<{ data: string; driverData: string }>({
    dataType: () => 'numeric(14,3)',
    fromDriver: (v) => String(v),
  })(name);

export const createdAt = () => ts('created_at').notNull().defaultNow();
