/**
 * The DDL of the MySQL inspect benchmark's scratch database: TABLES tables of a few realistic
 * shapes, chosen by the table's number so that every run builds the same schema.
 *
 * Every table: an auto-increment primary key, 10-13 columns of several types (integers,
 * decimal, varchar, text, enum, json, datetime, tinyint(1)), an index on its reference column
 * and a composite index. On top of that, by table number:
 *  - odd tables: a FOREIGN KEY to the table before (InnoDB, not partitioned);
 *  - every 3rd: a UNIQUE index; every 4th: a CHECK; every 5th: a virtual generated column;
 *  - every 50th: a FULLTEXT index; every 250th: a SPATIAL index on a POINT column;
 *  - every 500th: MyISAM (no FK), with a trigger on every 500th+1;
 *  - every 250th+125: partitioned, alternately by HASH and by RANGE COLUMNS (20 tables; no FK,
 *    which InnoDB refuses on partitioned tables, and every unique key holds the partition key).
 * And VIEWS views over the first tables. Totals are read back from the snapshot, not assumed.
 */

export const TABLES = 5000;
export const VIEWS = 50;

export type Shape = 'plain' | 'myisam' | 'hash' | 'range';

export function shapeOf(i: number): Shape {
  if (i % 250 === 125) return Math.floor(i / 250) % 2 === 0 ? 'hash' : 'range';
  if (i % 500 === 0 && i > 0) return 'myisam';
  return 'plain';
}

/** One CREATE TABLE (and, for a few tables, a CREATE TRIGGER): one statement per string. */
export function tableDdl(i: number): string[] {
  const shape = shapeOf(i);
  const name = `t${i}`;
  const partitioned = shape === 'hash' || shape === 'range';
  const columns = [
    'id bigint unsigned NOT NULL AUTO_INCREMENT',
    'ref_id bigint unsigned NULL',
    'name varchar(100) NOT NULL',
    `email varchar(191) ${i % 3 === 0 ? 'NOT NULL' : 'NULL'}`,
    'amount decimal(12,2) NOT NULL DEFAULT 0.00',
    'quantity int NOT NULL DEFAULT 1',
    "status enum('new','active','closed') NOT NULL DEFAULT 'new'",
    'active tinyint(1) NOT NULL DEFAULT 1',
    'created_at datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)',
    'updated_at datetime(6) NULL ON UPDATE CURRENT_TIMESTAMP(6)',
    'note text NULL',
  ];
  if (shape !== 'myisam') columns.push('payload json NULL');
  if (i % 5 === 0) columns.push('total decimal(14,2) AS (amount * quantity) VIRTUAL');
  if (i % 250 === 0) columns.push('location point NOT NULL');

  const keys: string[] = [
    // A RANGE COLUMNS table's primary key must hold its partition key.
    shape === 'range' ? 'PRIMARY KEY (id, created_at)' : 'PRIMARY KEY (id)',
    `KEY ${name}_ref_idx (ref_id)`,
    `KEY ${name}_name_created_idx (name, created_at)`,
  ];
  if (i % 3 === 0)
    keys.push(
      shape === 'range'
        ? `UNIQUE KEY ${name}_email_key (email, created_at)`
        : shape === 'hash'
          ? `UNIQUE KEY ${name}_email_key (email, id)`
          : `UNIQUE KEY ${name}_email_key (email)`,
    );
  if (i % 50 === 0 && !partitioned) keys.push(`FULLTEXT KEY ${name}_note_ft (note)`);
  if (i % 250 === 0) keys.push(`SPATIAL KEY ${name}_location_sp (location)`);
  if (i % 4 === 0) keys.push(`CONSTRAINT ${name}_amount_check CHECK (amount >= 0)`);
  if (i % 2 === 1 && shape === 'plain' && shapeOf(i - 1) === 'plain')
    keys.push(`CONSTRAINT ${name}_ref_fk FOREIGN KEY (ref_id) REFERENCES t${i - 1} (id) ON DELETE SET NULL`);

  const options =
    shape === 'myisam'
      ? 'ENGINE=MyISAM DEFAULT CHARSET=utf8mb4'
      : `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci${i % 7 === 0 ? ' ROW_FORMAT=COMPRESSED' : ''}`;
  const partitions =
    shape === 'hash'
      ? '\nPARTITION BY HASH (id) PARTITIONS 4'
      : shape === 'range'
        ? `\nPARTITION BY RANGE COLUMNS (created_at) (
  PARTITION p2024 VALUES LESS THAN ('2025-01-01'),
  PARTITION p2025 VALUES LESS THAN ('2026-01-01'),
  PARTITION pmax VALUES LESS THAN (MAXVALUE))`
        : '';
  const ddl = [
    `CREATE TABLE ${name} (\n  ${[...columns, ...keys].join(',\n  ')}\n) ${options} COMMENT='bench table ${i}'${partitions}`,
  ];
  if (i % 500 === 1)
    ddl.push(
      `CREATE TRIGGER ${name}_touch BEFORE UPDATE ON ${name} FOR EACH ROW SET NEW.quantity = GREATEST(NEW.quantity, 0)`,
    );
  return ddl;
}

export function viewDdl(v: number): string {
  const i = v * 3 + 1;
  return v % 2 === 0
    ? `CREATE VIEW v${v} AS SELECT id, name, email, amount FROM t${i} WHERE active = 1`
    : `CREATE VIEW v${v} AS SELECT a.id, a.name, b.name AS parent_name FROM t${i} a LEFT JOIN t${i - 1} b ON b.id = a.ref_id`;
}
