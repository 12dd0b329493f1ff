import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SchemaSnapshot, Table } from '../../../src/core/snapshot.js';
import { connectMysql } from '../../../src/dialects/mysql/connect.js';
import { inspectMysql, introspectMysql } from '../../../src/dialects/mysql/introspect.js';
import { createTempDatabase, describeMysql, type TempDatabase } from './support.js';

/** Every object kind inspect reads; the assertions below restate this DDL, not inspect's output. */
const FIXTURE = [
  `CREATE TABLE customers (
     id bigint unsigned NOT NULL AUTO_INCREMENT,
     email varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
     name varchar(100) CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci DEFAULT NULL COMMENT 'display name',
     bio text,
     location point NOT NULL,
     status enum('new','active') NOT NULL DEFAULT 'new',
     PRIMARY KEY (id),
     UNIQUE KEY customers_email_key (email),
     KEY customers_name_prefix (name(10) DESC),
     FULLTEXT KEY customers_bio_ft (bio),
     SPATIAL KEY customers_location_sp (location)
   ) ENGINE=InnoDB ROW_FORMAT=DYNAMIC DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='people who buy'`,
  `CREATE TABLE orders (
     id int NOT NULL AUTO_INCREMENT,
     customer_id bigint unsigned DEFAULT NULL,
     quantity int NOT NULL CHECK (quantity > 0),
     price decimal(10,2) NOT NULL DEFAULT 0.00,
     total decimal(12,2) AS (quantity * price) STORED,
     label varchar(20) AS (concat('order-', id)) VIRTUAL,
     token char(36) DEFAULT uuid(),
     updated_at timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
     PRIMARY KEY (id),
     CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)
       ON DELETE SET NULL ON UPDATE CASCADE,
     CONSTRAINT orders_price_check CHECK (price >= 0)
   ) ENGINE=InnoDB ROW_FORMAT=COMPACT`,
  `CREATE TABLE order_lines (
     order_id int NOT NULL,
     line_no smallint NOT NULL,
     PRIMARY KEY (order_id, line_no),
     CONSTRAINT order_lines_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE
   ) ENGINE=InnoDB`,
  `CREATE TABLE audit_log (id int NOT NULL, note varchar(50)) ENGINE=MyISAM`,
  `CREATE TABLE events (
     id int NOT NULL,
     happened date NOT NULL,
     PRIMARY KEY (id, happened)
   ) ENGINE=InnoDB
   PARTITION BY RANGE (year(happened)) (
     PARTITION p2023 VALUES LESS THAN (2024),
     PARTITION p2024 VALUES LESS THAN (2025),
     PARTITION pmax VALUES LESS THAN MAXVALUE
   )`,
  `CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW SET NEW.price = NEW.price`,
  `CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100`,
  `INSERT INTO customers (email, name, bio, location) VALUES ('a@x', 'A', 'hello', POINT(1, 1))`,
];

describeMysql('inspect MySQL/MariaDB', (serverUrl) => {
  let db: TempDatabase;
  let snapshot: SchemaSnapshot;
  const table = (name: string): Table => {
    const found = snapshot.tables.find((t) => t.name === name);
    if (!found) throw new Error(`no table ${name}`);
    return found;
  };
  const column = (t: string, c: string) => table(t).columns.find((col) => col.name === c);

  beforeAll(async () => {
    db = await createTempDatabase(serverUrl, FIXTURE);
    snapshot = await inspectMysql(db.url);
  });
  afterAll(() => db?.drop());

  it('names the server, the database and what was inspected', () => {
    expect(snapshot.dialect).toBe('mysql');
    expect(snapshot.database).toBe(db.name);
    expect(snapshot.schemas).toEqual([db.name]);
    expect(snapshot.tables.map((t) => t.name)).toEqual([
      'audit_log',
      'customers',
      'events',
      'order_lines',
      'orders',
    ]);
    expect(snapshot.views.map((v) => v.name)).toEqual(['big_orders']);
    expect(snapshot.serverVersionNum).toBeGreaterThan(0);
    expect(snapshot.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tables: engine, row format, charset, collation, comment', () => {
    expect(table('customers')).toMatchObject({
      engine: 'InnoDB',
      rowFormat: 'Dynamic',
      charset: 'utf8mb4',
      collation: 'utf8mb4_unicode_ci',
      comment: 'people who buy',
      kind: 'table',
      partitionOf: null,
    });
    expect(table('orders').rowFormat).toBe('Compact');
    expect(table('audit_log').engine).toBe('MyISAM');
    expect(table('audit_log').primaryKey).toBeNull();
  });

  it('columns: type as spelled, nullability, defaults, identity, generated, charset', () => {
    expect(column('customers', 'id')).toMatchObject({
      nullable: false,
      identity: 'by default',
      default: null,
    });
    expect(column('customers', 'id')?.type).toMatch(/^bigint(\(20\))? unsigned$/);
    expect(column('customers', 'email')).toMatchObject({
      type: 'varchar(191)',
      nullable: false,
      charset: 'utf8mb4',
      collation: 'utf8mb4_bin',
    });
    expect(column('customers', 'name')).toMatchObject({
      nullable: true,
      default: null,
      charset: 'utf8mb3',
      comment: 'display name',
    });
    expect(column('customers', 'status')).toMatchObject({ type: "enum('new','active')", default: "'new'" });
    expect(column('customers', 'location')?.type).toBe('point');
    expect(column('orders', 'quantity')).toMatchObject({ nullable: false, identity: null, generated: null });
    expect(column('orders', 'total')).toMatchObject({ generatedKind: 'stored', default: null });
    expect(column('orders', 'total')?.generated).toMatch(/`quantity` \* `price`/);
    expect(column('orders', 'label')).toMatchObject({ generatedKind: 'virtual' });
    expect(column('orders', 'token')?.default).toMatch(/^uuid\(\)$/i);
    expect(column('orders', 'updated_at')?.default).toMatch(/^current_timestamp(\(\))?$/i);
    expect(column('orders', 'updated_at')?.onUpdate).toMatch(/^current_timestamp(\(\))?$/i);
    expect(column('orders', 'price')?.default).toMatch(/^'?0\.00'?$/);
    expect(column('orders', 'id')?.charset).toBeUndefined();
    // Ordinal order, not alphabetical.
    expect(table('orders').columns.map((c) => c.name)).toEqual([
      'id',
      'customer_id',
      'quantity',
      'price',
      'total',
      'label',
      'token',
      'updated_at',
    ]);
  });

  it('primary keys, unique constraints and indexes of every kind', () => {
    expect(table('customers').primaryKey).toEqual({ name: 'PRIMARY', columns: ['id'] });
    expect(table('order_lines').primaryKey?.columns).toEqual(['order_id', 'line_no']);
    expect(table('customers').uniqueConstraints).toMatchObject([
      { name: 'customers_email_key', columns: ['email'], deferrable: false },
    ]);
    const indexes = Object.fromEntries(table('customers').indexes.map((i) => [i.name, i]));
    expect(Object.keys(indexes)).toEqual([
      'PRIMARY',
      'customers_bio_ft',
      'customers_email_key',
      'customers_location_sp',
      'customers_name_prefix',
    ]);
    expect(indexes['PRIMARY']).toMatchObject({
      primary: true,
      unique: true,
      method: 'btree',
      constraint: 'PRIMARY',
    });
    expect(indexes['customers_bio_ft']).toMatchObject({
      method: 'fulltext',
      unique: false,
      columns: ['bio'],
    });
    expect(indexes['customers_bio_ft']?.definition).toMatch(/^CREATE FULLTEXT INDEX `customers_bio_ft` ON /);
    expect(indexes['customers_location_sp']).toMatchObject({ method: 'spatial', columns: ['location'] });
    expect(indexes['customers_location_sp']?.definition).toMatch(/^CREATE SPATIAL INDEX /);
    expect(indexes['customers_email_key']).toMatchObject({ unique: true, constraint: 'customers_email_key' });
    // Prefix length always; DESC where the server stores it (MySQL 8, MariaDB 10.8+).
    expect(indexes['customers_name_prefix']?.columns[0]).toMatch(/^name\(10\)( DESC)?$/);
    expect(indexes['customers_name_prefix']?.definition).toMatch(
      /^CREATE INDEX `customers_name_prefix` ON `sp_test_\w+`\.`customers` \(`name`\(10\)( DESC)?\)$/,
    );
  });

  it('foreign keys with their actions', () => {
    expect(table('orders').foreignKeys).toEqual([
      {
        name: 'orders_customer_fk',
        columns: ['customer_id'],
        referencedSchema: db.name,
        referencedTable: 'customers',
        referencedColumns: ['id'],
        onDelete: 'SET NULL',
        onUpdate: 'CASCADE',
        match: 'SIMPLE',
        deferrable: false,
        validated: true,
      },
    ]);
    expect(table('order_lines').foreignKeys[0]).toMatchObject({ onDelete: 'CASCADE', onUpdate: 'RESTRICT' });
  });

  it('CHECK constraints, column-level and named', () => {
    const checks = table('orders').checkConstraints;
    // MariaDB names a column-level check after its column; MySQL generates orders_chk_1.
    expect(checks.map((c) => c.name).sort()).toHaveLength(2);
    const named = checks.find((c) => c.name === 'orders_price_check');
    expect(named).toMatchObject({ validated: true });
    expect(named?.definition).toMatch(/^CHECK \(`price` >= 0\)$/);
    expect(checks.some((c) => /`quantity` > 0/.test(c.definition))).toBe(true);
  });

  it('triggers and views', () => {
    expect(table('orders').triggers).toEqual([
      {
        name: 'orders_touch',
        definition: `CREATE TRIGGER \`orders_touch\` BEFORE UPDATE ON \`${db.name}\`.\`orders\` FOR EACH ROW SET NEW.price = NEW.price`,
        function: '',
        enabled: 'origin',
      },
    ]);
    const view = snapshot.views[0];
    expect(view).toMatchObject({ name: 'big_orders', materialized: false, indexes: [] });
    expect(view?.columns.map((c) => c.name)).toEqual(['id', 'total']);
    expect(view?.definition).toMatch(/`orders`/);
    expect(view?.definition).toMatch(/> 100/);
  });

  it('partitioning: the key on the parent, partitions with their bounds', () => {
    const events = table('events');
    expect(events.kind).toBe('partitioned table');
    expect(events.partitionKey).toBe('RANGE (year(`happened`))');
    expect(events.partitions?.map((p) => [p.name, p.bound, p.subpartitions])).toEqual([
      ['p2023', 'VALUES LESS THAN (2024)', []],
      ['p2024', 'VALUES LESS THAN (2025)', []],
      ['pmax', 'VALUES LESS THAN MAXVALUE', []],
    ]);
    expect(table('orders').partitions).toBeUndefined();
    expect(events.stats.partitions?.map((p) => p.name)).toEqual(['p2023', 'p2024', 'pmax']);
  });

  it('subpartitions, and LIST bounds', async () => {
    const sub = await createTempDatabase(serverUrl, [
      `CREATE TABLE u (id int NOT NULL, d date NOT NULL)
       PARTITION BY RANGE (year(d)) SUBPARTITION BY HASH (id) SUBPARTITIONS 2
       (PARTITION a VALUES LESS THAN (2000), PARTITION b VALUES LESS THAN MAXVALUE)`,
      `CREATE TABLE l (region int NOT NULL) PARTITION BY LIST (region)
       (PARTITION eu VALUES IN (1,2), PARTITION us VALUES IN (3))`,
    ]);
    try {
      const s = await inspectMysql(sub.url);
      const [l, u] = s.tables;
      expect(u?.partitionKey).toBe('RANGE (year(`d`)) SUBPARTITION BY HASH (`id`)');
      expect(u?.partitions).toEqual([
        { name: 'a', bound: 'VALUES LESS THAN (2000)', subpartitions: ['asp0', 'asp1'] },
        { name: 'b', bound: 'VALUES LESS THAN MAXVALUE', subpartitions: ['bsp0', 'bsp1'] },
      ]);
      expect(l?.partitionKey).toBe('LIST (`region`)');
      expect(l?.partitions?.map((p) => p.bound)).toEqual(['VALUES IN (1,2)', 'VALUES IN (3)']);
    } finally {
      await sub.drop();
    }
  });

  it('row estimates and sizes from information_schema.TABLES', () => {
    const stats = table('customers').stats;
    expect(stats.tableBytes).toBeGreaterThan(0);
    expect(stats.indexBytes).toBeGreaterThan(0);
    expect(stats.rowEstimate).not.toBeNull();
  });

  it('the same JSON on a second run, and the same hash', async () => {
    const again = await inspectMysql(db.url);
    expect(JSON.stringify(again)).toBe(JSON.stringify(snapshot));
  });

  it('the hash ignores statistics and follows the structure', async () => {
    const { adminRun } = await import('./support.js');
    await adminRun(db.url, [
      `INSERT INTO events VALUES (1, '2023-05-01'), (2, '2024-05-01'), (3, '2030-01-01')`,
      `INSERT INTO customers (email, bio, location) SELECT concat('b', seq, '@x'), 'text', POINT(0, 0) FROM seq_1_to_300`,
      'ANALYZE TABLE customers, events',
    ]);
    const grown = await inspectMysql(db.url);
    expect(grown.hash).toBe(snapshot.hash);
    await adminRun(db.url, ['ALTER TABLE audit_log ENGINE=InnoDB']);
    const changed = await inspectMysql(db.url);
    expect(changed.hash).not.toBe(snapshot.hash);
    await adminRun(db.url, ['ALTER TABLE audit_log ENGINE=MyISAM']);
  });

  it('a fixed number of catalog queries, whatever the number of tables', async () => {
    const count = async (): Promise<number> => {
      const session = await connectMysql(db.url, { readOnly: true });
      let queries = 0;
      const rows = session.rows.bind(session);
      session.rows = (sql, values) => {
        if (/information_schema/i.test(sql)) queries++;
        return rows(sql, values);
      };
      try {
        await introspectMysql(session);
      } finally {
        await session.close();
      }
      return queries;
    };
    const before = await count();
    const more = Array.from(
      { length: 40 },
      (_, i) => `CREATE TABLE extra_${i} (id int PRIMARY KEY, v varchar(10) UNIQUE, CHECK (id > 0))`,
    );
    const { adminRun } = await import('./support.js');
    await adminRun(db.url, more);
    const after = await count();
    expect(before).toBe(after);
    // Server, tables, columns, indexes, foreign-key columns and rules, checks, triggers, views,
    // partitions (only when a table is partitioned).
    expect(before).toBeLessThanOrEqual(10);
  });

  it('an unknown database is an input error naming what exists', async () => {
    await expect(inspectMysql(db.url, { schemas: ['sp_nope'] })).rejects.toThrow(
      /unknown database "sp_nope"/,
    );
  });
});
