import { CHANGE_KINDS } from '../core/change.js';
import { defineRule } from '../core/rule.js';
import { blockedTraffic, lockStrength } from '../core/locks.js';

/**
 * A statement that needs a lock conflicting with application traffic, with no lock_timeout set:
 * if another transaction holds the table, our statement queues, and every query behind it
 * queues too, for as long as that transaction lasts. Decided from the statement's lock facts on
 * existing relations, whatever the statement (CREATE TABLE … REFERENCES, CREATE OR REPLACE
 * VIEW, REFRESH MATERIALIZED VIEW, LOCK TABLE lock existing relations as ALTER TABLE does).
 */
export default defineRule({
  meta: {
    id: 'lock-timeout-missing',
    category: 'transactions',
    severity: 'warning',
    description:
      'A blocking lock is requested with no lock_timeout: queued behind a long transaction, it stalls all traffic',
    // Every kind: the statement's lock facts decide, the same locks the output lists.
    kinds: CHANGE_KINDS,
    scalesWithSize: false,
    skipNewTables: true,
    oncePerFile: true,
    dialects: ['postgres'],
  },
  check({ change, facts, session, isNew, transaction }) {
    // LOCK … NOWAIT fails at once rather than queue: nothing waits behind it.
    if (change.kind === 'lock table' && change.nowait) return [];
    const blocking = facts.locks.filter(
      (l) => !isNew(l.table) && (blockedTraffic(l.mode).reads || blockedTraffic(l.mode).writes),
    );
    if (blocking.length === 0) return [];
    // Already holding a lock at least as strong: this statement does not queue again.
    const held = blocking.every((l) =>
      transaction.heldLocks.some((h) => h.table === l.table && lockStrength(h.mode) >= lockStrength(l.mode)),
    );
    if (held) return [];
    if (session.lockTimeoutMs !== null && session.lockTimeoutMs > 0) return [];
    const target = blocking[0];
    if (!target) return [];
    return [
      {
        message: `No lock_timeout is set before taking ${target.mode} on ${target.table}: if a long transaction holds the table, this statement waits and every query on ${target.table} queues behind it. (Reported once per file.)`,
        safeAlternative: `SET lock_timeout = '2s';  -- first line of the file; retry when it times out (schemapilot deploy retries for you)`,
        table: target.table,
      },
    ];
  },
});
