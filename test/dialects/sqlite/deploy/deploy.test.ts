/**
 * `deploy` on a SQLite file, on the real library: an in-place change, a 12-step rebuild step,
 * a deploy failing midway (file unchanged: schema and every table's rows), the backup restored
 * when the steps' rollback cannot undo them (and not when another connection wrote since),
 * SQLITE_BUSY from a writer holding the lock (retried, then reported), and the deploy lock.
 * https://www.sqlite.org/lang_altertable.html, https://www.sqlite.org/backup.html
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deploy, type DeployEvent } from '../../../../src/deploy/deploy.js';
import { renderIncidentText } from '../../../../src/reporters/incident/index.js';
import { sqliteIncidentWords } from '../../../../src/dialects/sqlite/deploy/incident.js';
import { lockPath } from '../../../../src/dialects/sqlite/deploy/lock.js';
import {
  deployOptions,
  exec,
  fileState,
  planOf,
  rows,
  schemaHash,
  SHOP_SQL,
  stepOf,
  tempDir,
} from './support.js';

interface Holder {
  done: Promise<void>;
}

/**
 * Another process (an application writer) that takes the write lock with BEGIN IMMEDIATE and
 * lets go after `ms`. Another process, because a statement waiting on busy_timeout blocks this
 * one's event loop: a holder in this process could never let go meanwhile.
 */
async function holdWriteLock(path: string, ms: number): Promise<Holder> {
  const script = `const D = require('better-sqlite3'); const db = new D(process.argv[1]);
    db.exec('BEGIN IMMEDIATE'); process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ['-e', script, path, String(ms)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const done = new Promise<void>((r) => child.once('exit', () => r()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('locked')) resolve();
    });
    child.once('exit', () => reject(new Error('the lock holder exited before locking')));
  });
  return { done };
}

let dir: ReturnType<typeof tempDir>;
let app: string;

beforeEach(() => {
  dir = tempDir();
  app = dir.path('app.db');
  exec(app, SHOP_SQL);
});
afterEach(() => dir.remove());

const addPhone = () =>
  stepOf('add-phone', ['ALTER TABLE customers ADD COLUMN phone TEXT'], {
    rollback: ['ALTER TABLE customers DROP COLUMN phone'],
  });

describe('deploy on SQLite', () => {
  it('applies an in-place ADD COLUMN, journals it in the file and takes a backup first', async () => {
    const events: DeployEvent[] = [];
    const plan = planOf([addPhone()], await schemaHash(app));
    const result = await deploy(deployOptions(app, plan, { onEvent: (e) => void events.push(e) }));
    expect(result.incident).toBeNull();
    expect(result.deploy?.status).toBe('succeeded');
    expect(
      rows<{ name: string }>(app, "SELECT name FROM pragma_table_info('customers')").map((r) => r.name),
    ).toEqual(['id', 'email', 'name', 'phone']);
    expect(rows(app, 'SELECT step_id, status FROM _schemapilot_journal')).toEqual([
      { step_id: 'add-phone', status: 'done' },
    ]);
    // The backup is the file before the step: SQLite reads it without the new column.
    const backup = events.find((e) => e.type === 'backup');
    expect(backup?.type === 'backup' && backup.path).toMatch(/app\.db\.schemapilot-backup-1-\d{8}T\d{6}Z$/);
    if (backup?.type !== 'backup') throw new Error('no backup event');
    expect(
      rows<{ name: string }>(backup.path, "SELECT name FROM pragma_table_info('customers')").length,
    ).toBe(3);
    expect(result.notes.join('\n')).toContain(backup.path);
    // The journal tables are not part of the schema: the hash is the one after the change alone.
    const twin = dir.path('twin.db');
    exec(twin, SHOP_SQL + 'ALTER TABLE customers ADD COLUMN phone TEXT;');
    expect(await schemaHash(app)).toBe(await schemaHash(twin));
    expect(existsSync(lockPath(app))).toBe(false);
  });

  it('runs a 12-step rebuild step (its own transaction, foreign keys off around it) and keeps index, view and trigger', async () => {
    // https://www.sqlite.org/lang_altertable.html#otheralter: total becomes NOT NULL CHECK (total >= 0).
    const rebuild = stepOf(
      'rebuild-orders',
      [
        'PRAGMA foreign_keys = OFF',
        'BEGIN',
        // A view on the table stops its rename (3.26+ checks views): dropped and made again.
        'DROP VIEW big_orders',
        `CREATE TABLE new_orders (
           id INTEGER PRIMARY KEY,
           customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
           total REAL NOT NULL DEFAULT 0 CHECK (total >= 0)
         )`,
        'INSERT INTO new_orders (id, customer_id, total) SELECT id, customer_id, total FROM orders',
        'DROP TABLE orders',
        'ALTER TABLE new_orders RENAME TO orders',
        'CREATE INDEX orders_customer ON orders (customer_id)',
        `CREATE TRIGGER orders_audit AFTER INSERT ON orders BEGIN INSERT INTO audit VALUES (datetime('now'), 'order ' || NEW.id); END`,
        'CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100',
        'PRAGMA foreign_key_check',
        'COMMIT',
        'PRAGMA foreign_keys = ON',
      ],
      { transactional: false },
    );
    const before = fileState(app);
    const result = await deploy(deployOptions(app, planOf([rebuild], await schemaHash(app))));
    expect(result.incident).toBeNull();
    const after = fileState(app);
    expect(after.tables['orders']).toBe(before.tables['orders']);
    expect(after.schema.filter((s) => /orders_customer|big_orders|orders_audit/.test(s)).length).toBe(3);
    expect(() => exec(app, 'INSERT INTO orders (customer_id, total) VALUES (1, -1)')).toThrow(
      /CHECK constraint failed/,
    );
    expect(
      rows(app, "SELECT statements_done FROM _schemapilot_journal WHERE step_id = 'rebuild-orders'"),
    ).toEqual([{ statements_done: 13 }]);
  });

  it('a deploy failing midway leaves the file as it was: schema and every table, and reports the incident', async () => {
    const before = fileState(app);
    // Two customers share an email: the unique index fails on the existing rows.
    const unique = stepOf('unique-email', ['CREATE UNIQUE INDEX customers_email ON customers (email)'], {
      rollback: ['DROP INDEX customers_email'],
    });
    const fill = stepOf('fill-phone', ["UPDATE customers SET phone = '-'"], { rollback: [] });
    const plan = planOf([addPhone(), fill, unique], await schemaHash(app));
    const result = await deploy(deployOptions(app, plan));
    expect(result.deploy?.status).toBe('rolled back');
    expect(result.incident?.error.sqlstate).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect(result.incident?.rolledBack).toEqual(['fill-phone', 'add-phone']);
    expect(result.incident?.schemaRestored).toBe(true);
    // The steps' own rollback sufficed: the backup was not needed.
    expect(result.incident?.backup?.restored).toBe(false);
    expect(fileState(app)).toEqual(before);
    const text = renderIncidentText(result.incident!, plan, undefined, sqliteIncidentWords);
    expect(text).toContain('SQLITE_CONSTRAINT_UNIQUE');
  });

  it('restores the backup when a step cannot be undone, so the file is as it was', async () => {
    const before = fileState(app);
    // Dropping a table is not undone by its rollback (no rollback SQL kept): only the backup can.
    const dropAudit = stepOf('drop-audit', ['DROP TABLE audit', 'DROP TRIGGER IF EXISTS orders_audit'], {
      reversible: true,
      destroysData: true,
      rollback: ['SELECT no_such_function()'],
    });
    const breaks = stepOf('breaks', ['UPDATE orders SET customer_id = NULL WHERE id = 250']);
    const plan = planOf([addPhone(), dropAudit, breaks], await schemaHash(app));
    const result = await deploy(deployOptions(app, plan));
    expect(result.incident?.error.sqlstate).toBe('SQLITE_CONSTRAINT_NOTNULL');
    expect(result.incident?.rollbackErrors.map((e) => e.step)).toEqual(['drop-audit']);
    expect(result.incident?.backup?.restored).toBe(true);
    expect(result.deploy?.status).toBe('rolled back');
    expect(result.incident?.schemaRestored).toBe(true);
    expect(fileState(app)).toEqual(before);
    // The journal went back with the file and was written again.
    expect(rows(app, 'SELECT status FROM _schemapilot_deploys')).toEqual([{ status: 'rolled back' }]);
    expect(rows(app, 'SELECT step_id, status FROM _schemapilot_journal ORDER BY position')).toEqual([
      { step_id: 'add-phone', status: 'rolled back' },
      { step_id: 'drop-audit', status: 'rolled back' },
      { step_id: 'breaks', status: 'failed' },
    ]);
  });

  it('does not restore the backup over writes another connection made since', async () => {
    const app2 = new Database(app);
    try {
      const dropAudit = stepOf('drop-audit', ['DROP TRIGGER orders_audit', 'DROP TABLE audit'], {
        rollback: ['SELECT no_such_function()'],
      });
      const breaks = stepOf('breaks', ['UPDATE orders SET customer_id = NULL WHERE id = 250']);
      const plan = planOf([dropAudit, breaks], await schemaHash(app));
      const result = await deploy(
        deployOptions(app, plan, {
          // The application writes between the steps.
          onEvent: (e) => {
            if (e.type === 'step-done')
              app2.prepare("INSERT INTO customers (email) VALUES ('new@x.io')").run();
          },
        }),
      );
      expect(result.deploy?.status).toBe('rollback failed');
      expect(result.incident?.backup?.restored).toBe(false);
      expect(result.incident?.backup?.why).toMatch(/other connections wrote/);
      expect(rows(app, "SELECT count(*) AS n FROM customers WHERE email = 'new@x.io'")).toEqual([{ n: 1 }]);
    } finally {
      app2.close();
    }
  });

  it('retries SQLITE_BUSY while another process holds the write lock, then succeeds once it lets go', async () => {
    let holder: Holder | undefined;
    try {
      const plan = planOf([addPhone()], await schemaHash(app));
      const result = await deploy(
        deployOptions(app, plan, {
          // After the journal says "running": the writer takes the lock as the step's first attempt starts.
          onEvent: async (e) => {
            if (e.type === 'step-start' && e.attempt === 1) holder = await holdWriteLock(app, 800);
          },
        }),
      );
      expect(result.incident).toBeNull();
      const [step] = rows<{ attempts: string }>(app, 'SELECT attempts FROM _schemapilot_journal');
      const attempts = JSON.parse(step?.attempts ?? '[]') as { error: { sqlstate: string } | null }[];
      expect(attempts[0]?.error?.sqlstate).toBe('SQLITE_BUSY');
      expect(attempts[attempts.length - 1]?.error).toBeNull();
    } finally {
      await holder?.done;
    }
  });

  it('reports SQLITE_BUSY as a lock timeout when the attempts run out while the writer holds the lock', async () => {
    let holder: Holder | undefined;
    try {
      const step = { ...addPhone(), retry: { ...addPhone().retry, maxAttempts: 1 } };
      const plan = planOf([step], await schemaHash(app));
      const before = fileState(app);
      const result = await deploy(
        deployOptions(app, plan, {
          onEvent: async (e) => {
            if (e.type === 'step-start' && e.attempt === 1) holder = await holdWriteLock(app, 800);
          },
        }),
      );
      expect(result.incident?.cause).toBe('lock timeout');
      expect(result.incident?.error.sqlstate).toBe('SQLITE_BUSY');
      expect(result.incident?.failedStep.attempts).toHaveLength(1);
      // The step waited busy_timeout (its lock timeout, 200 ms), not the 5 s default.
      expect(result.incident?.failedStep.attempts[0]?.durationMs).toBeLessThan(1_000);
      expect(fileState(app)).toEqual(before);
      const text = renderIncidentText(result.incident!, plan, undefined, sqliteIncidentWords);
      expect(text).toContain('SQLITE_BUSY');
    } finally {
      await holder?.done;
    }
  });

  it('refuses a second deploy while the lock file names a live process, and takes over a dead one', async () => {
    const plan = planOf([addPhone()], await schemaHash(app));
    // process 1 (init) is alive on every host.
    writeFileSync(
      lockPath(app),
      JSON.stringify({ pid: 1, host: (await import('node:os')).hostname(), started: 'x' }),
    );
    await expect(deploy(deployOptions(app, plan))).rejects.toThrow(/another schemapilot deploy.*process 1 /);
    // A pid that no process has (above the kernel's pid_max): a deploy that was killed.
    writeFileSync(
      lockPath(app),
      JSON.stringify({ pid: 2 ** 30, host: (await import('node:os')).hostname(), started: 'x' }),
    );
    const result = await deploy(deployOptions(app, plan));
    expect(result.deploy?.status).toBe('succeeded');
    expect(existsSync(lockPath(app))).toBe(false);
  });
});
