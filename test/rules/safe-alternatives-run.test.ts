/**
 * "Ready to paste" checked on a real server: every safe alternative printed for the fixture
 * migration (test/fixtures/safe-alternatives/V2__unsafe.sql, one statement per rule that can
 * fire without a schema) runs, as written, on the schema the migration was written for (made
 * afresh for each), each statement on its own as `psql -f` runs a file. A finding without one must say what
 * is missing (run with --db or --schema), unless its rule has no SQL to offer by design (the
 * fix is a command such as pg_repack, or deleting a statement). No placeholder (`<value>`)
 * and no step commented out for lack of a fact may stand in for SQL.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { analyze } from '../../src/api/analyze.js';
import type { AnalyzedStatement, Finding } from '../../src/core/analysis.js';
import type { SchemaSnapshot } from '../../src/core/snapshot.js';
import { DEFAULT_CONFIG } from '../../src/config/types.js';
import { inspectPostgres } from '../../src/dialects/postgres/introspect.js';
import { loadPostgresParser, parsePostgres } from '../../src/dialects/postgres/parser.js';
import { inlineMigration } from '../../src/api/read.js';
import { renderAnalysisText } from '../../src/reporters/analysis-text.js';
import { createTempDatabase, describePg, type TempDatabase } from '../support/pg.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'safe-alternatives');
const SCHEMA = readFileSync(join(FIXTURE, 'schema.sql'), 'utf8');
const MIGRATION = readFileSync(join(FIXTURE, 'V2__unsafe.sql'), 'utf8');

/** Rules whose fix is not SQL to paste; their message says what to do instead. */
const NO_SQL_BY_DESIGN = new Set([
  'table-rewrite', // pg_repack, or a quiet window
  'vacuum-full-or-cluster', // CLUSTER: pg_repack
  'exclusion-constraint-added', // no online form exists
  'reindex-not-concurrent', // before PostgreSQL 12
  'partition-detach-not-concurrent', // before PostgreSQL 14
  'transaction-nesting', // delete the BEGIN / COMMIT
  'view-dependency', // needs the views' definitions and grants
  'unrecognized-statement',
]);

interface Occurrence {
  statement: AnalyzedStatement;
  finding: Finding;
}

describePg('safe alternatives run as written', (target) => {
  let db: TempDatabase;
  let snapshot: SchemaSnapshot;

  beforeAll(async () => {
    await loadPostgresParser();
    db = await createTempDatabase(target, SCHEMA);
    snapshot = await inspectPostgres(db.url);
  });
  afterAll(async () => db?.drop());

  async function occurrences(schema: SchemaSnapshot | null): Promise<Occurrence[]> {
    const result = await analyze({
      // Flyway wraps the file in one transaction: the transaction rules fire too.
      files: [inlineMigration('db/migration/V2__unsafe.sql', MIGRATION, 'flyway')],
      snapshot: schema,
      config: { ...DEFAULT_CONFIG, rules: {}, targetVersion: target.major },
    });
    return result.statements.flatMap((statement) =>
      statement.findings.map((finding) => ({ statement, finding })),
    );
  }

  /**
   * Runs each statement of the alternative, in autocommit, on the fixture schema made afresh
   * (everything lives in schema public, so dropping it resets the database); the error, if any.
   */
  async function runOnFreshSchema(sql: string): Promise<string | null> {
    await db.client.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public; ${SCHEMA}`);
    try {
      for (const statement of parsePostgres(sql, 'safe.sql').statements) await db.client.query(statement.sql);
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  }

  for (const [mode, schemaOf] of [
    ['without a schema', () => null],
    ['with the schema', () => snapshot],
  ] as const) {
    it(`${mode}: each safe alternative runs on the schema, or the finding says what is missing`, async () => {
      const found = await occurrences(schemaOf());
      // The fixture exercises most rules; a change that silences them would make this pass vacuously.
      expect(new Set(found.map((o) => o.finding.rule)).size).toBeGreaterThanOrEqual(
        mode === 'with the schema' ? 15 : 20,
      );
      const problems: string[] = [];
      const ran = new Map<string, string | null>();
      for (const { statement, finding } of found) {
        const where = `line ${statement.line} ${finding.rule}`;
        const safe = finding.safeAlternative;
        if (safe === null) {
          if (!NO_SQL_BY_DESIGN.has(finding.rule) && !/run with --db or --schema/.test(finding.message))
            problems.push(`${where}: no safe alternative, and the message does not say what is missing`);
          continue;
        }
        const placeholder = /<[a-z][a-z _-]*>/i.exec(safe);
        if (placeholder) problems.push(`${where}: placeholder ${placeholder[0]}`);
        if (!ran.has(safe)) ran.set(safe, await runOnFreshSchema(safe));
        const error = ran.get(safe);
        if (error) problems.push(`${where}: ${error}\n${safe}`);
      }
      expect(problems).toEqual([]);
    });
  }

  it('without a schema, says which fact is missing instead of writing SQL around it', async () => {
    const found = await occurrences(null);
    const of = (rule: string) => found.find((o) => o.finding.rule === rule)?.finding;
    expect(of('rename-column')).toMatchObject({
      safeAlternative: null,
      message: expect.stringContaining(
        'A safe alternative needs the type of public.accounts.nickname: run with --db or --schema to get it.',
      ),
    });
    expect(of('dml-without-where')).toMatchObject({
      safeAlternative: null,
      message: expect.stringContaining(
        'the primary key of public.accounts to batch it: run with --db or --schema',
      ),
    });
    expect(of('drop-column')?.safeAlternative).toContain(
      '-- 2. optionally keep the data (run with --db or --schema for the SQL: it needs the primary key);',
    );
    // The text report shows the same: the missing fact, and no commented-out ADD COLUMN.
    const text = renderAnalysisText(
      await analyze({
        files: [inlineMigration('db/migration/V2__unsafe.sql', MIGRATION, 'flyway')],
        snapshot: null,
        config: { ...DEFAULT_CONFIG, rules: {}, targetVersion: target.major },
      }),
    );
    expect(text).toContain('run with --db or --schema to get it');
    expect(text).not.toMatch(/-- ALTER TABLE accounts ADD COLUMN display_name/);
    expect(text).not.toMatch(/<[a-z][a-z _-]*>/i);
  });
});
