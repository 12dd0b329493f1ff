/**
 * The MySQL rule-test schema (test/fixtures/mysql/rules/schema.json) is what MariaDB's inspect
 * makes of schema.sql: loaded into a fresh database and inspected, it must give the same
 * structure. UPDATE_FIXTURE=1 rewrites schema.json from the server instead.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SchemaSnapshot } from '../../../src/core/snapshot.js';
import { inspectMysql } from '../../../src/dialects/mysql/introspect.js';
import { splitMysql } from '../../../src/dialects/mysql/split.js';
import { schemaHash } from '../../../src/schema/hash.js';
import { createTempDatabase, describeMysql, type TempDatabase } from '../../dialects/mysql/support.js';
import { MYSQL_FIXTURE_DIR } from '../../support/mysql-schema-fixture.js';

describeMysql('MySQL rule-test schema', (serverUrl) => {
  let db: TempDatabase;
  let inspected: SchemaSnapshot;
  const jsonUrl = new URL('schema.json', MYSQL_FIXTURE_DIR);

  beforeAll(async () => {
    const sql = readFileSync(new URL('schema.sql', MYSQL_FIXTURE_DIR), 'utf8');
    const statements = splitMysql(sql).statements.map((s) => sql.slice(s.start, s.end));
    db = await createTempDatabase(serverUrl, statements);
    const raw = await inspectMysql(db.url);
    // The database is called `shop` in the tests; sizes and the version are the fixture's.
    const renamed = JSON.parse(JSON.stringify(raw).split(db.name).join('shop')) as SchemaSnapshot;
    const normalised: Omit<SchemaSnapshot, 'hash'> = {
      ...renamed,
      serverVersion: '10.11.6-MariaDB',
      serverVersionNum: 101106,
      tables: renamed.tables.map((t) => ({ ...t, stats: { indexBytes: 0, rowEstimate: 0, tableBytes: 0 } })),
    };
    inspected = { ...normalised, hash: schemaHash(normalised) };
    if (process.env['UPDATE_FIXTURE'] === '1')
      writeFileSync(jsonUrl, `${JSON.stringify(inspected, null, 2)}\n`);
  });
  afterAll(() => db?.drop());

  it('schema.json is what inspect reads from schema.sql', () => {
    const stored = JSON.parse(readFileSync(jsonUrl, 'utf8')) as SchemaSnapshot;
    expect(stored).toEqual(inspected);
  });
});
