import { defineRule } from '../core/rule.js';

/**
 * PostgreSQL has no nested transactions. A BEGIN inside an open transaction only prints a
 * WARNING and does nothing; the COMMIT meant to close it then ends the outer transaction
 * (the runner's, or an earlier BEGIN's) in the middle of the file. Everything after it runs
 * outside the transaction the author thinks it is in: a failure leaves the migration half
 * applied, and locks are taken and released at unexpected points.
 * https://www.postgresql.org/docs/current/sql-begin.html
 */
export default defineRule({
  meta: {
    id: 'transaction-nesting',
    category: 'transactions',
    severity: 'warning',
    description: "BEGIN inside an open transaction, or COMMIT / ROLLBACK inside the runner's transaction",
    kinds: ['transaction'],
    scalesWithSize: false,
    skipNewTables: false,
    dialects: ['postgres'],
  },
  check({ change, transaction, anyLater }) {
    if (change.kind !== 'transaction') return [];
    const { startedBy } = transaction;
    if (change.action === 'begin') {
      if (!transaction.alreadyOpen || startedBy === 'implicit') return [];
      const outer =
        startedBy === 'runner'
          ? 'the migration runner already runs this file in a transaction'
          : 'a BEGIN earlier in this file is still open';
      return [
        {
          message: `BEGIN while a transaction is open (${outer}): PostgreSQL ignores it with a warning, and the COMMIT meant for it ends the outer transaction early. Remove this BEGIN and its COMMIT.`,
          // The fix is to delete statements: there is no SQL to paste.
          safeAlternative: null,
        },
      ];
    }
    if (change.action !== 'commit' && change.action !== 'rollback') return [];
    if (!transaction.inTransaction) return [];
    const more = anyLater((c) => c.kind !== 'transaction' && c.kind !== 'comment');
    const word = change.action.toUpperCase();
    if (startedBy === 'runner') {
      return [
        {
          message: `${word} inside a file the migration runner wraps in a transaction ends the runner's transaction${more ? ': the statements after it run outside any transaction, so a failure leaves the migration half applied' : ''}, and the runner's own COMMIT finds no transaction. ${removeIt(word)}`,
          safeAlternative: null,
        },
      ];
    }
    if (startedBy === 'implicit' && more) {
      return [
        {
          message: `${word} in a file sent as one multi-statement query (golang-migrate, Prisma) ${change.action === 'commit' ? 'makes the statements before it permanent' : 'undoes the statements before it'} while the rest still runs: if a later statement fails, the migration is half applied and marked dirty. ${removeIt(word)}`,
          safeAlternative: null,
        },
      ];
    }
    return [];
  },
});

/** The fix is to delete a statement: said in the message, as there is no SQL to paste. */
function removeIt(word: string): string {
  return `Remove this ${word}; to split the work, make the statements after it a migration of their own.`;
}
