/**
 * deploy, status and rollback on a SQLite file through the CLI, and a deploy process killed
 * (SIGKILL) inside the rebuild step's transaction: SQLite rolls the open transaction back
 * (https://www.sqlite.org/atomiccommit.html), the journal says which step was running and how
 * many of its statements had committed, the lock file names a dead process, and rerunning the
 * same plan takes the lock over, skips the done step and runs the rebuild again.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { lockPath } from '../../../../src/dialects/sqlite/deploy/lock.js';
import { runCli } from '../../../support/cli.js';
import { exec, fileState, planOf, rows, schemaHash, SHOP_SQL, stepOf, tempDir } from './support.js';

const root = fileURLToPath(new URL('../../../..', import.meta.url));

let dir: ReturnType<typeof tempDir>;
let app: string;

beforeEach(() => {
  dir = tempDir();
  app = dir.path('app.db');
  // WAL: the test reads the journal while the deploy writes.
  exec(app, `PRAGMA journal_mode = WAL; ${SHOP_SQL}`);
});
afterEach(() => dir.remove());

const addPhone = () =>
  stepOf('add-phone', ['ALTER TABLE customers ADD COLUMN phone TEXT'], {
    rollback: ['ALTER TABLE customers DROP COLUMN phone'],
  });

/** The 12-step rebuild of orders (total gets a CHECK), slowed by a long statement inside its transaction. */
const rebuild = () =>
  stepOf(
    'rebuild-orders',
    [
      'PRAGMA foreign_keys = OFF',
      'BEGIN',
      'DROP VIEW big_orders',
      `CREATE TABLE new_orders (
         id INTEGER PRIMARY KEY,
         customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
         total REAL NOT NULL DEFAULT 0 CHECK (total >= 0)
       )`,
      'INSERT INTO new_orders (id, customer_id, total) SELECT id, customer_id, total FROM orders',
      // Seconds of work: the process is killed in here.
      'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000000) SELECT count(*) FROM n',
      'DROP TABLE orders',
      'ALTER TABLE new_orders RENAME TO orders',
      'CREATE INDEX orders_customer ON orders (customer_id)',
      `CREATE TRIGGER orders_audit AFTER INSERT ON orders BEGIN INSERT INTO audit VALUES (datetime('now'), 'order ' || NEW.id); END`,
      'CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100',
      'PRAGMA foreign_key_check',
      'COMMIT',
      'PRAGMA foreign_keys = ON',
    ],
    {
      transactional: false,
      rollback: [
        'PRAGMA foreign_keys = OFF',
        'BEGIN',
        'DROP VIEW big_orders',
        'CREATE TABLE old_orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE, total REAL NOT NULL DEFAULT 0)',
        'INSERT INTO old_orders SELECT id, customer_id, total FROM orders',
        'DROP TABLE orders',
        'ALTER TABLE old_orders RENAME TO orders',
        'CREATE INDEX orders_customer ON orders (customer_id)',
        `CREATE TRIGGER orders_audit AFTER INSERT ON orders BEGIN INSERT INTO audit VALUES (datetime('now'), 'order ' || NEW.id); END`,
        'CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100',
        'COMMIT',
        'PRAGMA foreign_keys = ON',
      ],
    },
  );

function journal(): { step_id: string; status: string; statements_done: number | null }[] {
  try {
    return rows(app, 'SELECT step_id, status, statements_done FROM _schemapilot_journal ORDER BY position');
  } catch {
    return []; // not created yet
  }
}

async function until(what: string, test: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

it('deploy, status and rollback through the CLI; the backup path is printed', async () => {
  const planFile = dir.path('plan.json');
  writeFileSync(planFile, JSON.stringify(planOf([addPhone()], await schemaHash(app))));
  const before = fileState(app);
  const deployed = await runCli(['deploy', planFile, '--db', `sqlite:${app}`]);
  expect(deployed.stderr).toMatch(/backup taken: .*app\.db\.schemapilot-backup-1-/);
  expect(deployed.stdout).toContain('deploy 1 succeeded');
  expect(deployed.code).toBe(0);
  const status = await runCli(['status', '--db', `sqlite:${app}`]);
  expect(status.stderr).toBe('');
  expect(status.code).toBe(0);
  expect(status.stdout).toMatch(/add-phone[\s\S]*done/);
  const rolledBack = await runCli(['rollback', '--db', `sqlite:${app}`]);
  expect(rolledBack.code).toBe(0);
  expect(fileState(app)).toEqual(before);
  expect(rows(app, 'SELECT status FROM _schemapilot_deploys')).toEqual([{ status: 'rolled back' }]);
});

it('a deploy killed inside the rebuild resumes from the journal: the done step is skipped, the rebuild runs again', async () => {
  const planFile = dir.path('plan.json');
  writeFileSync(planFile, JSON.stringify(planOf([addPhone(), rebuild()], await schemaHash(app))));
  const ordersBefore = fileState(app).tables['orders'];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'deploy', planFile, '--db', `sqlite:${app}`],
    {
      cwd: root,
      stdio: 'ignore',
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  try {
    await until('the rebuild running in the journal', () => journal()[1]?.statements_done === 1);
    await new Promise((r) => setTimeout(r, 300)); // inside BEGIN … COMMIT, in the long statement
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  } finally {
    child.kill('SIGKILL');
  }
  // The open transaction is gone: orders is the old table, the lock file names a dead process.
  expect(journal()).toEqual([
    { step_id: 'add-phone', status: 'done', statements_done: null },
    { step_id: 'rebuild-orders', status: 'running', statements_done: 1 },
  ]);
  expect(rows(app, "SELECT count(*) AS n FROM sqlite_schema WHERE name = 'new_orders'")).toEqual([{ n: 0 }]);
  expect(existsSync(lockPath(app))).toBe(true);
  const status = await runCli(['status', '--db', `sqlite:${app}`]);
  expect(status.stdout).toMatch(/rebuild-orders[\s\S]*running/);

  const resumed = await runCli(['deploy', planFile, '--db', `sqlite:${app}`]);
  expect(resumed.stderr).toMatch(/add-phone: already done \(journal\)/);
  expect(resumed.stderr).toMatch(/backup taken by the first run/);
  expect(resumed.stdout).toContain('resumed and succeeded');
  expect(resumed.code).toBe(0);
  expect(journal().map((s) => s.status)).toEqual(['done', 'done']);
  expect(fileState(app).tables['orders']).toBe(ordersBefore);
  // Foreign keys came back on for the rebuild's parent rows: a cascade still works.
  const db = new Database(app);
  try {
    db.pragma('foreign_keys = ON');
    db.exec('DELETE FROM customers WHERE id = 1');
    expect(db.prepare('SELECT count(*) AS n FROM orders WHERE customer_id = 1').get()).toEqual({ n: 0 });
    expect(db.pragma('foreign_key_check')).toEqual([]);
  } finally {
    db.close();
  }
});
