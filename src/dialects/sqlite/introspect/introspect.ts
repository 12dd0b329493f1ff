/**
 * A SQLite database as a SchemaSnapshot. The schema is read in one read transaction (a fixed
 * number of catalog queries, catalog.ts), so it is one consistent state of the file; sizes and
 * row counts (stats.ts) are read after it commits, each b-tree walk in its own short read, so a
 * writer waiting on a rollback-journal database waits for one walk, not for all of them.
 *
 * Decided for the snapshot's shape:
 * - one schema, `main` (attached databases are other files: inspect those by their own path);
 * - `database` is the file's base name (`app.db`): the hash leaves it out, as it does MySQL's;
 * - definitions are SQLite's own text from sqlite_schema (CREATE TABLE/INDEX/VIEW/TRIGGER as
 *   written), a view's `definition` being its whole CREATE VIEW: a rebuild re-runs them as they are;
 * - autoindexes (UNIQUE and PRIMARY KEY constraints) are indexes with `constraint` set;
 * - virtual tables are tables with `module`; their shadow tables are left out, their pages
 *   counted as theirs.
 */
import { basename } from 'node:path';
import type { IntrospectOptions } from '../../../core/dialect/driver.js';
import { InputError, SchemapilotError } from '../../../core/errors.js';
import type { SchemaSnapshot, Table, Trigger, View } from '../../../core/snapshot.js';
import { bySchemaAndName, groupBy, sortByName } from '../../../core/sort.js';
import { schemaHash } from '../../../schema/hash.js';
import { connectSqlite, versionNumber } from '../connect.js';
import type { SqliteSession } from '../session.js';
import { readCatalog, readStat1, type CatalogRows, type ColumnRow } from './catalog.js';
import { tokenize, isWord } from './lexer.js';
import { dependenciesOf, type RelationColumns } from './references.js';
import { DBSTAT_SCAN_LIMIT_BYTES, measureAll, readFileInfo, stat1Rows, type BtreeStats } from './stats.js';
import { parseCreateTable } from './table-sql.js';
import { toTable } from './tables.js';

export const SQLITE_SCHEMA = 'main';

/** Open read-only, take a snapshot, close. */
export async function inspectSqlite(url: string, options: IntrospectOptions = {}): Promise<SchemaSnapshot> {
  const session = connectSqlite(url, { readOnly: true, source: '--db' });
  try {
    return await introspectSqlite(session, options);
  } finally {
    await session.close();
  }
}

export function introspectSqlite(
  session: SqliteSession,
  options: IntrospectOptions = {},
): Promise<SchemaSnapshot> {
  const unknown = (options.schemas ?? []).filter((s) => s !== SQLITE_SCHEMA);
  if (unknown.length > 0)
    throw new InputError(
      `a SQLite database has one schema, main; ${unknown.map((s) => `"${s}"`).join(', ')} is not one (an attached database is a file of its own: inspect it by its path)`,
    );
  let rows: CatalogRows;
  try {
    session.exec('BEGIN');
    try {
      rows = readCatalog(session);
    } finally {
      session.exec('COMMIT');
    }
  } catch (error) {
    throw new SchemapilotError(`reading the schema of ${session.path} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return Promise.resolve(assemble(session, rows, options.withoutStats === true));
}

function assemble(session: SqliteSession, rows: CatalogRows, withoutStats: boolean): SchemaSnapshot {
  const schema = SQLITE_SCHEMA;
  const listed = new Map((rows.tableList ?? []).map((t) => [t.name, t]));
  const columnsBy = groupBy(rows.columns, (c) => c.table_name);
  const indexesBy = groupBy(rows.indexes, (i) => i.table_name);
  const indexColumns = groupBy(rows.indexColumns, (c) => c.index_name);
  const fksBy = groupBy(rows.foreignKeys, (f) => f.table_name);
  const triggersBy = groupBy(
    rows.objects.filter((o) => o.type === 'trigger'),
    (o) => o.tbl_name.toLowerCase(),
  );
  const indexSql = new Map(
    rows.objects.filter((o) => o.type === 'index' && o.sql !== null).map((o) => [o.name, o.sql ?? '']),
  );
  const tableObjects = rows.objects.filter(
    (o) => o.type === 'table' && listed.get(o.name)?.type !== 'shadow',
  );
  const modules = new Map(tableObjects.flatMap((o) => (o.rootpage ? [] : [[o.name, moduleOf(o.sql ?? '')]])));
  const parsed = new Map(tableObjects.map((o) => [o.name, parseCreateTable(o.sql ?? '')]));
  const keyOf = new Map(
    tableObjects.map((o) => {
      const columns = (columnsBy.get(o.name) ?? []).filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
      return [o.name.toLowerCase(), { name: o.name, columns: columns.map((c) => c.name) }];
    }),
  );
  const relations: RelationColumns[] = rows.objects
    .filter((o) => o.type === 'table' || o.type === 'view')
    .map((o) => ({ name: o.name, columns: visibleColumns(columnsBy.get(o.name)).map((c) => c.name) }));
  const triggersOf = (name: string): Trigger[] =>
    sortByName(
      (triggersBy.get(name.toLowerCase()) ?? []).map((t) => ({
        name: t.name,
        definition: t.sql ?? '',
        // SQLite triggers have their body inline: no function.
        function: '',
        enabled: 'origin' as const,
        dependsOn: dependenciesOf(t.sql ?? '', relations, schema, t.name, t.tbl_name),
      })),
    );

  const tables: Table[] = tableObjects.map((o) => {
    const p = parsed.get(o.name) ?? parseCreateTable('');
    const listing = listed.get(o.name);
    const table = toTable({
      schema,
      name: o.name,
      sql: o.sql ?? '',
      parsed: p,
      withoutRowid: listing ? listing.wr === 1 : p.withoutRowid,
      strict: listing ? listing.strict === 1 : p.strict,
      columns: columnsBy.get(o.name) ?? [],
      indexes: indexesBy.get(o.name) ?? [],
      indexColumns,
      indexSql,
      foreignKeys: fksBy.get(o.name) ?? [],
      primaryKeyOf: (parent) => keyOf.get(parent.toLowerCase()),
    });
    const module = modules.get(o.name);
    return {
      ...table,
      ...(module !== undefined ? { module } : {}),
      stats: { rowEstimate: null, tableBytes: 0, indexBytes: 0 },
      triggers: triggersOf(o.name),
    };
  });

  const views: View[] = rows.objects
    .filter((o) => o.type === 'view')
    .map((o) => {
      const viewTriggers = triggersOf(o.name);
      return {
        schema,
        name: o.name,
        materialized: false,
        definition: o.sql ?? '',
        comment: null,
        columns: visibleColumns(columnsBy.get(o.name)).map((c) => ({
          collation: null,
          comment: null,
          default: null,
          generated: null,
          identity: null,
          name: c.name,
          nullable: c.notnull !== 1,
          type: c.type,
        })),
        dependsOn: dependenciesOf(o.sql ?? '', relations, schema, o.name),
        indexes: [],
        ...(viewTriggers.length > 0 ? { triggers: viewTriggers } : {}),
      };
    });

  const file = readFileInfo(session);
  const statsSource = withoutStats ? 'none' : fillStats(session, tables, file.fileBytes, rows);
  const withoutHash: Omit<SchemaSnapshot, 'hash'> = {
    formatVersion: 1,
    dialect: 'sqlite',
    serverVersion: session.targetVersion.text,
    serverVersionNum: versionNumber(session.targetVersion),
    database: basename(session.path),
    schemas: [schema],
    tables: tables.sort(bySchemaAndName),
    views: views.sort(bySchemaAndName),
    sequences: [],
    enums: [],
    extensions: [],
    functions: [],
    sqliteFile: {
      ...file,
      writtenBy: session.lastWriter?.text ?? null,
      readBy: session.version.text,
      statsSource,
    },
  };
  return { ...withoutHash, hash: schemaHash(withoutHash) };
}

/** A relation's columns as users see them: not a virtual table's hidden ones, in declared order. */
function visibleColumns(columns: readonly ColumnRow[] | undefined): ColumnRow[] {
  return [...(columns ?? [])].filter((c) => c.hidden !== 1).sort((a, b) => a.cid - b.cid);
}

/** `CREATE VIRTUAL TABLE x USING fts5(…)` → `fts5`. */
function moduleOf(sql: string): string {
  const tokens = tokenize(sql);
  const using = tokens.findIndex((t) => isWord(t, 'USING'));
  return using === -1 ? '' : (tokens[using + 1]?.value ?? '').toLowerCase();
}

/** Sizes and rows into `tables` (stats.ts says which source and why); returns the source used. */
function fillStats(
  session: SqliteSession,
  tables: Table[],
  fileBytes: number,
  rows: CatalogRows,
): 'dbstat' | 'sqlite_stat1' | 'none' {
  const btrees = fileBytes <= DBSTAT_SCAN_LIMIT_BYTES ? measureAll(session) : null;
  if (btrees) {
    const shadowsOf = shadowTables(rows, tables);
    for (const table of tables) {
      const own = btrees.get(table.name);
      const shadows = (shadowsOf.get(table.name) ?? []).map((s) => btrees.get(s));
      table.stats = statsOf(table, own, shadows, (index) => btrees.get(index));
    }
    return 'dbstat';
  }
  const counted = stat1Rows(readStat1(session));
  for (const table of tables) table.stats.rowEstimate = counted.get(table.name.toLowerCase()) ?? null;
  return counted.size > 0 ? 'sqlite_stat1' : 'none';
}

export function statsOf(
  table: Table,
  own: BtreeStats | undefined,
  shadows: readonly (BtreeStats | undefined)[],
  index: (name: string) => BtreeStats | undefined,
): Table['stats'] {
  let indexBytes = 0;
  for (const i of table.indexes) {
    const bytes = index(i.name)?.bytes ?? 0;
    i.bytes = bytes;
    // A WITHOUT ROWID table's primary key is the table's own b-tree, counted as the table.
    if (!(table.withoutRowid === true && i.primary)) indexBytes += bytes;
  }
  const tableBytes = (own?.bytes ?? 0) + shadows.reduce((sum, s) => sum + (s?.bytes ?? 0), 0);
  const rows =
    table.module !== undefined ? null : table.withoutRowid ? (own?.cells ?? 0) : (own?.leafCells ?? 0);
  return { rowEstimate: rows, tableBytes, indexBytes };
}

/** A virtual table's shadow tables (`<name>_<suffix>`, marked `shadow` by pragma_table_list). */
function shadowTables(rows: CatalogRows, tables: readonly Table[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const virtual = tables.filter((t) => t.module !== undefined).map((t) => t.name);
  for (const row of rows.tableList ?? []) {
    if (row.type !== 'shadow') continue;
    const owner = virtual
      .filter((v) => row.name.toLowerCase().startsWith(`${v.toLowerCase()}_`))
      .sort((a, b) => b.length - a.length)[0];
    if (owner) out.set(owner, [...(out.get(owner) ?? []), row.name]);
  }
  return out;
}
