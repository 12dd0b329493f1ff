import { changeTable, type ChangeOf } from '../../core/change.js';
import { defineRule, type FindingDraft, type RuleContext } from '../../core/rule.js';
import { rebuildAt } from './rebuild.js';
import { rebuildFindings } from './rebuild-checks.js';
import { refusal, refusalOwner } from './refusals.js';
import { rebuildScript } from './sql.js';
import { foreignKeys, legacyAlterTable, shown, SQLITE_VERSIONS, versionWords } from './words.js';

/**
 * What SQLite's ALTER TABLE cannot do needs the table rebuilt by the 12-step procedure
 * (https://www.sqlite.org/lang_altertable.html#otheralter), and a rebuild written by hand (or
 * by an ORM) goes wrong in known ways: foreign keys still on when the old table is dropped
 * (child rows deleted by ON DELETE CASCADE), a view left over the table (the RENAME fails),
 * indexes and triggers not created again, no foreign_key_check, no transaction, or the old
 * table renamed away first (references follow it and then point at nothing). Also reports the
 * ALTER TABLE forms an older SQLite lacks (RENAME COLUMN before 3.25.0; ADD CHECK, DROP
 * CONSTRAINT, SET/DROP NOT NULL before 3.53.0), which only a rebuild can do there.
 */
export default defineRule({
  meta: {
    id: 'sqlite-table-rebuild',
    category: 'breaking',
    severity: 'error',
    description:
      'A table rebuild that loses rows, indexes or triggers, fails, or leaves references dangling; or a change only a rebuild can make',
    kinds: [
      'drop table',
      'rename table',
      'rename column',
      'add constraint',
      'drop constraint',
      'set not null',
      'drop not null',
    ],
    scalesWithSize: false,
    skipNewTables: true,
    dialects: ['sqlite'],
  },
  check(ctx) {
    const { change } = ctx;
    if (change.kind === 'drop table')
      return change.tables.flatMap((table) => {
        if (ctx.isNew(table)) return [];
        const rebuild = rebuildAt(ctx, table);
        return rebuild ? rebuildFindings(ctx, rebuild).map((f) => ({ ...f, table })) : [];
      });
    if (change.kind === 'rename table') return renamedAwayFirst(ctx, change);
    const why = refusal(ctx.facts);
    if (why === null || refusalOwner(change) !== 'sqlite-table-rebuild') return [];
    const table = changeTable(change) ?? '';
    const [what, doing] = WHAT[change.kind] ?? [change.kind.toUpperCase(), change.kind];
    return [
      {
        message: `SQLite ${versionWords(ctx.major)} refuses this ${what}: "${why}". Only a rebuild of ${shown(table)} (the 12-step procedure) makes this change there.`,
        safeAlternative: rebuildScript(ctx.q, table, ctx.table(table), doing),
      },
    ];
  },
});

/** The ALTER TABLE form, and what it does in words. */
const WHAT: Partial<Record<string, [string, string]>> = {
  'rename column': ['RENAME COLUMN', 'rename a column'],
  'add constraint': ['ADD CHECK', 'add a CHECK constraint'],
  'drop constraint': ['DROP CONSTRAINT', 'drop a constraint'],
  'set not null': ['SET NOT NULL', 'make a column NOT NULL'],
  'drop not null': ['DROP NOT NULL', 'drop NOT NULL'],
};

/**
 * The order the documentation warns against: ALTER TABLE x RENAME TO old_x; CREATE TABLE x …;
 * … DROP TABLE old_x. The rename takes every reference to x along (foreign keys of other
 * tables from 3.26.0, views and triggers from 3.25.0), and DROP TABLE old_x leaves them
 * pointing at a table that no longer exists. Only legacy_alter_table=ON (and foreign keys off)
 * keeps them on x.
 */
function renamedAwayFirst(ctx: RuleContext, change: ChangeOf<'rename table'>): FindingDraft[] {
  const { table } = change;
  const schema = table.slice(0, table.indexOf('.'));
  const old = `${schema}.${change.newName}`;
  const later = ctx.laterChanges();
  const recreated = later.findIndex((c) => c.kind === 'create table' && c.table === table);
  if (recreated < 0) return [];
  if (!later.slice(recreated).some((c) => c.kind === 'drop table' && c.tables.includes(old))) return [];
  const legacy = legacyAlterTable(ctx);
  const moveViews = !legacy && ctx.major >= SQLITE_VERSIONS.renameRewritesTriggersAndViews;
  const moveKeys =
    foreignKeys(ctx) !== 'off' || (!legacy && ctx.major >= SQLITE_VERSIONS.renameRewritesForeignKeys);
  const refs = moveKeys
    ? ctx
        .referencingForeignKeys(table)
        .filter((f) => f.table !== table)
        .map((f) => `the foreign key of ${shown(f.table)} (${f.foreignKey.columns.join(', ')})`)
    : [];
  const views = moveViews ? ctx.viewsUsing(table).map((v) => `view ${shown(v)}`) : [];
  const moved = [...refs, ...views];
  if (ctx.schemaKnown && moved.length === 0) return [];
  const name = shown(table);
  const oldName = shown(old);
  const what = ctx.schemaKnown
    ? moved.join(', ')
    : `every foreign key${moveViews ? ', view and trigger' : ''} that references ${name}`;
  return [
    {
      message: `Renaming ${name} to ${oldName} before creating the new ${name} moves ${what} to ${oldName} with it; after DROP TABLE ${oldName} ${ctx.schemaKnown && moved.length === 1 ? 'it points' : 'they point'} at a table that no longer exists (writes to the referencing tables fail with "no such table: ${old}", as do reads of the views). Create the new table under another name, copy, drop ${name}, then rename the new one to ${name} (the documented order).`,
      severity: ctx.schemaKnown ? 'error' : 'warning',
      safeAlternative: null,
    },
  ];
}
