/**
 * MySQL's QueryChecker on its own, on the MariaDB of TEST_MYSQL_URL: what COM_STMT_PREPARE
 * reports per statement kind (the table in docs/decisions/0029-mysql-query-checker.md), what it
 * does not (checked only when the statement runs), and that it runs nothing and leaves no
 * prepared statement behind.
 */
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Session } from '../../../src/core/dialect/driver.js';
import { mysqlDialect } from '../../../src/dialects/mysql/index.js';
import { mysqlConnection } from '../../../src/dialects/mysql/session.js';
import { createTempDatabase, describeMysql, type TempDatabase } from '../../dialects/mysql/support.js';

const SCHEMA = [
  'CREATE TABLE items (id int PRIMARY KEY, title varchar(50), price int NOT NULL)',
  'CREATE TABLE orders (id int PRIMARY KEY, item_id int, qty int)',
  'CREATE TABLE audit (id int AUTO_INCREMENT PRIMARY KEY, item_id int, gone int)',
  'CREATE VIEW item_titles AS SELECT id, title FROM items',
  'CREATE VIEW audit_gone AS SELECT id, gone FROM audit',
  'CREATE PROCEDURE touch(IN x int) SELECT x',
  'CREATE TRIGGER orders_audit AFTER INSERT ON orders FOR EACH ROW INSERT INTO audit (item_id, gone) VALUES (NEW.item_id, 1)',
  // The view and the trigger now name a column that is gone.
  'ALTER TABLE audit DROP COLUMN gone',
];

describeMysql('MySQL QueryChecker', (serverUrl) => {
  let db: TempDatabase;
  let session: Session;
  const prepare = (sql: string) => mysqlDialect.driver!.impact!.prepare(session, sql, 0);
  /** What the server says when the statement runs (rolled back): the witness of what PREPARE missed. */
  const run = async (sql: string): Promise<string | null> => {
    const connection = await mysql.createConnection({ uri: db.url });
    try {
      await connection.query('START TRANSACTION');
      await connection.execute(sql);
      return null;
    } catch (error) {
      return String((error as { errno?: number }).errno);
    } finally {
      await connection.query('ROLLBACK').catch(() => undefined);
      await connection.end();
    }
  };

  beforeAll(async () => {
    db = await createTempDatabase(serverUrl, SCHEMA);
    session = await mysqlDialect.driver!.connect(db.url, { applicationName: 'impact test' });
  });
  afterAll(async () => {
    await session?.close();
    await db?.drop();
  });

  it('reports unknown tables and columns of SELECT, INSERT, REPLACE, UPDATE and DELETE with the error number', async () => {
    const cases: [string, string | null][] = [
      ['SELECT id, title FROM items WHERE id = $1', null],
      ['SELECT nope FROM items', '1054'],
      ['SELECT id FROM items WHERE nope = $1', '1054'],
      ['SELECT i.id FROM items i JOIN orders o ON o.nope = i.id', '1054'],
      ['SELECT id FROM items WHERE id IN (SELECT nope FROM orders)', '1054'],
      ['WITH x AS (SELECT nope FROM items) SELECT * FROM x', '1054'],
      ['SELECT * FROM nope', '1146'],
      ['INSERT INTO items (id, title, price) VALUES ($1, $2, $3)', null],
      ['INSERT INTO items (id, nope) VALUES ($1, $2)', '1054'],
      ['INSERT INTO items SET id = $1, nope = $2', '1054'],
      ['INSERT INTO items VALUES ($1, $2)', '1136'],
      ['INSERT INTO nope VALUES ($1)', '1146'],
      ['REPLACE INTO items (id, nope) VALUES ($1, $2)', '1054'],
      ['UPDATE items SET title = $1 WHERE id = $2', null],
      ['UPDATE items SET nope = $1 WHERE id = $2', '1054'],
      ['UPDATE items SET title = $1 WHERE nope = $2', '1054'],
      ['UPDATE items i JOIN orders o ON o.item_id = i.id SET i.nope = o.qty', '1054'],
      ['UPDATE nope SET a = 1', '1146'],
      ['DELETE FROM items WHERE id = $1', null],
      ['DELETE FROM items WHERE nope = $1', '1054'],
      ['DELETE o FROM orders o JOIN items i ON i.id = o.nope', '1054'],
      ['DELETE FROM nope WHERE id = $1', '1146'],
      ['SELECT id FROM items JOIN orders ON orders.item_id = items.id', '1052'],
      ['SELECT * FROM audit_gone', '1356'],
      ['SELECT nope(id) FROM items', '1305'],
      ['SELECT id FROM items WHERE', '1064'],
    ];
    const codes = [];
    for (const [sql] of cases) {
      const outcome = await prepare(sql);
      codes.push(outcome && 'code' in outcome ? outcome.code : outcome);
    }
    expect(codes).toEqual(cases.map(([, code]) => code));
    expect(await prepare('SELECT id, title FROM items WHERE nope = $1')).toEqual({
      code: '1054',
      message: "Unknown column 'nope' in 'WHERE'",
    });
  });

  it('misses what MariaDB checks only when the statement runs (measured, decision 0029)', async () => {
    const deferred = [
      // The trigger's body names a dropped column.
      'INSERT INTO orders (id, item_id, qty) VALUES (1, 1, 1)',
      // MariaDB resolves a single-table DELETE's ORDER BY when it runs.
      'DELETE FROM items ORDER BY nope LIMIT 1',
      'INSERT INTO items (id, title, price) SELECT id, 1, 2 FROM orders ON DUPLICATE KEY UPDATE nope = 1',
      'SELECT id FROM items WHERE MATCH(title) AGAINST ($1)',
    ];
    for (const sql of deferred) expect(await prepare(sql), sql).toBeNull();
    expect(await run('INSERT INTO orders (id, item_id, qty) VALUES (1, 1, 1)')).toBe('1054');
    expect(await run('DELETE FROM items ORDER BY nope LIMIT 1')).toBe('1054');
    expect(await run("SELECT id FROM items WHERE MATCH(title) AGAINST ('x')")).toBe('1191');
    // CALL is not even sent: PREPARE accepts a procedure that does not exist.
    expect(await prepare('CALL nope($1)')).toEqual({
      notCheckable: 'CALL: the server resolves a procedure only when it runs',
    });
    expect(await run('CALL nope()')).toBe('1305');
  });

  it('executes nothing and leaves no prepared statement open', async () => {
    const connection = mysqlConnection(session);
    const counters = async () => {
      const [rows] = await connection.query<mysql.RowDataPacket[]>(
        "SHOW SESSION STATUS WHERE Variable_name IN ('Com_stmt_prepare', 'Com_stmt_close')",
      );
      return Object.fromEntries(rows.map((r) => [r['Variable_name'] as string, Number(r['Value'])]));
    };
    const before = await counters();
    expect(await prepare("INSERT INTO items (id, title, price) VALUES (7, 'x', 1)")).toBeNull();
    expect(await prepare('DELETE FROM orders')).toBeNull();
    expect(await prepare('UPDATE items SET price = 0')).toBeNull();
    const after = await counters();
    expect(after['Com_stmt_prepare']! - before['Com_stmt_prepare']!).toBe(3);
    expect(after['Com_stmt_close']! - before['Com_stmt_close']!).toBe(3);
    expect(await run('SELECT 1')).toBeNull();
    const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM items');
    expect(Number(rows[0]?.['n'])).toBe(0);
  });

  it('throws when the connection is gone, rather than blaming the query', async () => {
    const lost = await mysqlDialect.driver!.connect(db.url, { applicationName: 'impact test' });
    mysqlConnection(lost).destroy();
    await expect(mysqlDialect.driver!.impact!.prepare(lost, 'SELECT id FROM items', 0)).rejects.toThrow();
  });
});
