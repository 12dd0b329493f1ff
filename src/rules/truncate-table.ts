import { defineRule, type FindingDraft, type Quoter } from '../core/rule.js';

/**
 * TRUNCATE discards every row at once, outside MVCC (concurrent snapshots see the table empty),
 * fires no DELETE triggers, and takes ACCESS EXCLUSIVE. It is quick whatever the size (new
 * empty files, nothing copied), but after commit the data is gone: a migration rollback cannot
 * bring it back. CASCADE empties every table with a foreign key to it too.
 * https://www.postgresql.org/docs/current/sql-truncate.html
 */
export default defineRule({
  meta: {
    id: 'truncate-table',
    category: 'breaking',
    severity: 'error',
    description: 'TRUNCATE deletes all rows of an existing table, beyond any rollback',
    kinds: ['truncate'],
    scalesWithSize: false,
    skipNewTables: true,
  },
  check({ change, facts, q, isNew, dialect }) {
    if (change.kind !== 'truncate') return [];
    // MySQL's TRUNCATE empties exactly the tables named (no CASCADE): no fact to wait for.
    if (dialect === 'mysql') return change.tables.map((table) => mysqlTruncate(q, table));
    if (!facts.emptiesTable) return [];
    // The facts list every table emptied: those named, their partitions, and CASCADE's.
    const emptied = facts.locks.map((l) => l.table);
    const others = emptied.filter((t) => !change.tables.includes(t) && !isNew(t));
    return change.tables.map((table) => {
      const bare = table.slice(table.indexOf('.') + 1);
      const schema = table.slice(0, table.indexOf('.'));
      const backup = q.table(`${schema}.${bare.slice(0, 55)}_backup`);
      const mode = facts.locks.find((l) => l.table === table)?.mode ?? 'ACCESS EXCLUSIVE';
      return {
        message:
          `TRUNCATE discards every row of ${table} under ${mode}; once committed, a rollback of the migration cannot restore them.` +
          (others.length > 0 ? ` It empties ${others.join(', ')} too.` : ''),
        safeAlternative: [
          '-- keep a copy first if the rows may be needed again (or pg_dump --table):',
          `CREATE TABLE ${backup} AS TABLE ${q.table(table)};`,
          `TRUNCATE ${q.table(table)};`,
        ].join('\n'),
        table,
      };
    });
  },
});

/**
 * MySQL's TRUNCATE drops and recreates the table: DDL, so it commits the open transaction and
 * cannot be rolled back, and InnoDB refuses it on a table other tables' foreign keys reference.
 * https://dev.mysql.com/doc/refman/8.0/en/truncate-table.html
 */
function mysqlTruncate(q: Quoter, table: string): FindingDraft {
  const schema = table.slice(0, table.indexOf('.'));
  const bare = table.slice(table.indexOf('.') + 1);
  const backup = q.table(`${schema}.${bare.slice(0, 57)}_backup`);
  return {
    message: `TRUNCATE discards every row of ${table.replace(/^default\./, '')}: it is DDL, so it commits at once and no rollback can bring the rows back.`,
    safeAlternative: [
      '-- keep a copy first if the rows may be needed again (or mysqldump the table):',
      `CREATE TABLE ${backup} LIKE ${q.table(table)};`,
      `INSERT INTO ${backup} SELECT * FROM ${q.table(table)};`,
      `TRUNCATE TABLE ${q.table(table)};`,
    ].join('\n'),
    table,
  };
}
