import type { ChangeOf } from '../../core/change.js';
import { defineRule, type FindingDraft, type RuleContext } from '../../core/rule.js';
import { foreignKeys, isOff, isOn, legacyAlterTable, shown, SQLITE_VERSIONS, versionWords } from './words.js';

/**
 * ALTER TABLE … RENAME TO rewrites the references to the table in triggers and views (3.25.0+)
 * and in other tables' foreign keys (3.26.0+, whatever foreign_keys says), unless
 * `PRAGMA legacy_alter_table = ON`: then, as before 3.25.0, only the table's own CREATE TABLE,
 * indexes and triggers' ON clauses follow, and every view or trigger body that names the table
 * fails afterwards with "no such table" (https://www.sqlite.org/lang_altertable.html#altertabrename,
 * https://www.sqlite.org/pragma.html#pragma_legacy_alter_table). RENAME COLUMN is not affected.
 */
export default defineRule({
  meta: {
    id: 'sqlite-legacy-alter-table',
    category: 'breaking',
    severity: 'error',
    description:
      'RENAME TABLE with legacy_alter_table=ON (or before SQLite 3.25.0) leaves views, triggers and foreign keys naming the old table',
    kinds: ['set', 'rename table'],
    scalesWithSize: false,
    skipNewTables: true,
    dialects: ['sqlite'],
  },
  check(ctx) {
    const { change } = ctx;
    if (change.kind === 'set') {
      if (change.name.toLowerCase() !== 'legacy_alter_table' || !isOn(change.value)) return [];
      const turnedOff = ctx.anyLater(
        (c) => c.kind === 'set' && c.name.toLowerCase() === 'legacy_alter_table' && isOff(c.value),
      );
      if (turnedOff) return [];
      return [
        {
          message:
            'legacy_alter_table is turned on and left on: from here on, on this connection, ALTER TABLE … RENAME TO no longer rewrites the references to the table in views and trigger bodies (they fail with "no such table" afterwards). Turn it off again after the statement that needs it.',
          safeAlternative: `${ctx.statement.sql.trim()};\n-- … the statement that needs it …\nPRAGMA legacy_alter_table = OFF;`,
          severity: 'warning',
        },
      ];
    }
    if (change.kind === 'rename table') return renamed(ctx, change);
    return [];
  },
});

function renamed(ctx: RuleContext, change: ChangeOf<'rename table'>): FindingDraft[] {
  const legacy = legacyAlterTable(ctx);
  const old = ctx.major < SQLITE_VERSIONS.renameRewritesTriggersAndViews;
  const keysStay =
    foreignKeys(ctx) === 'off' && (legacy || ctx.major < SQLITE_VERSIONS.renameRewritesForeignKeys);
  if (!legacy && !old && !keysStay) return [];
  const { table } = change;
  // Renamed away and created again under its name (the rebuild in the order that relies on
  // legacy_alter_table): the references stay on the name, which is what is meant.
  if (ctx.anyLater((c) => c.kind === 'create table' && c.table === table)) return [];
  const name = shown(table);
  const views = legacy || old ? ctx.viewsUsing(table).map((v) => `view ${shown(v)}`) : [];
  const triggers =
    legacy || old
      ? (ctx.table(table)?.triggers ?? [])
          .filter((t) => bodyNames(t.definition, name))
          .map((t) => `trigger ${t.name}`)
      : [];
  const keys = keysStay
    ? ctx
        .referencingForeignKeys(table)
        .filter((f) => f.table !== table)
        .map((f) => `the foreign key of ${shown(f.table)}`)
    : [];
  const stale = [...views, ...triggers, ...keys];
  const why = legacy
    ? 'legacy_alter_table is on'
    : old
      ? `SQLite ${versionWords(ctx.major)} is older than 3.25.0`
      : `foreign_keys is off and SQLite ${versionWords(ctx.major)} is older than 3.26.0`;
  if (ctx.schemaKnown && stale.length === 0) return [];
  return [
    {
      message: ctx.schemaKnown
        ? `${why}, so renaming ${name} to ${change.newName} leaves ${stale.join(', ')} naming ${name}: ${stale.length > 1 ? 'they fail' : 'it fails'} with "no such table: ${table}" from then on. Rename with legacy_alter_table off (and foreign keys on before 3.26.0), or create them again in this migration.`
        : `${why}, so renaming ${name} to ${change.newName} leaves every view${keysStay ? ', trigger and foreign key' : ' and trigger'} that names ${name} naming it: they fail with "no such table" from then on (run with --db to know which).`,
      safeAlternative: legacy ? `PRAGMA legacy_alter_table = OFF;\n${ctx.statement.sql.trim()};` : null,
      ...(ctx.schemaKnown ? {} : { severity: 'warning' as const }),
    },
  ];
}

/** The trigger's body (after its ON clause) names the table. */
function bodyNames(definition: string, table: string): boolean {
  const begin = definition.search(/\bBEGIN\b/i);
  const body = begin < 0 ? '' : definition.slice(begin);
  const escaped = table.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w$])["\`[]?${escaped}["\`\\]]?($|[^\\w$])`, 'i').test(body);
}
