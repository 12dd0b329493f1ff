/**
 * `plan` for SQLite end to end: migration files in SQLite's own syntax, parsed and lowered by the
 * dialect, planned against a snapshot of the fixture shop; each plan run on the real library as
 * its steps say (busy timeout, foreign_keys around the transaction) must give the schema SQLite
 * builds from the intended CREATE TABLE, and its rollback the original, data included. What
 * ALTER TABLE makes in place stays as written.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plan } from '../../../../src/api/plan.js';
import type { Plan, PlanOptions } from '../../../../src/core/plan.js';
import { sqliteDialect } from '../../../../src/dialects/sqlite/index.js';
import { inlineMigration } from '../../../../src/formats/read.js';
import { comparableSchema, healthy, HEALTHY, shapes, state } from '../support/compare.js';
import { shop, shopSchema, TABLES, type ShopTable } from '../support/fixture.js';
import { runSteps, snapshotOf, tempDir, type Db, type TempDir } from '../support/schema.js';

let dir: TempDir;
let db: Db;
beforeEach(() => {
  dir = tempDir();
  db = dir.open('shop.db', shop());
});
afterEach(() => dir.remove());

async function planSql(
  sql: string,
  options: { version?: string; plan?: Partial<PlanOptions> } = {},
): Promise<Plan> {
  return plan({
    files: [inlineMigration('m.sql', sql, 'plain')],
    snapshot: snapshotOf(db, options.version),
    dialect: sqliteDialect,
    ...(options.plan ? { options: options.plan } : {}),
  });
}

/** The plan gives what SQLite builds from `expected`; its rollback brings the original back. */
function roundTrip(p: Plan, table: ShopTable, expected: string): void {
  const original = state(db);
  runSteps(db, p.steps);
  const twin = dir.open('twin.db', shopSchema({ [table]: expected }));
  const notArchive = (r: unknown) => !(r as { name: string }).name.startsWith('schemapilot_archive_');
  expect(comparableSchema(db).filter(notArchive)).toEqual(comparableSchema(twin));
  expect(
    Object.fromEntries(Object.entries(shapes(db)).filter(([t]) => !t.startsWith('schemapilot_archive_'))),
  ).toEqual(shapes(twin));
  expect(healthy(db)).toEqual(HEALTHY);
  runSteps(db, p.steps, 'rollback');
  const after = state(db);
  expect(after['schema']).toEqual(original['schema']);
  expect(after['shapes']).toEqual(original['shapes']);
}

describe('plan for SQLite', () => {
  it('an ADD COLUMN SQLite refuses becomes one rebuild step with foreign_keys around its transaction', async () => {
    const p = await planSql(
      `ALTER TABLE orders ADD COLUMN placed_at TEXT NOT NULL DEFAULT (strftime('%Y', 'now'));`,
    );
    expect(p.dialect).toBe('sqlite');
    expect(p.serverMajor).toBe(3053002);
    expect(p.steps).toHaveLength(1);
    const [step] = p.steps;
    expect(step).toMatchObject({
      phase: 'expand',
      asWritten: false,
      transactional: false,
      retry: { retryOn: ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT'] },
    });
    // Steps 1 and 12 outside the step's own transaction, which takes the write lock at once.
    expect(step?.sql.slice(0, 2)).toEqual(['PRAGMA foreign_keys = OFF', 'BEGIN IMMEDIATE']);
    expect(step?.sql.slice(-2)).toEqual(['COMMIT', 'PRAGMA foreign_keys = ON']);
    expect(step?.rollback.slice(0, 2)).toEqual(['PRAGMA foreign_keys = OFF', 'BEGIN IMMEDIATE']);
    expect(step?.sql).toContain('DROP TABLE "orders"');
    expect(p.recommendedApproach).toMatch(/its own BEGIN … COMMIT\)$/m);
    expect(step?.description).toMatch(/^Rebuild orders \(SQLite's 12-step table rebuild: placed_at added\)/);
    roundTrip(
      p,
      'orders',
      TABLES.orders.replace(
        '  note TEXT\n',
        `  note TEXT,\n  "placed_at" TEXT NOT NULL DEFAULT (strftime('%Y', 'now'))\n`,
      ),
    );
  });

  it('a DROP COLUMN of an indexed column is a rebuild where the statement is; the index goes with the column', async () => {
    const p = await planSql('ALTER TABLE customers DROP COLUMN created_at;', { plan: { archive: true } });
    // Not moved to the contract phase: a rebuild re-creates the table from the text it was planned on.
    expect(p.steps.map((s) => s.phase)).toEqual(['expand']);
    expect(p.warnings).toContain(
      'main.customers: index customers_active_idx goes with the dropped column created_at',
    );
    const original = state(db);
    runSteps(db, p.steps);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'customers_active_idx'").all()).toEqual(
      [],
    );
    expect(
      db
        .prepare('SELECT count(*) AS n FROM pragma_table_xinfo(?) WHERE name = ?')
        .get('customers', 'created_at'),
    ).toEqual({ n: 0 });
    expect(healthy(db)).toEqual(HEALTHY);
    // Archived, the dropped values come back with the rollback, and so does the index.
    runSteps(db, p.steps, 'rollback');
    expect(state(db)).toEqual(original);
  });

  it('SET NOT NULL runs in place on 3.53, and is a rebuild on 3.52', async () => {
    const sql = 'ALTER TABLE tags ALTER COLUMN label SET NOT NULL;';
    const now = await planSql(sql);
    expect(now.steps).toMatchObject([
      { asWritten: true, sql: ['ALTER TABLE tags ALTER COLUMN label SET NOT NULL'] },
    ]);
    const before = await planSql(sql, { version: '3.52.0' });
    expect(before.steps).toMatchObject([{ asWritten: false, transactional: false }]);
    expect(before.steps[0]?.sql[0]).toBe('PRAGMA foreign_keys = OFF');
    roundTrip(before, 'tags', TABLES.tags.replace('label TEXT', 'label TEXT NOT NULL'));
  });

  it('DROP CONSTRAINT of a UNIQUE, which ALTER TABLE refuses, is a rebuild', async () => {
    const p = await planSql('ALTER TABLE customers DROP CONSTRAINT customers_email_key;');
    expect(p.steps).toMatchObject([{ phase: 'expand', asWritten: false }]);
    roundTrip(
      p,
      'customers',
      TABLES.customers.replace(',\n  CONSTRAINT customers_email_key UNIQUE (email)', ''),
    );
  });

  it('an ADD COLUMN SQLite takes stays as written, its rollback a DROP COLUMN', async () => {
    const p = await planSql('ALTER TABLE orders ADD COLUMN memo TEXT;');
    expect(p.steps).toMatchObject([
      {
        asWritten: true,
        sql: ['ALTER TABLE orders ADD COLUMN memo TEXT'],
        rollback: ['ALTER TABLE "orders" DROP COLUMN "memo"'],
      },
    ]);
    expect(p.steps[0]?.transactional).toBe(true);
    // ADD COLUMN writes the new column just before the closing parenthesis.
    roundTrip(p, 'orders', TABLES.orders.replace('  note TEXT\n)', '  note TEXT\n, memo TEXT)'));
  });

  it('a rebuild that would break a view is not planned: the statement stays, the warning names the views', async () => {
    const p = await planSql('ALTER TABLE customers DROP COLUMN email;');
    expect(p.steps).toMatchObject([{ asWritten: true }]);
    expect(p.warnings.join('\n')).toMatch(
      /view active_customers reads email; view customer_totals reads email/,
    );
  });

  for (const mode of ['wal', 'delete'] as const)
    it(`a rebuild waits its busy timeout for a writer that holds the lock (${mode} journal), then fails with SQLITE_BUSY and changes nothing`, async () => {
      db.pragma(`journal_mode = ${mode}`);
      const p = await planSql('ALTER TABLE customers DROP CONSTRAINT customers_email_key;', {
        plan: { lockTimeoutMs: 300 },
      });
      const original = state(db);
      const other = dir.open('shop.db');
      other.exec('BEGIN IMMEDIATE');
      const started = Date.now();
      let code = '';
      try {
        runSteps(db, p.steps);
      } catch (error) {
        code = (error as { code?: string }).code ?? '';
      }
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(p.steps[0]?.retry.retryOn).toContain(code);
      other.exec('ROLLBACK');
      expect(state(db)).toEqual(original);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      // The lock free again, the retry goes through.
      runSteps(db, p.steps);
      expect(healthy(db)).toEqual(HEALTHY);
    });

  it('two statements on one table keep their order, and the second rebuild is refused (its text would be stale)', async () => {
    const p = await planSql(
      'ALTER TABLE customers DROP CONSTRAINT customers_email_key;\nALTER TABLE customers ADD COLUMN memo TEXT;\nALTER TABLE customers ADD COLUMN nick TEXT UNIQUE;',
    );
    expect(p.steps.map((s) => [s.asWritten, s.sql.some((x) => x.startsWith('DROP TABLE'))])).toEqual([
      [false, true],
      [true, false],
      [true, false],
    ]);
    expect(p.warnings.join('\n')).toMatch(
      /main\.customers: Cannot add a UNIQUE column, and cannot plan the rebuild of customers: its CREATE TABLE text is unknown: .*an earlier statement of this migration created or changed the table \(write every change of a table in one ALTER TABLE statement: one rebuild\)/,
    );
  });

  it('an index or trigger created earlier in the migration stops a rebuild that would drop it', async () => {
    const p = await planSql(
      'CREATE INDEX tags_weight ON tags (weight);\nCREATE TRIGGER tags_log AFTER INSERT ON tags BEGIN SELECT 1; END;\nALTER TABLE tags ADD COLUMN code TEXT UNIQUE;',
    );
    expect(p.steps.map((s) => s.asWritten)).toEqual([true, true, true]);
    expect(p.warnings.join('\n')).toMatch(
      /index tags_weight, trigger tags_log were created earlier in this migration and DROP TABLE would take them along/,
    );
  });
});
