/**
 * The rules that hold for every dialect (drop-column, drop-table, rename-*, dml-without-where,
 * drop-not-null), as they speak on SQLite: SQLite's words and SQLite SQL, and quiet where
 * SQLite refuses the statement (the sqlite-* rule that owns the refusal reports it, refusals.ts)
 * or where the statement is a step of a table rebuild (sqlite-table-rebuild judges that).
 * Each script is run on the library by test/rules/sqlite/safe-run.test.ts.
 */
import type { ChangeOf } from '../../core/change.js';
import type { FindingDraft, RuleContext } from '../../core/rule.js';
import type { Table } from '../../core/snapshot.js';
import { rebuildAt } from './rebuild.js';
import { refusal } from './refusals.js';
import { bare, shown } from './words.js';

const BATCH_ROWS = 10_000;

/** A copy of the database to keep before dropping data: `VACUUM INTO` writes one, consistent, while others go on. */
export function backupCommand(ctx: RuleContext): string {
  return `VACUUM INTO ${ctx.q.literal('backup-before-migration.db')}`;
}

export function sqliteDropColumn(ctx: RuleContext, change: ChangeOf<'drop column'>): FindingDraft[] {
  if (refusal(ctx.facts) !== null) return [];
  const { q } = ctx;
  const key = ctx.table(change.table)?.primaryKey?.columns;
  // A rowid table without an INTEGER PRIMARY KEY pairs values by rowid, which VACUUM may change.
  const archive = key
    ? `: CREATE TABLE ${q.table(`${change.table}_${change.column}_archive`)} AS SELECT ${[...new Set([...key, change.column])].map(q.ident).join(', ')} FROM ${q.table(change.table)};`
    : ctx.schemaKnown
      ? ` (${shown(change.table)} has no primary key to pair the values with: ${backupCommand(ctx)} keeps a copy of the whole database);`
      : ' (run with --db for the SQL: it needs the primary key);';
  const views = ctx.viewsUsing(change.table, change.column);
  return [
    {
      message:
        `Dropping ${shown(change.table)}.${change.column} breaks every query that still uses it, and its data is gone (rollback cannot restore it).` +
        (views.length > 0 ? ` Views that read it: ${views.map(shown).join(', ')}.` : ''),
      safeAlternative: [
        `-- 1. stop reading and writing ${change.column} in every service, deploy;`,
        `-- 2. optionally keep the data${archive}`,
        '-- 3. then, in a later release:',
        `ALTER TABLE ${q.table(change.table)} DROP COLUMN ${q.ident(change.column)};`,
      ].join('\n'),
    },
  ];
}

export function sqliteDropTable(ctx: RuleContext, change: ChangeOf<'drop table'>): FindingDraft[] {
  return change.tables.flatMap((table) => {
    // A step of a rebuild: the table comes back under its name, with its rows.
    if (!ctx.isNew(table) && rebuildAt(ctx, table)) return [];
    const views = ctx.viewsUsing(table);
    const children = ctx.referencingForeignKeys(table).filter((f) => f.table !== table);
    const cascades = children.filter(
      (f) => f.foreignKey.onDelete !== 'NO ACTION' && f.foreignKey.onDelete !== 'RESTRICT',
    );
    return [
      {
        message:
          `Dropping ${shown(table)} breaks every query that still uses it, and its rows are gone (a rollback cannot restore them).` +
          (views.length > 0
            ? ` Views that read it: ${views.map(shown).join(', ')} (SQLite keeps them, and they fail when read).`
            : '') +
          (cascades.length > 0
            ? ` With foreign_keys on, SQLite deletes its rows first, so the ON DELETE ${cascades.map((f) => `${f.foreignKey.onDelete} of ${shown(f.table)}`).join(', ')} changes those tables too.`
            : ''),
        safeAlternative: [
          `-- 1. stop every service from reading and writing ${shown(table)}, deploy;`,
          `-- 2. keep a copy if the data may be needed (${backupCommand(ctx)}, or the sqlite3 shell's .backup);`,
          '-- 3. then, in a later release:',
          `DROP TABLE IF EXISTS ${ctx.q.table(table)};`,
        ].join('\n'),
        table,
      },
    ];
  });
}

/**
 * A view under the old name keeps old code reading; SQLite views take no writes (INSERT into
 * one fails "cannot modify … because it is a view") unless INSTEAD OF triggers are written.
 */
export function sqliteRenameTable(
  ctx: RuleContext,
  change: ChangeOf<'rename table'>,
  message: string,
): FindingDraft {
  const { q } = ctx;
  const schema = change.table.slice(0, change.table.indexOf('.'));
  return {
    message,
    safeAlternative: [
      '-- in one transaction, so no query finds the name missing:',
      'BEGIN;',
      `ALTER TABLE ${q.table(change.table)} RENAME TO ${q.ident(change.newName)};`,
      `CREATE VIEW ${q.table(change.table)} AS SELECT * FROM ${q.table(`${schema}.${change.newName}`)};`,
      'COMMIT;',
      '-- the view serves old code that reads (a SQLite view takes no writes without INSTEAD OF triggers);',
      `-- deploy code that uses ${change.newName}, then, in a later release: DROP VIEW ${q.table(change.table)};`,
    ].join('\n'),
  };
}

/**
 * Expand and contract in SQLite: the new column beside the old, triggers that copy each write of
 * one into the other (a trigger does not fire itself again unless recursive_triggers is on),
 * the rows copied in batches, and the old column dropped in a later release.
 */
export function sqliteRenameColumn(
  ctx: RuleContext,
  change: ChangeOf<'rename column'>,
  message: string,
): FindingDraft {
  if (refusal(ctx.facts) !== null) return { message, safeAlternative: null };
  const { q } = ctx;
  const info = ctx.table(change.table);
  const current = info?.columns.find((c) => c.name === change.column);
  if (!info || !current)
    return {
      message: `${message} ${ctx.schemaKnown ? `The schema given has no column ${change.column}.` : "Run with --db for the steps: they need the column's type."}`,
      safeAlternative: null,
    };
  const t = q.table(change.table);
  const [oldCol, newCol] = [q.ident(change.column), q.ident(change.newName)];
  const key = withoutRowid(info) ? info.primaryKey?.columns : ['rowid'];
  if (!key || key.length === 0) return { message, safeAlternative: null };
  const match = key.map((k) => `${q.ident(k)} = NEW.${q.ident(k)}`).join(' AND ');
  // A key of several columns is a row value: (a, b) IN (SELECT a, b …), SQLite 3.15.0+.
  const keys = key.length === 1 ? q.ident(key[0] ?? '') : `(${key.map(q.ident).join(', ')})`;
  const trigger = (suffix: string) => q.ident(`${bare(change.table)}_${change.newName}_${suffix}`);
  return {
    message,
    safeAlternative: [
      `ALTER TABLE ${t} ADD COLUMN ${newCol}${current.type ? ` ${current.type}` : ''};`,
      `-- both columns stay in step while old code uses ${change.column} and new code uses ${change.newName}:`,
      `CREATE TRIGGER ${trigger('sync_insert')} AFTER INSERT ON ${t} BEGIN UPDATE ${t} SET ${newCol} = coalesce(NEW.${newCol}, NEW.${oldCol}), ${oldCol} = coalesce(NEW.${oldCol}, NEW.${newCol}) WHERE ${match}; END;`,
      `CREATE TRIGGER ${trigger('sync_old')} AFTER UPDATE OF ${oldCol} ON ${t} BEGIN UPDATE ${t} SET ${newCol} = NEW.${oldCol} WHERE ${match}; END;`,
      `CREATE TRIGGER ${trigger('sync_new')} AFTER UPDATE OF ${newCol} ON ${t} BEGIN UPDATE ${t} SET ${oldCol} = NEW.${newCol} WHERE ${match}; END;`,
      `-- copy existing rows, in batches (run it again until it changes 0 rows):`,
      `UPDATE ${t} SET ${newCol} = ${oldCol} WHERE ${keys} IN (SELECT ${key.map(q.ident).join(', ')} FROM ${t} WHERE ${newCol} IS NOT ${oldCol} LIMIT ${BATCH_ROWS});`,
      `-- deploy code that uses ${change.newName}; then, in a later release, once nothing uses ${change.column}:`,
      `-- DROP TRIGGER ${trigger('sync_insert')}; DROP TRIGGER ${trigger('sync_old')}; DROP TRIGGER ${trigger('sync_new')};`,
      `-- ALTER TABLE ${t} DROP COLUMN ${oldCol};${current.nullable ? '' : ` (NOT NULL on ${change.newName}: ALTER TABLE ${t} ALTER COLUMN ${newCol} SET NOT NULL, SQLite 3.53.0+)`}`,
    ].join('\n'),
  };
}

/** UPDATE or DELETE of every row, in batches of rowids (a WITHOUT ROWID table has none: none offered). */
export function sqliteBatchedDml(ctx: RuleContext, change: ChangeOf<'dml'>): string[] | null {
  const sql = ctx.statement.sql.trim();
  if (/\b(ORDER\s+BY|LIMIT|RETURNING|FROM\s+\S+\s*,|JOIN)\b/i.test(sql.replace(/'(?:[^']|'')*'/g, "''")))
    return null;
  const info = ctx.table(change.table);
  if (info && withoutRowid(info)) return null;
  const t = ctx.q.table(change.table);
  if (change.operation === 'delete')
    return [
      '-- run it again until it deletes 0 rows:',
      `DELETE FROM ${t} WHERE rowid IN (SELECT rowid FROM ${t} LIMIT ${BATCH_ROWS});`,
    ];
  if (/\bFROM\b/i.test(sql) || !/^UPDATE\b/i.test(sql)) return null;
  return [
    `-- by ranges of rowid, ${BATCH_ROWS} at a time, up to SELECT max(rowid) FROM ${t}:`,
    `${sql} WHERE rowid BETWEEN 1 AND ${BATCH_ROWS};`,
    `-- then ${BATCH_ROWS + 1} to ${2 * BATCH_ROWS}, and so on.`,
  ];
}

/** A WITHOUT ROWID table (the SQLite snapshot says so; others never are). */
function withoutRowid(table: Table): boolean {
  return 'withoutRowid' in table && table.withoutRowid === true;
}
