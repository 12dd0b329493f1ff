/**
 * What a failed step leaves behind on SQLite: nothing to list. DDL is transactional, and the
 * 12-step rebuild creates and fills its new table inside the step's own BEGIN … COMMIT
 * (https://www.sqlite.org/lang_altertable.html#otheralter): a failure or a killed process rolls
 * it back with the transaction (the next connection rolls back a hot journal, or ignores the
 * WAL frames that were not committed). A step written to run its rebuild outside a
 * transaction is undone by its rollback SQL, as every step is.
 */
import type { Leftovers } from '../../../core/dialect/deploy.js';

export const sqliteLeftovers: Leftovers = {
  list: () => Promise.resolve([]),
  drop: () => Promise.resolve(false),
};
