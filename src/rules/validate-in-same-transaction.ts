import { defineRule } from '../core/rule.js';
import { blockedTraffic } from '../core/locks.js';
import { ended } from './sql.js';

/**
 * NOT VALID + VALIDATE CONSTRAINT is safe only because VALIDATE runs in a later transaction,
 * under SHARE UPDATE EXCLUSIVE, which lets reads and writes go on. In the same transaction as
 * the ADD (or after anything else that locked the table against writes), the stronger lock is
 * still held while VALIDATE reads every row: the two steps cost as much as validating inline.
 * https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DESC-VALIDATE-CONSTRAINT
 */
export default defineRule({
  meta: {
    id: 'validate-in-same-transaction',
    category: 'transactions',
    severity: 'error',
    description:
      'VALIDATE CONSTRAINT in the transaction that added it NOT VALID (or that locked the table) blocks traffic for the scan',
    kinds: ['validate constraint'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['postgres'],
  },
  check({ change, transaction, q, sql }) {
    if (!sql) return [];
    if (change.kind !== 'validate constraint' || !transaction.inTransaction) return [];
    const addedHere = transaction.notValidThisTransaction.has(`${change.table}.${change.name}`);
    const held = transaction.heldLocks.find((l) => l.table === change.table && blockedTraffic(l.mode).writes);
    if (!addedHere && !held) return [];
    const why = addedHere
      ? `${change.name} was added NOT VALID earlier in this same transaction, so the ADD's lock is still held`
      : `this transaction already holds ${held?.mode ?? ''} on ${change.table}`;
    return [
      {
        message: `VALIDATE CONSTRAINT ${change.name} reads every row of ${change.table}, and ${why}: traffic stays blocked for the whole scan, as if NOT VALID had not been used.`,
        safeAlternative: [
          '-- commit first: in the next transaction, or the next migration file (with a runner that wraps each file):',
          ended(sql.alterTable(q, change.table, `VALIDATE CONSTRAINT ${q.ident(change.name)}`)),
        ].join('\n'),
      },
    ];
  },
});
