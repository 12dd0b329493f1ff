import { CHANGE_KINDS } from '../core/change.js';
import { defineRule } from '../core/rule.js';
import { blockedTraffic, lockStrength } from '../core/locks.js';

/**
 * A lock is held until its transaction ends. Once a statement has taken ACCESS EXCLUSIVE on a
 * table in use, every later statement of the same transaction extends that outage: one that
 * reads or rewrites a large table, or one that waits for a lock on another table, keeps the
 * first table blocked for all of its own duration. Backfills after DDL are reported by
 * backfill-in-ddl-transaction.
 * https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-TABLES
 */
export default defineRule({
  meta: {
    id: 'statements-after-access-exclusive',
    category: 'locking',
    severity: 'warning',
    description:
      'Slow work, or a new lock wait, after ACCESS EXCLUSIVE in the same transaction keeps the table blocked',
    // Every kind but DML (backfill-in-ddl-transaction's): the facts decide.
    kinds: CHANGE_KINDS.filter((k) => k !== 'dml'),
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['postgres'],
  },
  check({ change, facts, transaction, isNew, session, statement, table: tableOf }) {
    // VALIDATE after NOT VALID in one transaction is validate-in-same-transaction's finding; a
    // statement that cannot run in a transaction at all is concurrently-in-transaction's.
    if (!transaction.inTransaction || change.kind === 'validate constraint' || !facts.transactional)
      return [];
    const held = transaction.heldLocks.filter((l) => l.mode === 'ACCESS EXCLUSIVE' && !isNew(l.table));
    const first = held[0];
    if (!first) return [];
    const heldNames = held.map((l) => l.table).join(', ');
    const stays = held.length > 1 ? `locks on ${heldNames} stay` : `lock on ${heldNames} stays`;
    const safeAlternative = [
      `-- end the transaction that locked ${heldNames} first (COMMIT, or a migration file of its own), then:`,
      `${statement.sql.trim()};`,
    ].join('\n');

    const work = facts.rewritesTable
      ? 'rewrites'
      : facts.buildsIndex
        ? 'builds an index on'
        : facts.scansTable
          ? 'reads every row of'
          : null;
    // The largest existing table the work touches sets how long it lasts. Work on a table this
    // statement itself locks ACCESS EXCLUSIVE is reported by that statement's own rule.
    const rows = (t: string) => tableOf(t)?.stats.rowEstimate ?? Number.MAX_SAFE_INTEGER;
    const target = facts.locks
      .filter(
        (l) => !isNew(l.table) && !(l.mode === 'ACCESS EXCLUSIVE' && held.some((h) => h.table === l.table)),
      )
      .map((l) => l.table)
      .sort((a, b) => rows(b) - rows(a))[0];
    if (work && target) {
      return [
        {
          message: `The ACCESS EXCLUSIVE ${stays} held (taken earlier in this transaction) while this statement ${work} ${target}: every query on ${heldNames} waits for it too.`,
          safeAlternative,
          table: target,
        },
      ];
    }
    // A new lock that conflicts with application traffic may queue behind a long query; with no
    // lock_timeout the tables already locked stay blocked for the whole wait.
    if (session.lockTimeoutMs !== null && session.lockTimeoutMs > 0) return [];
    const waits = facts.locks.find(
      (l) =>
        !isNew(l.table) &&
        (blockedTraffic(l.mode).reads || blockedTraffic(l.mode).writes) &&
        !transaction.heldLocks.some(
          (h) => h.table === l.table && lockStrength(h.mode) >= lockStrength(l.mode),
        ),
    );
    if (!waits) return [];
    return [
      {
        message: `This statement asks for ${waits.mode} on ${waits.table} while this transaction holds ACCESS EXCLUSIVE on ${heldNames}, with no lock_timeout: if ${waits.table} is busy, ${heldNames} ${held.length > 1 ? 'stay' : 'stays'} blocked for the whole wait.`,
        safeAlternative,
        table: first.table,
      },
    ];
  },
});
