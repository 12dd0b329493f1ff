import { defineRule } from '../core/rule.js';

/**
 * Some ALTER TABLE forms copy the whole table into new files while holding ACCESS EXCLUSIVE:
 * SET TABLESPACE, SET LOGGED / SET UNLOGGED and SET ACCESS METHOD. Nothing reads or writes the
 * table until the copy ends, and SET LOGGED also writes all of it to the WAL (and to replicas).
 * https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES
 */
const WHAT: Record<string, string> = {
  AT_SetTableSpace: 'SET TABLESPACE copies the table into the new tablespace',
  AT_SetLogged: 'SET LOGGED rewrites the table and writes all of it to the WAL (and to every replica)',
  AT_SetUnLogged:
    'SET UNLOGGED rewrites the table (and afterwards its data is emptied after a crash and not replicated)',
  AT_SetAccessMethod: 'SET ACCESS METHOD rewrites the table in the new format',
};

export default defineRule({
  meta: {
    id: 'table-rewrite',
    category: 'locking',
    severity: 'error',
    description:
      'ALTER TABLE SET TABLESPACE / LOGGED / UNLOGGED / ACCESS METHOD rewrites the table under ACCESS EXCLUSIVE',
    kinds: ['alter table other'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['postgres'],
  },
  check({ change, facts, statement }) {
    if (change.kind !== 'alter table other' || !facts.rewritesTable) return [];
    const what = WHAT[change.subtype] ?? `${change.subtype} rewrites the table`;
    // pg_repack is a command, not SQL: it goes in the message, and there is no SQL to paste.
    const online =
      change.subtype === 'AT_SetTableSpace'
        ? ` pg_repack moves it online: pg_repack --table=${change.table} --tablespace=${tablespace(statement.sql)} --moveidx.`
        : ' There is no online form: run it in a quiet window with a lock_timeout, or build a new table and move the rows.';
    return [
      {
        message: `On ${change.table}, ${what} while ACCESS EXCLUSIVE blocks reads and writes.${online}`,
        safeAlternative: null,
      },
    ];
  },
});

/** The tablespace named by SET TABLESPACE, as pg_repack takes it (unquoted). */
function tablespace(sql: string): string {
  const name = /\bSET\s+TABLESPACE\s+("(?:[^"]|"")+"|[^\s;,]+)/i.exec(sql)?.[1] ?? '';
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name.toLowerCase();
}
