import type { Change } from '../../core/change.js';
import { defineRule } from '../../core/rule.js';
import { isOff, isOn } from './words.js';

/**
 * `PRAGMA foreign_keys` is a setting of the connection, and "a no-op within a transaction"
 * (https://www.sqlite.org/pragma.html#pragma_foreign_keys, foreignkeys.html §2): turned off
 * inside BEGIN … COMMIT (or inside a runner's transaction: Drizzle, Knex, Rails, Django run
 * each migration in one) it stays on, and the table rebuild it was meant to protect deletes
 * child rows through ON DELETE CASCADE. Turned off and not on again before the file ends, the
 * connection goes on writing without checking references, and an application that migrates on
 * its own connection at start-up keeps it that way.
 */
export default defineRule({
  meta: {
    id: 'sqlite-foreign-keys-off',
    category: 'transactions',
    severity: 'warning',
    description:
      'PRAGMA foreign_keys turned off inside a transaction (where it does nothing) or left off at the end of the file',
    kinds: ['set'],
    scalesWithSize: false,
    skipNewTables: false,
    dialects: ['sqlite'],
  },
  check(ctx) {
    const { change, transaction } = ctx;
    if (change.kind !== 'set' || change.name.toLowerCase() !== 'foreign_keys') return [];
    if (transaction.inTransaction) {
      // Turning it on inside a transaction is as void, and harmless: it was on (or the OFF
      // before it is reported for not being turned on again).
      if (!isOff(change.value)) return [];
      const by =
        transaction.startedBy === 'runner'
          ? "the runner's transaction (it runs the whole file in one)"
          : 'a transaction';
      return [
        {
          message: `PRAGMA foreign_keys = ${change.value} inside ${by} does nothing: SQLite changes foreign_keys only when no transaction is open, so foreign keys stay on, and a table rebuild that relies on them being off deletes or fails on the rows that reference the dropped table.`,
          safeAlternative: [
            'PRAGMA foreign_keys = OFF; -- before BEGIN',
            'BEGIN;',
            '-- … the statements that need it …',
            'PRAGMA foreign_key_check;',
            'COMMIT;',
            'PRAGMA foreign_keys = ON;',
          ].join('\n'),
        },
      ];
    }
    if (!isOff(change.value)) return [];
    const back = restoredLater(ctx.laterChanges());
    if (back === 'yes') return [];
    return [
      {
        message:
          back === 'in-transaction'
            ? 'foreign_keys is turned off here and turned on again only inside a transaction, where the PRAGMA does nothing: the connection goes on writing without checking foreign keys after this file.'
            : 'foreign_keys is turned off and not turned on again in this file: the connection goes on writing without checking foreign keys (an application that migrates on its own connection keeps it so).',
        safeAlternative: `${ctx.statement.sql.trim()};\n-- … the statements that need it …\nPRAGMA foreign_keys = ON; -- after COMMIT`,
      },
    ];
  },
});

/** Whether a later PRAGMA foreign_keys = ON takes effect (no transaction open where it runs). */
function restoredLater(later: readonly Change[]): 'yes' | 'no' | 'in-transaction' {
  let open = 0;
  let seen: 'no' | 'in-transaction' = 'no';
  for (const c of later) {
    if (c.kind === 'transaction') {
      if (c.action === 'begin' || c.action === 'savepoint') open += 1;
      else if (c.action === 'commit' || c.action === 'rollback') open = 0;
      else if (c.action === 'release') open = Math.max(0, open - 1);
      continue;
    }
    if (c.kind !== 'set' || c.name.toLowerCase() !== 'foreign_keys') continue;
    if (isOn(c.value)) {
      if (open === 0) return 'yes';
      seen = 'in-transaction';
    } else if (isOff(c.value) && open === 0) return 'yes'; // judged at that PRAGMA
  }
  return seen;
}
