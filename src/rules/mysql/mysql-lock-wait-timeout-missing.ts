import { changeTable, type ChangeKind } from '../../core/change.js';
import { defineRule } from '../../core/rule.js';
import { shown } from './words.js';

/**
 * Every ALTER, CREATE INDEX, DROP or RENAME needs the table's exclusive metadata lock, at least
 * for a moment, and waits for every open transaction that has read or written the table. While
 * it waits, every later query on the table queues behind it: one forgotten transaction stops
 * the table. lock_wait_timeout bounds that wait; its default is a year on MySQL and a day on
 * MariaDB. Set it to a few seconds and retry on error 1205.
 * https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html#sysvar_lock_wait_timeout
 * https://dev.mysql.com/doc/refman/8.0/en/metadata-locking.html
 */
const DDL = [
  'add column',
  'drop column',
  'rename column',
  'alter column type',
  'set not null',
  'drop not null',
  'set default',
  'drop default',
  'add identity',
  'set generated expression',
  'add constraint',
  'drop constraint',
  'create index',
  'drop index',
  'rename index',
  'rename table',
  'drop table',
  'truncate',
  'alter table other',
  'create trigger',
  'drop trigger',
] as const satisfies readonly ChangeKind[];

/** Longer than this, a wait still stalls the table for too long to pass for a timeout. */
const LONGEST_WAIT_MS = 60_000;

export default defineRule({
  meta: {
    id: 'mysql-lock-wait-timeout-missing',
    category: 'transactions',
    severity: 'warning',
    description:
      'DDL without a short lock_wait_timeout: queued behind one open transaction, it stops every query on the table',
    kinds: DDL,
    scalesWithSize: false,
    skipNewTables: true,
    oncePerFile: true,
    dialects: ['mysql'],
  },
  check(ctx) {
    const table =
      changeTable(ctx.change) ?? (ctx.change.kind === 'drop table' ? ctx.change.tables[0] : undefined);
    // Checked here, not only by skipNewTables: a finding dropped there would use up oncePerFile.
    if (!table || ctx.isNew(table)) return [];
    const ms = ctx.session.lockTimeoutMs;
    if (ms !== null && ms > 0 && ms <= LONGEST_WAIT_MS) return [];
    const said = ms === null ? 'No lock_wait_timeout is set' : `lock_wait_timeout is ${ms / 1000} s`;
    return [
      {
        message: `${said} before this statement on ${shown(table)}: it waits for every open transaction that used ${shown(table)} (up to a year by default on MySQL, a day on MariaDB), and every query on ${shown(table)} queues behind it meanwhile. Set a few seconds first and retry when it times out (error 1205).`,
        safeAlternative: ['SET SESSION lock_wait_timeout = 5;', `${ctx.statement.sql};`].join('\n'),
        table,
      },
    ];
  },
});
