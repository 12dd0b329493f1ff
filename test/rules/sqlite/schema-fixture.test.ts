/**
 * The SQLite rule-test schema (test/fixtures/sqlite/rules/schema.json) is what the SQLite
 * inspect makes of schema.sql. It was written by the introspector of branch sqlite-driver (work
 * in progress when these rules were written); until the dialect here has a driver, schema.json
 * is checked against what SQLite itself lists for schema.sql (sqlite_schema, pragma_table_xinfo,
 * pragma_index_list, pragma_foreign_key_list), and once it has one, against the inspect itself
 * (UPDATE_FIXTURE=1 rewrites schema.json from it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchemaSnapshot } from '../../../src/core/snapshot.js';
import { dialectNamed } from '../../../src/dialects/index.js';
import { tempDatabase } from '../../dialects/sqlite/support.js';
import { SQLITE_FIXTURE_DIR } from '../../support/sqlite-schema-fixture.js';

const jsonUrl = new URL('schema.json', SQLITE_FIXTURE_DIR);
const stored = JSON.parse(readFileSync(jsonUrl, 'utf8')) as SchemaSnapshot;
let database: ReturnType<typeof tempDatabase>;

beforeAll(() => {
  database = tempDatabase();
  database.db.exec(readFileSync(new URL('schema.sql', SQLITE_FIXTURE_DIR), 'utf8'));
});
afterAll(() => database.close());

const rows = <T>(sql: string, ...args: unknown[]): T[] => database.db.prepare(sql).all(...args) as T[];
const table = (name: string) => {
  const t = stored.tables.find((x) => x.name === name);
  if (!t) throw new Error(`schema.json has no table ${name}`);
  return t;
};

describe('SQLite rule-test schema', () => {
  it('lists the tables and views SQLite has', () => {
    const objects = rows<{ type: string; name: string }>(
      "SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    );
    expect(stored.tables.map((t) => t.name).sort()).toEqual(
      objects.filter((o) => o.type === 'table').map((o) => o.name),
    );
    expect(stored.views.map((v) => v.name).sort()).toEqual(
      objects.filter((o) => o.type === 'view').map((o) => o.name),
    );
  });

  it('has every column as pragma_table_xinfo lists it (name, declared type, NOT NULL, default, generated)', () => {
    for (const t of stored.tables) {
      const columns = rows<{
        name: string;
        type: string;
        notnull: number;
        dflt_value: string | null;
        hidden: number;
      }>('SELECT name, type, "notnull", dflt_value, hidden FROM pragma_table_xinfo(?)', t.name);
      expect(
        t.columns.map((c) => c.name),
        t.name,
      ).toEqual(columns.map((c) => c.name));
      for (const c of columns) {
        const mine = t.columns.find((x) => x.name === c.name);
        expect(mine?.type, `${t.name}.${c.name}`).toBe(c.type);
        // An INTEGER PRIMARY KEY is the rowid: never NULL, whatever the pragma's flag says.
        if (!(mine?.identity !== null && t.primaryKey?.columns.includes(c.name)))
          expect(mine?.nullable, `${t.name}.${c.name}`).toBe(c.notnull === 0);
        expect(mine?.default ?? null, `${t.name}.${c.name}`).toBe(c.dflt_value);
        expect(mine?.generated !== null, `${t.name}.${c.name}`).toBe(c.hidden === 2 || c.hidden === 3);
      }
    }
  });

  it('has every index, with the statement sqlite_schema keeps for those CREATE INDEX made', () => {
    for (const t of stored.tables) {
      const indexes = rows<{ name: string; unique: number; origin: string; partial: number }>(
        'SELECT name, "unique", origin, partial FROM pragma_index_list(?) ORDER BY name',
        t.name,
      );
      expect(t.indexes.map((i) => i.name).sort(), t.name).toEqual(indexes.map((i) => i.name));
      for (const i of indexes) {
        const mine = t.indexes.find((x) => x.name === i.name);
        expect(mine?.unique, i.name).toBe(i.unique === 1);
        expect(mine?.predicate !== null, i.name).toBe(i.partial === 1);
        expect(mine?.constraint === null, i.name).toBe(i.origin === 'c');
        if (i.origin === 'c')
          expect(mine?.definition).toBe(
            rows<{ sql: string }>('SELECT sql FROM sqlite_schema WHERE name = ?', i.name)[0]?.sql,
          );
      }
    }
  });

  it('has every foreign key with its action, and the triggers and views as sqlite_schema keeps them', () => {
    for (const t of stored.tables) {
      const keys = rows<{ table: string; from: string; on_delete: string }>(
        'SELECT "table", "from", on_delete FROM pragma_foreign_key_list(?)',
        t.name,
      );
      expect(
        t.foreignKeys.map((f) => [f.referencedTable, f.columns.join(','), f.onDelete]),
        t.name,
      ).toEqual(keys.map((k) => [k.table, k.from, k.on_delete]));
    }
    expect(table('users').triggers.map((x) => x.definition)).toEqual(
      rows<{ sql: string }>(
        "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'users'",
      ).map((r) => r.sql),
    );
    for (const v of stored.views)
      expect(v.definition).toBe(
        rows<{ sql: string }>('SELECT sql FROM sqlite_schema WHERE name = ?', v.name)[0]?.sql,
      );
  });

  const driver = dialectNamed('sqlite').driver;
  it.skipIf(driver === undefined)('is what the SQLite inspect reads from schema.sql', async () => {
    const inspected = await driver!.inspect(`sqlite:${database.path}`);
    const normalised = {
      ...inspected,
      database: stored.database,
      tables: inspected.tables.map((t) => ({
        ...t,
        stats: { indexBytes: 0, rowEstimate: 0, tableBytes: 0 },
        indexes: t.indexes.map((i) => ({ ...i, bytes: 0 })),
      })),
    } as Partial<SchemaSnapshot>;
    delete normalised.hash;
    if (process.env['UPDATE_FIXTURE'] === '1')
      writeFileSync(jsonUrl, `${JSON.stringify(normalised, null, 2)}\n`);
    const strip = (s: object) =>
      JSON.parse(JSON.stringify(s, (k, v: unknown) => (k === 'sqliteFile' ? undefined : v))) as unknown;
    expect(strip(stored)).toEqual(strip(normalised));
  });
});
