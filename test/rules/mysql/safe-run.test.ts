/**
 * The MySQL rules checked against MariaDB: every safe alternative printed for the unsafe
 * fixture (test/fixtures/mysql/rules/unsafe.sql) runs, as written, on a fresh copy of the
 * rule-test schema with rows (schema.sql, rows.sql); and what the messages claim holds on the
 * server: the clause we ask for makes it refuse a copy, the statements we call refused are,
 * the expand steps and triggers we print do what we say.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { analyze } from '../../../src/api/analyze.js';
import type { Finding } from '../../../src/core/analysis.js';
import type { SchemaSnapshot } from '../../../src/core/snapshot.js';
import { DEFAULT_CONFIG } from '../../../src/config/types.js';
import { dialectNamed } from '../../../src/dialects/index.js';
import { inspectMysql } from '../../../src/dialects/mysql/introspect.js';
import { splitMysql } from '../../../src/dialects/mysql/split.js';
import { inlineMigration } from '../../../src/formats/read.js';
import { describeMysql, withDatabase } from '../../dialects/mysql/support.js';
import { MYSQL_FIXTURE_DIR } from '../../support/mysql-schema-fixture.js';

const read = (name: string): string => readFileSync(new URL(name, MYSQL_FIXTURE_DIR), 'utf8');
const statements = (sql: string): string[] =>
  splitMysql(sql).statements.map((s) => sql.slice(s.start, s.end));

describeMysql('MySQL rules on MariaDB', (serverUrl) => {
  const database = `sp_rules_${randomBytes(5).toString('hex')}`;
  let conn: mysql.Connection;
  let snapshot: SchemaSnapshot;

  /** The rule-test schema (with its rows unless told), afresh, as the connection's current database. */
  async function reset(withRows = true): Promise<void> {
    await conn.query(`DROP DATABASE IF EXISTS ${database}`);
    await conn.query(`CREATE DATABASE ${database}`);
    await conn.query(`USE ${database}`);
    await conn.query('SET SESSION sql_mode = DEFAULT, SESSION foreign_key_checks = 1');
    const sql = [...statements(read('schema.sql')), ...(withRows ? statements(read('rows.sql')) : [])];
    for (const s of sql) await conn.query(s);
  }

  /** Runs each statement; the first error as `code: message`, or null. */
  async function run(sql: string): Promise<string | null> {
    try {
      for (const s of statements(sql)) await conn.query(s);
      return null;
    } catch (error) {
      const e = error as { code?: string; message: string };
      return `${e.code ?? ''}: ${e.message}`;
    }
  }

  async function rows<T>(sql: string): Promise<T[]> {
    const [result] = await conn.query(sql);
    return result as T[];
  }

  async function findingsOf(sql: string, rule?: string): Promise<Finding[]> {
    const result = await analyze({
      files: [inlineMigration('migration.sql', sql, 'plain')],
      snapshot,
      config: { ...DEFAULT_CONFIG, rules: {} },
      dialect: dialectNamed('mysql'),
    });
    return result.statements.flatMap((s) => s.findings).filter((f) => rule === undefined || f.rule === rule);
  }

  async function safeOf(sql: string, rule: string): Promise<string> {
    const [finding] = await findingsOf(sql, rule);
    expect(finding?.safeAlternative, `${rule} on ${sql}`).toBeTruthy();
    return finding?.safeAlternative ?? '';
  }

  beforeAll(async () => {
    conn = await mysql.createConnection({ uri: serverUrl.replace(/^mariadb:/, 'mysql:') });
    await reset();
    snapshot = await inspectMysql(withDatabase(serverUrl, database));
  });
  afterAll(async () => {
    await conn?.query(`DROP DATABASE IF EXISTS ${database}`);
    await conn?.end();
  });

  // On the schema without rows, as the PostgreSQL suite does: steps that need the data fixed
  // first (the NULLs gone, no duplicates) say so, and are checked with rows below.
  it('every safe alternative of the unsafe fixture runs as written on a fresh copy', async () => {
    const all = (await findingsOf(read('unsafe.sql'))).filter((f) => f.safeAlternative);
    expect(all.length).toBeGreaterThan(15);
    const failures: string[] = [];
    for (const f of all) {
      await reset(false);
      const error = await run(f.safeAlternative ?? '');
      if (error) failures.push(`${f.rule}: ${error}\n${f.safeAlternative ?? ''}`);
    }
    expect(failures).toEqual([]);
  });

  it('mysql-algorithm-lock-missing: the clause it asks for makes the server refuse a copy', async () => {
    // Without a schema the rule cannot know legacy_log is MyISAM (every index build a copy); the
    // clause makes the server say so.
    const result = await analyze({
      files: [
        inlineMigration('m.sql', 'ALTER TABLE legacy_log ADD INDEX legacy_log_message (message)', 'plain'),
      ],
      snapshot: null,
      dialect: dialectNamed('mysql'),
    });
    const safe = result.statements[0]?.findings.find(
      (f) => f.rule === 'mysql-algorithm-lock-missing',
    )?.safeAlternative;
    expect(safe).toMatch(/ALGORITHM=INPLACE, LOCK=NONE;$/);
    await reset();
    expect(await run(safe ?? '')).toMatch(
      /^ER_ALTER_OPERATION_NOT_SUPPORTED(_REASON)?: .*Try ALGORITHM=COPY/,
    );
    const [index] = await rows<{ n: number }>(
      `SELECT COUNT(*) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '${database}' AND TABLE_NAME = 'legacy_log' AND INDEX_NAME = 'legacy_log_message'`,
    );
    expect(Number(index?.n)).toBe(0);
  });

  it('the copies and write-blocking builds the rules report are refused online', async () => {
    const refused: [string, RegExp][] = [
      [
        'ALTER TABLE users ADD COLUMN token char(36) DEFAULT (uuid()), ALGORITHM=INPLACE',
        /Try ALGORITHM=COPY/,
      ],
      ['ALTER TABLE users MODIFY score bigint NOT NULL DEFAULT 0, ALGORITHM=INPLACE', /Try ALGORITHM=COPY/],
      [
        "ALTER TABLE users MODIFY status enum('active','pending','disabled') NOT NULL DEFAULT 'active', ALGORITHM=INPLACE",
        /Try ALGORITHM=COPY/,
      ],
      ['ALTER TABLE users MODIFY nickname varchar(64), ALGORITHM=INPLACE', /Try ALGORITHM=COPY/],
      ['ALTER TABLE orders CONVERT TO CHARACTER SET latin1, ALGORITHM=INPLACE', /Try ALGORITHM=COPY/],
      [
        'ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id), ALGORITHM=INPLACE',
        /foreign_key_checks/,
      ],
      [
        'ALTER TABLE articles ADD COLUMN summary varchar(200), ALGORITHM=INPLACE, LOCK=NONE',
        /Try LOCK=SHARED/,
      ],
      [
        'ALTER TABLE users ADD FULLTEXT INDEX users_name_ft (name), ALGORITHM=INPLACE, LOCK=NONE',
        /Try LOCK=SHARED/,
      ],
      [
        'ALTER TABLE tags ADD COLUMN id int NOT NULL AUTO_INCREMENT, ADD UNIQUE KEY (id), ALGORITHM=INPLACE, LOCK=NONE',
        /Try LOCK=SHARED/,
      ],
      ['ALTER TABLE settings DROP PRIMARY KEY, ALGORITHM=INPLACE', /Try ALGORITHM=COPY/],
      ['ALTER TABLE legacy_log ADD COLUMN level int, ALGORITHM=INPLACE', /Try ALGORITHM=COPY/],
      [
        'ALTER TABLE users ADD CONSTRAINT users_score_positive CHECK (score >= 0), ALGORITHM=INPLACE',
        /Try ALGORITHM=COPY/,
      ],
      // mysql-drop-primary-key: an AUTO_INCREMENT key cannot go at all.
      ['ALTER TABLE orders DROP PRIMARY KEY', /ER_WRONG_AUTO_KEY/],
    ];
    await reset();
    for (const [sql, error] of refused) expect(await run(sql), sql).toMatch(error);
    // …while what they call online is accepted so.
    for (const sql of [
      'ALTER TABLE users ADD COLUMN phone varchar(20) AFTER email, ALGORITHM=INSTANT',
      "ALTER TABLE users MODIFY status enum('active','disabled','pending') NOT NULL DEFAULT 'active', ALGORITHM=INSTANT",
      'ALTER TABLE users MODIFY nickname varchar(60), ALGORITHM=INSTANT',
      'ALTER TABLE orders ENGINE=InnoDB, ALGORITHM=INPLACE, LOCK=NONE',
      'ALTER TABLE settings DROP PRIMARY KEY, ADD PRIMARY KEY (name, value(10)), ALGORITHM=INPLACE, LOCK=NONE',
    ])
      expect(await run(sql), sql).toBeNull();
  });

  it('mysql-copy-large-table: the expand steps fill every row and later rows get the default', async () => {
    await reset();
    const safe = await safeOf(
      'ALTER TABLE users ADD COLUMN token char(36) NOT NULL DEFAULT (uuid())',
      'mysql-copy-large-table',
    );
    expect(await run(safe)).toBeNull();
    await conn.query("INSERT INTO users (email) VALUES ('new@example.com')");
    const tokens = await rows<{ token: string | null }>('SELECT token FROM users');
    expect(tokens).toHaveLength(4);
    expect(tokens.every((t) => typeof t.token === 'string' && /^[0-9a-f-]{36}$/.test(t.token))).toBe(true);
    expect(new Set(tokens.map((t) => t.token)).size).toBe(4);
  });

  it('mysql-not-null-with-nulls: strict mode refuses the NULLs, non-strict turns them into empty strings', async () => {
    await reset();
    expect(await run('ALTER TABLE users MODIFY nickname varchar(50) NOT NULL')).toMatch(
      /^WARN_DATA_TRUNCATED|ER_INVALID_USE_OF_NULL|Data truncated/,
    );
    await conn.query("SET SESSION sql_mode = ''");
    expect(await run('ALTER TABLE users MODIFY nickname varchar(50) NOT NULL')).toBeNull();
    const nicknames = await rows<{ nickname: string }>('SELECT nickname FROM users ORDER BY id');
    expect(nicknames.map((r) => r.nickname)).toEqual(['ann', '', '']);
  });

  it('add-required-column: the ALTER succeeds, rows get the zero value, and INSERTs that leave the column out fail', async () => {
    await reset();
    expect(await run('ALTER TABLE users ADD COLUMN plan varchar(20) NOT NULL')).toBeNull();
    expect((await rows<{ plan: string }>('SELECT plan FROM users')).map((r) => r.plan)).toEqual(['', '', '']);
    expect(await run("INSERT INTO users (email) VALUES ('x@example.com')")).toMatch(
      /^ER_NO_DEFAULT_FOR_FIELD/,
    );
  });

  it('mysql-modify-drops-default: the MODIFY drops the default, the alternative keeps it', async () => {
    await reset();
    expect(await run('ALTER TABLE users MODIFY score int NOT NULL')).toBeNull();
    expect(await run("INSERT INTO users (email) VALUES ('x@example.com')")).toMatch(
      /^ER_NO_DEFAULT_FOR_FIELD/,
    );
    await reset();
    const safe = await safeOf(
      "ALTER TABLE users MODIFY status enum('active','disabled') NOT NULL",
      'mysql-modify-drops-default',
    );
    expect(await run(safe)).toBeNull();
    expect(await run("INSERT INTO users (email) VALUES ('x@example.com')")).toBeNull();
  });

  it('rename-column: the triggers keep both columns in step whichever one is written', async () => {
    await reset();
    const safe = await safeOf('ALTER TABLE users RENAME COLUMN nickname TO handle', 'rename-column');
    expect(await run(safe)).toBeNull();
    // Old code writes nickname, new code writes handle.
    await conn.query("INSERT INTO users (id, email, nickname) VALUES (10, 'old@example.com', 'olde')");
    await conn.query("INSERT INTO users (id, email, handle) VALUES (11, 'new@example.com', 'newe')");
    await conn.query("UPDATE users SET nickname = 'ann2' WHERE id = 1");
    await conn.query("UPDATE users SET handle = 'cy2' WHERE id = 3");
    await conn.query('UPDATE users SET score = score + 1 WHERE id = 2');
    const got = await rows<{ id: number; nickname: string | null; handle: string | null }>(
      'SELECT id, nickname, handle FROM users ORDER BY id',
    );
    expect(got.map((r) => [r.id, r.nickname, r.handle])).toEqual([
      [1, 'ann2', 'ann2'],
      [2, null, null],
      [3, 'cy2', 'cy2'],
      [10, 'olde', 'olde'],
      [11, 'newe', 'newe'],
    ]);
  });

  it('rename-column: NOT NULL old column, new code leaving it out: the insert trigger fills it', async () => {
    await reset();
    const safe = await safeOf('ALTER TABLE users RENAME COLUMN email TO email_address', 'rename-column');
    expect(await run(safe)).toBeNull();
    expect(await run("INSERT INTO users (id, email_address) VALUES (12, 'n@example.com')")).toBeNull();
    const [row] = await rows<{ email: string }>('SELECT email FROM users WHERE id = 12');
    expect(row?.email).toBe('n@example.com');
  });

  it('rename-table: old code reads and writes through the view', async () => {
    await reset();
    expect(await run(await safeOf('RENAME TABLE tags TO user_tags', 'rename-table'))).toBeNull();
    expect(await run("INSERT INTO tags (tag, user_id) VALUES ('new', 3)")).toBeNull();
    expect(await run("UPDATE tags SET tag = 'gold' WHERE user_id = 1")).toBeNull();
    expect(
      (await rows<{ tag: string }>('SELECT tag FROM user_tags ORDER BY user_id')).map((r) => r.tag),
    ).toEqual(['gold', 'vip', 'new']);
  });

  it('mysql-foreign-key-copy: the orphan check counts orphans, the key goes in in place', async () => {
    await reset();
    const safe = await safeOf(
      'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id)',
      'mysql-foreign-key-copy',
    );
    const [check] = statements(safe).filter((s) => s.startsWith('SELECT'));
    await conn.query('INSERT INTO orders (id, user_id) VALUES (3, 99)');
    expect(Object.values((await rows<Record<string, number>>(check ?? ''))[0] ?? {})).toEqual([1]);
    await conn.query('DELETE FROM orders WHERE id = 3');
    expect(await run(safe)).toBeNull();
    expect(await run('INSERT INTO orders (id, user_id) VALUES (4, 99)')).toMatch(/^ER_NO_REFERENCED_ROW/);
  });

  it('mysql-type-narrowing: the misfit query finds what the ALTER refuses', async () => {
    await reset();
    await conn.query("UPDATE users SET name = 'a name longer than twenty' WHERE id = 1");
    const safe = await safeOf('ALTER TABLE users MODIFY name varchar(20)', 'mysql-type-narrowing');
    expect(Object.values((await rows<Record<string, number>>(statements(safe)[0] ?? ''))[0] ?? {})).toEqual([
      1,
    ]);
    expect(await run('ALTER TABLE users MODIFY name varchar(20)')).toMatch(
      /^ER_DATA_TOO_LONG|WARN_DATA_TRUNCATED/,
    );
  });

  it('mysql-utf8mb3: utf8mb3 refuses a 4-byte character; the alternative stores it', async () => {
    await reset();
    await conn.query('CREATE TABLE t3 (a varchar(10) CHARACTER SET utf8mb3)');
    expect(await run("INSERT INTO t3 VALUES ('ok 🎂')")).toMatch(/^ER_TRUNCATED_WRONG_VALUE_FOR_FIELD/);
    expect(
      await run(await safeOf('CREATE TABLE t4 (a varchar(10) CHARACTER SET utf8mb3)', 'mysql-utf8mb3')),
    ).toBeNull();
    expect(await run("INSERT INTO t4 VALUES ('ok 🎂')")).toBeNull();
  });

  it('mysql-lock-wait-timeout-missing: an ALTER waits for a transaction that read the table, until lock_wait_timeout', async () => {
    await reset();
    const reader = await mysql.createConnection({
      uri: withDatabase(serverUrl, database).replace(/^mariadb:/, 'mysql:'),
    });
    try {
      await reader.query('START TRANSACTION');
      await reader.query('SELECT * FROM users');
      await conn.query('SET SESSION lock_wait_timeout = 1');
      const started = Date.now();
      expect(await run('ALTER TABLE users ADD COLUMN phone varchar(20)')).toMatch(/^ER_LOCK_WAIT_TIMEOUT/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    } finally {
      await reader.end();
    }
  });

  it('view-dependency: MySQL drops a column a view reads, and the view then fails', async () => {
    await reset();
    expect(await run('ALTER TABLE users DROP COLUMN email')).toBeNull();
    expect(await run('SELECT * FROM user_emails')).toMatch(/^ER_VIEW_INVALID/);
  });

  it('truncate-table: the backup keeps the rows TRUNCATE discards', async () => {
    await reset();
    expect(await run(await safeOf('TRUNCATE TABLE tags', 'truncate-table'))).toBeNull();
    expect(await rows('SELECT * FROM tags')).toHaveLength(0);
    expect(await rows('SELECT * FROM tags_backup')).toHaveLength(2);
  });
});
