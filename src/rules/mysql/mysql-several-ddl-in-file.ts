import { CHANGE_KINDS, changeTable, type Change } from '../../core/change.js';
import { defineRule } from '../../core/rule.js';
import { shown } from './words.js';

/**
 * MySQL commits each DDL statement on its own (it ends any open transaction first): a file of
 * several stops half applied when one of them fails, and running it again fails on the ones
 * that already ran. One ALTER TABLE with several clauses is all or nothing (and one rebuild).
 * https://dev.mysql.com/doc/refman/8.0/en/implicit-commit.html
 * https://dev.mysql.com/doc/refman/8.0/en/atomic-ddl.html
 */
const NOT_DDL = new Set<string>(['dml', 'select', 'set', 'set timeout', 'transaction', 'unknown']);
const isDdl = (c: Change): boolean => !NOT_DDL.has(c.kind);

export default defineRule({
  meta: {
    id: 'mysql-several-ddl-in-file',
    category: 'transactions',
    severity: 'warning',
    description:
      'Several DDL statements in one file: MySQL commits each, so a failure leaves the file half applied',
    kinds: CHANGE_KINDS.filter((k) => !NOT_DDL.has(k)),
    scalesWithSize: false,
    // Newness is judged over the whole file below: one finding for the file, at its first DDL.
    skipNewTables: false,
    oncePerFile: true,
    dialects: ['mysql'],
  },
  check(ctx) {
    if (ctx.statementChanges[0] !== ctx.change) return [];
    const later = ctx.laterChanges().filter(isDdl);
    if (later.length === 0) return [];
    const tables = new Set(
      [ctx.change, ...later]
        .flatMap((c) => (c.kind === 'drop table' ? c.tables : [changeTable(c)]))
        .filter((t): t is string => t !== null),
    );
    const one = tables.size === 1 ? [...tables][0] : undefined;
    const created = new Set(
      [...ctx.statementChanges, ...later].flatMap((c) => (c.kind === 'create table' ? [c.table] : [])),
    );
    const existing = [...tables].some((t) => !created.has(t) && !ctx.isNew(t));
    return [
      {
        message: `This file runs DDL in more than one statement${one ? ` on ${shown(one)}` : ` (on ${[...tables].map(shown).join(', ')})`}, and MySQL commits each on its own: if a later one fails, the earlier ones stay applied and running the file again fails on them. Put each DDL statement in a migration of its own${one ? ', or merge them into one ALTER TABLE (all or nothing, one rebuild)' : ''}, or make each safe to rerun (IF [NOT] EXISTS).`,
        safeAlternative: null,
        // Only tables this file creates: nothing in use is left half changed, but a rerun still fails.
        ...(existing ? {} : { severity: 'info' as const }),
      },
    ];
  },
});
