/**
 * MySQL/MariaDB's half of validate (src/dialects/mysql/validate) on the local MariaDB: the
 * scratch copy has the target's schema (both clone methods give the target's snapshot hash),
 * SQL written for the target runs on the copy and never on the target, rows are synthesized
 * consistent with the constraints, a real sample is copied without firing triggers, and each
 * step is traced. The scratch databases live on the shared server (--dev-url); the target is a
 * database of this file's own.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mysqlDialect } from '../../../../src/dialects/mysql/index.js';
import { connectMysql } from '../../../../src/dialects/mysql/connect.js';
import { inspectMysql } from '../../../../src/dialects/mysql/introspect.js';
import { mysqlScratch } from '../../../../src/dialects/mysql/scratch/provider.js';
import { mysqlValidation } from '../../../../src/dialects/mysql/validate/index.js';
import type { Session } from '../../../../src/core/dialect/driver.js';
import type { ScratchDatabase, ScratchServer } from '../../../../src/core/dialect/scratch.js';
import type { SchemaSource } from '../../../../src/core/dialect/validation.js';
import type { SchemaSnapshot } from '../../../../src/core/snapshot.js';
import { adminRun, createTempDatabase, describeMysql, type TempDatabase } from '../support.js';

const driver = mysqlDialect.driver!;

export const RICH_SCHEMA = [
  `CREATE TABLE customers (id int PRIMARY KEY AUTO_INCREMENT, email varchar(120) NOT NULL,
     name varchar(60) NULL COMMENT 'display name', phone varchar(20) NULL,
     kind enum('a','b') NOT NULL DEFAULT 'a',
     created timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
     UNIQUE KEY customers_email (email))
   ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='people'`,
  `CREATE TABLE orders (id bigint unsigned PRIMARY KEY AUTO_INCREMENT, customer_id int NOT NULL,
     total decimal(10,2) NOT NULL, status varchar(10) NOT NULL DEFAULT 'new', doc json,
     total_cents int AS (total * 100) VIRTUAL, note text,
     KEY orders_customer (customer_id), FULLTEXT KEY orders_note (note),
     CONSTRAINT orders_total CHECK (total >= 0),
     CONSTRAINT orders_status CHECK (status in ('new','paid','gone')),
     CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE)`,
  `CREATE TABLE events (id int NOT NULL, at date NOT NULL, payload varchar(200), PRIMARY KEY (id, at))
   PARTITION BY RANGE (year(at)) (PARTITION p2023 VALUES LESS THAN (2024), PARTITION pmax VALUES LESS THAN MAXVALUE)`,
  `CREATE TABLE tree (id int PRIMARY KEY, parent_id int NULL, FOREIGN KEY (parent_id) REFERENCES tree (id))`,
  `CREATE TABLE legacy (id int PRIMARY KEY, v varchar(10)) ENGINE=MyISAM`,
  `CREATE VIEW big_orders AS SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.total > 100`,
  `CREATE VIEW big_emails AS SELECT email FROM big_orders`,
  `CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW SET NEW.note = COALESCE(NEW.note, 'touched')`,
];

async function withSession<T>(url: string, body: (s: Session) => Promise<T>): Promise<T> {
  const session = await driver.connect(url, { applicationName: 'test' });
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}

async function rows<Row>(url: string, sql: string): Promise<Row[]> {
  const session = await connectMysql(url);
  try {
    return await session.rows<Row>(sql);
  } finally {
    await session.close();
  }
}

describeMysql('MySQL validation driver', (serverUrl) => {
  let target: TempDatabase;
  let snapshot: SchemaSnapshot;
  let server: ScratchServer;

  beforeAll(async () => {
    target = await createTempDatabase(serverUrl, RICH_SCHEMA);
    snapshot = await inspectMysql(target.url);
    server = await mysqlScratch.open({ major: null, devUrl: serverUrl });
  });
  afterAll(async () => {
    await server?.close();
    await target?.drop();
  });

  async function loaded(source: SchemaSource): Promise<ScratchDatabase> {
    const db = await server.createDatabase();
    const report = await withSession(db.url, (s) => mysqlValidation.loadSchema(s, source));
    expect(report.warnings).toEqual([]);
    return db;
  }

  const comparable = async (url: string) => mysqlValidation.comparable!(await driver.inspect(url));

  it('clones the target with SHOW CREATE: the copy, and a copy of the copy, have its snapshot hash', async () => {
    const db = await loaded({ kind: 'pg-dump', url: target.url, snapshot });
    const copy = await comparable(db.url);
    expect(copy.database).toBe(target.name);
    expect(copy.tables.map((t) => `${t.schema}.${t.name}`)).toContain(`${target.name}.orders`);
    expect(copy.hash).toBe(snapshot.hash);
    const twin = await server.createDatabase(db.name);
    expect((await comparable(twin.url)).hash).toBe(snapshot.hash);
    await twin.drop();
    await db.drop();
  });

  it('clones from the snapshot alone with the same hash', async () => {
    const db = await loaded({ kind: 'snapshot', snapshot });
    const copy = await comparable(db.url);
    expect(copy.tables.map((t) => t.name)).toEqual(snapshot.tables.map((t) => t.name));
    expect(copy.hash).toBe(snapshot.hash);
    await db.drop();
  });

  it('runs SQL naming the target on the copy, and refuses SQL naming another database', async () => {
    const db = await loaded({ kind: 'snapshot', snapshot });
    await withSession(db.url, async (s) => {
      const failure = await mysqlValidation.runAsWritten(s, [
        {
          path: 'm.sql',
          sql: `ALTER TABLE \`${target.name}\`.customers ADD COLUMN zz int;`,
          transaction: 'none',
        },
      ]);
      expect(failure).toBeNull();
      const refused = await mysqlValidation.runAsWritten(s, [
        {
          path: 'n.sql',
          sql: 'SELECT 1;\nCREATE TABLE test.sp_validate_should_not_exist (id int);',
          transaction: 'none',
        },
      ]);
      expect(refused).toMatchObject({ file: 'n.sql', line: 2 });
      expect(refused?.message).toMatch(/names the database `test`/);
    });
    const column = (url: string) =>
      rows<{ n: string }>(
        url,
        `SELECT COUNT(*) AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'customers' AND COLUMN_NAME = 'zz'`,
      );
    expect(await column(db.url)).toEqual([{ n: '1' }]);
    expect(await column(target.url)).toEqual([{ n: '0' }]);
    await db.drop();
  });

  it('synthesizes rows that keep the constraints and have NULLs where the target has them', async () => {
    const db = await loaded({ kind: 'snapshot', snapshot });
    await adminRun(target.url, [
      "INSERT INTO customers (email, name, phone) VALUES ('a@x', 'A', '1'), ('b@x', NULL, '2'), ('c@x', 'C', '3'), ('d@x', 'D', '4')",
      // MariaDB's engine-independent statistics: https://mariadb.com/kb/en/engine-independent-table-statistics/
      'ANALYZE TABLE customers PERSISTENT FOR ALL',
    ]);
    const nullFraction = await withSession(target.url, (s) => mysqlValidation.readNullFractions(s));
    expect(nullFraction(`${target.name}.customers`, 'name')).toBeCloseTo(0.25, 2);
    expect(nullFraction(`${target.name}.customers`, 'phone')).toBe(0);
    const scratchSnapshot = await driver.inspect(db.url);
    const report = await withSession(db.url, (s) =>
      mysqlValidation.synthesizeRows(s, scratchSnapshot, 300, { nullFraction }),
    );
    const byTable = new Map(report.map((r) => [r.table.split('.')[1], r]));
    for (const t of ['customers', 'orders', 'events', 'tree', 'legacy'])
      expect(byTable.get(t), t).toMatchObject({ rows: 300 });
    const [stats] = await rows<Record<string, string>>(
      db.url,
      `SELECT COUNT(DISTINCT email) AS emails, SUM(name IS NULL) AS null_names, SUM(phone IS NULL) AS null_phones,
              (SELECT COUNT(*) FROM orders o LEFT JOIN customers c ON c.id = o.customer_id WHERE c.id IS NULL) AS orphans,
              (SELECT COUNT(*) FROM tree WHERE parent_id IS NOT NULL) AS children,
              (SELECT COUNT(DISTINCT status) FROM orders) AS statuses
         FROM customers`,
    );
    expect(stats).toEqual({
      emails: '300',
      null_names: '60',
      null_phones: '0',
      orphans: '0',
      children: '240',
      statuses: '3',
    });
    // The synthesized NULLs make a NOT NULL change fail on the copy, as it would on the target.
    await expect(
      adminRun(db.url, ['ALTER TABLE customers MODIFY name varchar(60) NOT NULL']),
    ).rejects.toThrow(/Data truncated|cannot be null|Invalid use of NULL/i);
    await db.drop();
  });

  it('copies a real sample without firing triggers, and drops rows whose parent was not copied', async () => {
    await adminRun(target.url, [
      'CREATE TABLE audit (n int)',
      // Row 2's parent (3) is outside a sample of two rows: its reference must become NULL.
      'SET SESSION foreign_key_checks = 0',
      'INSERT INTO tree VALUES (1, NULL), (2, 3), (3, 1)',
      'SET SESSION foreign_key_checks = 1',
      // Orders 1 and 2 belong to customers 4 and 3, outside a sample of two customers.
      'INSERT INTO orders (customer_id, total) SELECT id, 10 * id FROM customers ORDER BY id DESC',
      'CREATE TRIGGER customers_audit AFTER INSERT ON customers FOR EACH ROW INSERT INTO audit VALUES (NEW.id)',
    ]);
    const fresh = await inspectMysql(target.url);
    const db = await loaded({ kind: 'pg-dump', url: target.url, snapshot: fresh });
    const scratchSnapshot = await driver.inspect(db.url);
    const report = await withSession(target.url, (source) =>
      withSession(db.url, (scratch) => mysqlValidation.copySample(source, scratch, scratchSnapshot, 2)),
    );
    const byTable = new Map(report.map((r) => [r.table.split('.')[1], r.rows]));
    expect(byTable.get('customers')).toBe(2);
    expect(byTable.get('audit')).toBe(0);
    // The orders of the two customers copied are preferred to the first two orders.
    expect(await rows(db.url, 'SELECT id, customer_id FROM orders ORDER BY id')).toEqual([
      { id: '3', customer_id: 2 },
      { id: '4', customer_id: 1 },
    ]);
    expect(await rows(db.url, 'SELECT id, parent_id FROM tree ORDER BY id')).toEqual([
      { id: 1, parent_id: null },
      { id: 2, parent_id: null },
    ]);
    // The trigger is back once the copy is done.
    await adminRun(db.url, ["INSERT INTO customers (email) VALUES ('new@x')"]);
    expect(await rows(db.url, 'SELECT COUNT(*) AS n FROM audit')).toEqual([{ n: '1' }]);
    await db.drop();
  });
});
