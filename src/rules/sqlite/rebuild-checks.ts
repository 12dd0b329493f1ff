/**
 * What a hand-written rebuild (rebuild.ts) gets wrong, one finding each, checked on the library
 * by test/rules/sqlite/claims.test.ts:
 * - foreign_keys still on at DROP TABLE: SQLite first deletes every row of the table, so the
 *   ON DELETE CASCADE of a child table deletes the child's rows (SET NULL clears them), and a
 *   plain reference makes the DROP fail (https://www.sqlite.org/foreignkeys.html#fk_schemacommands);
 *   PRAGMA foreign_keys does nothing inside a transaction, and defer_foreign_keys does not stop
 *   the cascade;
 * - a view over the table left in place: the RENAME of the replacement fails (from 3.25.0, which
 *   rewrites views on a rename; run here on 3.53.2)
 *   ("error in view v: no such table"), as it checks every view and trigger;
 * - indexes and triggers that DROP TABLE took with it and the file does not create again;
 * - no PRAGMA foreign_key_check before COMMIT while foreign keys are off;
 * - no transaction: a failure half-way leaves the table dropped.
 */
import type { FindingDraft, RuleContext } from '../../core/rule.js';
import { checksForeignKeys, indexesNotRecreated, triggersNotRecreated, type Rebuild } from './rebuild.js';
import { createAgain } from './sql.js';
import { foreignKeys, isOn, legacyAlterTable, shown, SQLITE_VERSIONS } from './words.js';

export function rebuildFindings(ctx: RuleContext, r: Rebuild): FindingDraft[] {
  return [
    ...foreignKeysOn(ctx, r),
    ...viewsInTheWay(ctx, r),
    ...notRecreated(ctx, r),
    ...noForeignKeyCheck(ctx, r),
    ...noTransaction(ctx, r),
  ];
}

const FRAME = [
  'PRAGMA foreign_keys = OFF; -- before BEGIN: inside a transaction it does nothing',
  'BEGIN;',
  '-- … the rebuild as written …',
  'PRAGMA foreign_key_check; -- no row back: every reference still holds',
  'COMMIT;',
  'PRAGMA foreign_keys = ON;',
].join('\n');

function children(ctx: RuleContext, r: Rebuild) {
  return ctx.referencingForeignKeys(r.table).filter((f) => f.table !== r.table && f.table !== r.replacement);
}

function foreignKeysOn(ctx: RuleContext, r: Rebuild): FindingDraft[] {
  if (foreignKeys(ctx) === 'off') return [];
  const name = shown(r.table);
  const where = ctx.transaction.inTransaction
    ? ctx.transaction.startedBy === 'runner'
      ? ' The runner runs the file in a transaction, where PRAGMA foreign_keys does nothing: turn foreign keys off on its connection before it begins, or run this rebuild outside the runner.'
      : ' PRAGMA foreign_keys does nothing inside a transaction: turn it off before BEGIN.'
    : '';
  const state =
    foreignKeys(ctx) === 'on'
      ? 'foreign_keys is on'
      : 'foreign_keys is on unless the connection turned it off (better-sqlite3, Prisma and most drivers turn it on)';
  if (!ctx.schemaKnown)
    return [
      {
        message: `DROP TABLE ${name} in this rebuild runs while ${state}: if other tables reference ${name}, SQLite deletes its rows first, so an ON DELETE CASCADE deletes their rows too and a plain reference makes the DROP fail (run with --db to know).${where}`,
        safeAlternative: FRAME,
        severity: 'warning',
      },
    ];
  const refs = children(ctx, r);
  if (refs.length === 0) return [];
  const effect = (action: string, table: string, columns: string[]): string => {
    const cols = columns.join(', ');
    if (action === 'CASCADE')
      return `deletes the rows of ${shown(table)} that reference it (${cols}: ON DELETE CASCADE)`;
    if (action === 'SET NULL') return `sets ${shown(table)}.${cols} to NULL in every row that references it`;
    if (action === 'SET DEFAULT')
      return `sets ${shown(table)}.${cols} to its default in every row that references it`;
    return `fails ("FOREIGN KEY constraint failed") if ${shown(table)} has a row that references it (${cols}): at the DROP, or at COMMIT when the reference is deferred (defer_foreign_keys too)`;
  };
  const effects = refs.map((f) => effect(f.foreignKey.onDelete, f.table, f.foreignKey.columns));
  const loses = refs.some(
    (f) => f.foreignKey.onDelete !== 'NO ACTION' && f.foreignKey.onDelete !== 'RESTRICT',
  );
  return [
    {
      message: `DROP TABLE ${name} in this rebuild runs while ${state}, so SQLite first deletes every row of ${name} as a DELETE would: it ${effects.join('; it ')}.${loses ? ' The copy in the new table does not bring them back, and PRAGMA defer_foreign_keys does not stop it.' : ''}${where}`,
      safeAlternative: FRAME,
    },
  ];
}

function viewsInTheWay(ctx: RuleContext, r: Rebuild): FindingDraft[] {
  // Created again under its name (no RENAME), the views find the table again.
  // legacy_alter_table = ON at the RENAME (set before the DROP, or between it and the RENAME as
  // schemapilot's own rebuild does) leaves views alone: the RENAME then succeeds.
  const legacyAtRename =
    legacyAlterTable(ctx) ||
    r.between.some((c) => c.kind === 'set' && c.name.toLowerCase() === 'legacy_alter_table' && isOn(c.value));
  if (!r.replacement || legacyAtRename || ctx.major < SQLITE_VERSIONS.renameRewritesTriggersAndViews)
    return [];
  const views = ctx.viewsUsing(r.table);
  if (views.length === 0) return [];
  const name = shown(r.table);
  const list = views.map(shown).join(', ');
  return [
    {
      message: `${list} read${views.length === 1 ? 's' : ''} ${name}, and stay${views.length === 1 ? 's' : ''} when it is dropped: ALTER TABLE ${shown(r.replacement)} RENAME TO ${name} then fails ("error in view ${shown(views[0] ?? '')}: no such table: ${r.table}"), as SQLite checks every view when it renames. Drop the views before the rebuild and create them again after the RENAME.`,
      safeAlternative: [
        ...views.map((v) => `DROP VIEW ${ctx.q.table(v)};`),
        '-- … the rebuild as written …',
        "-- then each view again, as it was (SELECT sql FROM sqlite_schema WHERE type = 'view'):",
        ...views.map((v) => `-- CREATE VIEW ${ctx.q.table(v)} AS …;`),
      ].join('\n'),
    },
  ];
}

function notRecreated(ctx: RuleContext, r: Rebuild): FindingDraft[] {
  const indexes = indexesNotRecreated(ctx, r);
  const triggers = triggersNotRecreated(ctx, r);
  if (indexes.length === 0 && triggers.length === 0) return [];
  const name = shown(r.table);
  const what = [
    ...(indexes.length > 0
      ? [`index${indexes.length > 1 ? 'es' : ''} ${indexes.map((i) => i.name).join(', ')}`]
      : []),
    ...(triggers.length > 0
      ? [`trigger${triggers.length > 1 ? 's' : ''} ${triggers.map((t) => t.name).join(', ')}`]
      : []),
  ].join(' and ');
  const unique = indexes.some((i) => i.unique);
  return [
    {
      message: `DROP TABLE ${name} drops its ${what} too, and this file does not create ${indexes.length + triggers.length > 1 ? 'them' : 'it'} again: ${[
        ...(indexes.length > 0
          ? [`queries that used ${indexes.length > 1 ? 'those indexes' : 'the index'} read the whole table`]
          : []),
        ...(unique ? ['duplicates are no longer refused'] : []),
        ...(triggers.length > 0
          ? [`what the trigger${triggers.length > 1 ? 's' : ''} did stops happening`]
          : []),
      ].join(', ')}.`,
      severity: 'warning',
      safeAlternative: [
        `-- after ALTER TABLE … RENAME TO ${ctx.q.ident(name)}:`,
        ...indexes.map(createAgain),
        ...triggers.map(createAgain),
      ].join('\n'),
    },
  ];
}

function noForeignKeyCheck(ctx: RuleContext, r: Rebuild): FindingDraft[] {
  if (foreignKeys(ctx) !== 'off') return [];
  const own = (r.replacement ? ctx.table(r.replacement) : undefined)?.foreignKeys.length ?? 0;
  if (ctx.schemaKnown && own === 0 && children(ctx, r).length === 0) return [];
  if (checksForeignKeys([...r.between, ...r.after], ctx.transaction.inTransaction)) return [];
  return [
    {
      message: `Foreign keys are off during this rebuild of ${shown(r.table)} and nothing checks them before it ${ctx.transaction.inTransaction ? 'commits' : 'ends'}: rows that break a reference (copied into the new table, or left pointing at the old one) are kept without a word. Run PRAGMA foreign_key_check before COMMIT and roll back if it returns a row.`,
      severity: 'warning',
      safeAlternative: FRAME,
    },
  ];
}

function noTransaction(ctx: RuleContext, r: Rebuild): FindingDraft[] {
  if (ctx.transaction.inTransaction) return [];
  return [
    {
      message: `This rebuild of ${shown(r.table)} runs outside a transaction: each statement commits on its own, so if one fails after DROP TABLE ${shown(r.table)}, the table is gone and its rows are only in ${r.replacement ? shown(r.replacement) : 'the copy'}. Wrap the rebuild in BEGIN … COMMIT (after PRAGMA foreign_keys = OFF).`,
      severity: 'warning',
      safeAlternative: FRAME,
    },
  ];
}
