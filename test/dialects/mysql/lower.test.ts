/**
 * MySQL lowering, pure (no server): every corpus statement lowers to modelled Changes, and a
 * table of statements → the Changes written from the SQL by hand.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Change, ColumnSpec } from '../../../src/core/change.js';
import { lowerMysql } from '../../../src/dialects/mysql/lower.js';
import { loadMysqlParser, parseMysql } from '../../../src/dialects/mysql/parser.js';
import { corpusFiles } from './corpus.js';

beforeAll(loadMysqlParser);

function lower(sql: string): Change[] {
  const [statement] = parseMysql(sql, 'm.sql').statements;
  return lowerMysql(statement?.ast, 'shop');
}

const type = (name: string, sql: string, modifiers: number[] = []) => ({
  name,
  modifiers,
  arrayDims: 0,
  sql,
});
const literal = (sql: string) => ({ sql, functions: [], constant: true });
const column = (name: string, over: Partial<ColumnSpec>): ColumnSpec => ({
  name,
  type: type('int', 'int'),
  notNull: false,
  default: null,
  identity: null,
  generated: null,
  collation: null,
  primaryKey: false,
  unique: false,
  checks: [],
  references: null,
  ...over,
});

describe('the corpus', () => {
  it('lowers every statement without unknown', () => {
    const unknown: string[] = [];
    let count = 0;
    for (const { name, text } of corpusFiles()) {
      for (const s of parseMysql(text, name).statements) {
        const changes = lowerMysql(s.ast, 'shop');
        count++;
        expect(changes.length, s.sql).toBeGreaterThan(0);
        if (changes.some((c) => c.kind === 'unknown')) unknown.push(`${name}:${s.line}: ${s.sql}`);
      }
    }
    expect(count).toBeGreaterThan(70);
    // None on purpose: every statement of the corpus is modelled.
    expect(unknown).toEqual([]);
  });
});

const cases: [string, Change[]][] = [
  [
    'CREATE TABLE IF NOT EXISTS s2.Orders (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, ' +
      'token CHAR(36) NOT NULL DEFAULT (uuid()), total DECIMAL(10,2) DEFAULT 0.00, ' +
      'g INT AS (id * 2) STORED, UNIQUE KEY orders_token (token), KEY orders_total (total), ' +
      'CONSTRAINT ck CHECK (total >= 0), CONSTRAINT fk FOREIGN KEY (id) REFERENCES users (id) ON DELETE CASCADE)',
    [
      {
        kind: 'create table',
        table: 's2.Orders',
        columns: [
          column('id', {
            type: type('bigint unsigned', 'bigint unsigned'),
            notNull: true,
            identity: 'by default',
            primaryKey: true,
          }),
          column('token', {
            type: type('char', 'char(36)', [36]),
            notNull: true,
            default: { sql: '(uuid())', functions: ['uuid'], constant: false },
          }),
          column('total', { type: type('decimal', 'decimal(10,2)', [10, 2]), default: literal('0.00') }),
          column('g', {
            generated: { expr: { sql: '`id` * 2', functions: [], constant: false }, stored: true },
          }),
        ],
        constraints: [
          {
            type: 'unique',
            name: 'orders_token',
            columns: ['token'],
            usingIndex: null,
            nullsNotDistinct: false,
          },
          {
            type: 'check',
            name: 'ck',
            expr: { sql: '`total` >= 0', functions: [], constant: false },
            notValid: false,
            noInherit: false,
          },
          {
            type: 'foreign key',
            name: 'fk',
            columns: ['id'],
            references: { table: 'shop.users', columns: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' },
            notValid: false,
          },
        ],
        ifNotExists: true,
        partitionOf: null,
        partitioned: false,
        asSelect: false,
        withData: true,
        reads: [],
        unlogged: false,
        temporary: false,
      },
      {
        kind: 'create index',
        index: {
          name: 'orders_total',
          table: 's2.Orders',
          unique: false,
          concurrently: false,
          ifNotExists: false,
          method: 'btree',
          columns: ['total'],
          columnNames: ['total'],
          where: null,
          only: false,
        },
      },
    ],
  ],
  [
    'ALTER TABLE `users` ADD COLUMN a INT NOT NULL DEFAULT 0 FIRST, DROP COLUMN b, ALGORITHM=INSTANT, LOCK=NONE',
    [
      {
        kind: 'add column',
        table: 'shop.users',
        column: column('a', { notNull: true, default: literal('0') }),
        ifNotExists: false,
        position: { first: true },
        algorithm: 'INSTANT',
        lock: 'NONE',
      },
      {
        kind: 'drop column',
        table: 'shop.users',
        column: 'b',
        ifExists: false,
        cascade: false,
        algorithm: 'INSTANT',
        lock: 'NONE',
      },
    ],
  ],
  [
    'ALTER TABLE t CHANGE COLUMN old_name new_name BIGINT NOT NULL AFTER id',
    [
      { kind: 'rename column', table: 'shop.t', column: 'old_name', newName: 'new_name' },
      {
        kind: 'alter column type',
        table: 'shop.t',
        column: 'new_name',
        type: type('bigint', 'bigint'),
        using: null,
        usingIsColumn: false,
        collation: null,
        position: { after: 'id' },
      },
      { kind: 'set not null', table: 'shop.t', column: 'new_name' },
      { kind: 'drop default', table: 'shop.t', column: 'new_name' },
    ],
  ],
  [
    "ALTER TABLE t MODIFY c VARCHAR(20) NULL DEFAULT 'x'",
    [
      {
        kind: 'alter column type',
        table: 'shop.t',
        column: 'c',
        type: type('varchar', 'varchar(20)', [20]),
        using: null,
        usingIsColumn: false,
        collation: null,
      },
      { kind: 'drop not null', table: 'shop.t', column: 'c' },
      { kind: 'set default', table: 'shop.t', column: 'c', default: literal("'x'") },
    ],
  ],
  [
    'ALTER TABLE t ALTER COLUMN c SET DEFAULT (now())',
    [
      {
        kind: 'set default',
        table: 'shop.t',
        column: 'c',
        default: { sql: '(now())', functions: ['now'], constant: false },
      },
    ],
  ],
  [
    'ALTER TABLE t DROP PRIMARY KEY, DROP FOREIGN KEY fk1, DROP CHECK ck1, DROP INDEX i1, ADD UNIQUE (a)',
    [
      { kind: 'drop constraint', table: 'shop.t', name: 'PRIMARY', ifExists: false, cascade: false },
      { kind: 'drop constraint', table: 'shop.t', name: 'fk1', ifExists: false, cascade: false },
      { kind: 'drop constraint', table: 'shop.t', name: 'ck1', ifExists: false, cascade: false },
      {
        kind: 'drop index',
        indexes: ['shop.i1'],
        concurrently: false,
        ifExists: false,
        cascade: false,
        table: 'shop.t',
      },
      {
        kind: 'add constraint',
        table: 'shop.t',
        constraint: { type: 'unique', name: null, columns: ['a'], usingIndex: null, nullsNotDistinct: false },
      },
    ],
  ],
  [
    'ALTER TABLE t ENGINE=InnoDB, RENAME TO t2',
    [
      { kind: 'alter table other', table: 'shop.t', subtype: 'ENGINE=INNODB', rewrites: true },
      { kind: 'rename table', table: 'shop.t', newName: 'shop.t2' },
    ],
  ],
  [
    'CREATE FULLTEXT INDEX ft ON d.t (body, title)',
    [
      {
        kind: 'create index',
        index: {
          name: 'ft',
          table: 'd.t',
          unique: false,
          concurrently: false,
          ifNotExists: false,
          method: 'fulltext',
          columns: ['body', 'title'],
          columnNames: ['body', 'title'],
          where: null,
          only: false,
        },
      },
    ],
  ],
  [
    'DROP INDEX i ON t ALGORITHM=INPLACE LOCK=NONE',
    [
      {
        kind: 'drop index',
        indexes: ['shop.i'],
        concurrently: false,
        ifExists: false,
        cascade: false,
        table: 'shop.t',
        algorithm: 'INPLACE',
        lock: 'NONE',
      },
    ],
  ],
  [
    'RENAME TABLE a TO b, c TO x.d',
    [
      { kind: 'rename table', table: 'shop.a', newName: 'shop.b' },
      { kind: 'rename table', table: 'shop.c', newName: 'x.d' },
    ],
  ],
  [
    'DROP TABLE IF EXISTS a, x.b',
    [{ kind: 'drop table', tables: ['shop.a', 'x.b'], ifExists: true, cascade: false }],
  ],
  ['TRUNCATE TABLE a', [{ kind: 'truncate', tables: ['shop.a'], cascade: false }]],
  // DROP SCHEMA is DROP DATABASE in MySQL.
  [
    'DROP DATABASE IF EXISTS old_shop',
    [{ kind: 'drop database', database: 'old_shop', ifExists: true, force: false }],
  ],
  ['DROP SCHEMA old_shop', [{ kind: 'drop database', database: 'old_shop', ifExists: false, force: false }]],
  [
    'OPTIMIZE TABLE a',
    [{ kind: 'alter table other', table: 'shop.a', subtype: 'OPTIMIZE TABLE', rewrites: true }],
  ],
  [
    'ANALYZE TABLE a',
    [{ kind: 'vacuum', command: 'analyze', tables: ['shop.a'], full: false, analyze: true }],
  ],
  [
    'SET SESSION lock_wait_timeout = 3',
    [{ kind: 'set timeout', setting: 'lock_timeout', ms: 3000, local: false }],
  ],
  [
    'SET GLOBAL lock_wait_timeout = 3',
    [{ kind: 'set', name: 'global.lock_wait_timeout', value: '3', local: false }],
  ],
  [
    'SET @@session.foreign_key_checks = 0',
    [{ kind: 'set', name: 'foreign_key_checks', value: '0', local: false }],
  ],
  ['START TRANSACTION', [{ kind: 'transaction', action: 'begin' }]],
  ['BEGIN', [{ kind: 'transaction', action: 'begin' }]],
  ['COMMIT', [{ kind: 'transaction', action: 'commit' }]],
  ['ROLLBACK', [{ kind: 'transaction', action: 'rollback' }]],
  [
    'CREATE VIEW v AS SELECT u.id FROM users u JOIN x.orders o ON o.user_id = u.id',
    [
      {
        kind: 'create view',
        view: 'shop.v',
        materialized: false,
        orReplace: false,
        reads: ['shop.users', 'x.orders'],
      },
    ],
  ],
  [
    'DROP VIEW IF EXISTS v',
    [{ kind: 'drop view', views: ['shop.v'], materialized: false, ifExists: true, cascade: false }],
  ],
  [
    'INSERT INTO t (a, b) VALUES (1, 2)',
    [{ kind: 'dml', operation: 'insert', table: 'shop.t', hasWhere: false, columns: ['a', 'b'] }],
  ],
  [
    'UPDATE t SET a = 1, b = 2 WHERE id < 10',
    [{ kind: 'dml', operation: 'update', table: 'shop.t', hasWhere: true, columns: ['a', 'b'] }],
  ],
  [
    'UPDATE t o JOIN u ON u.id = o.u SET o.a = 1',
    [{ kind: 'dml', operation: 'update', table: 'shop.t', hasWhere: false, columns: ['a'] }],
  ],
  ['DELETE FROM t', [{ kind: 'dml', operation: 'delete', table: 'shop.t', hasWhere: false, columns: [] }]],
  ['SELECT 1', [{ kind: 'select' }]],
  [
    'CREATE TABLE c AS SELECT * FROM a JOIN b ON a.id = b.id',
    [
      {
        kind: 'create table',
        table: 'shop.c',
        columns: [],
        constraints: [],
        ifNotExists: false,
        partitionOf: null,
        partitioned: false,
        asSelect: true,
        withData: true,
        reads: ['shop.a', 'shop.b'],
        unlogged: false,
        temporary: false,
      },
    ],
  ],
  ['ALTER TABLE t FORCE', [{ kind: 'alter table other', table: 'shop.t', subtype: 'FORCE', rewrites: true }]],
  [
    'ALTER TABLE t ADD COLUMN (a INT, b INT NOT NULL)',
    [
      { kind: 'add column', table: 'shop.t', column: column('a', {}), ifNotExists: false },
      { kind: 'add column', table: 'shop.t', column: column('b', { notNull: true }), ifNotExists: false },
    ],
  ],
  [
    'ALTER TABLE t RENAME TO archive.t_old',
    [{ kind: 'rename table', table: 'shop.t', newName: 'archive.t_old' }],
  ],
  [
    'CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; SET NEW.b = 2; END',
    [{ kind: 'create trigger', table: 'shop.t', name: 't_bi' }],
  ],
  [
    'CREATE TRIGGER t_bu BEFORE UPDATE ON other.t FOR EACH ROW SET NEW.a = 1',
    [{ kind: 'create trigger', table: 'other.t', name: 't_bu' }],
  ],
  [
    'DROP TRIGGER IF EXISTS t_bi',
    [{ kind: 'drop other', objectType: 'trigger', name: 'shop.t_bi', ifExists: true }],
  ],
  [
    'CREATE DEFINER = `app`@`%` PROCEDURE p() BEGIN SELECT 1; END',
    [{ kind: 'create other', objectType: 'procedure', name: 'shop.p' }],
  ],
  [
    'DROP FUNCTION other.f',
    [{ kind: 'drop other', objectType: 'function', name: 'other.f', ifExists: false }],
  ],
];

describe('statements → Changes', () => {
  it.each(cases)('%s', (sql, expected) => {
    expect(lower(sql)).toEqual(expected);
  });

  it('gives one Change per ALTER TABLE clause, in order', () => {
    const kinds = lower(
      'ALTER TABLE t ADD COLUMN a INT, ADD INDEX i (a), DROP COLUMN b, RENAME COLUMN c TO d, ' +
        "ADD CONSTRAINT ck CHECK (a > 0), COMMENT = 'x', DROP FOREIGN KEY f",
    ).map((c) => c.kind);
    expect(kinds).toEqual([
      'add column',
      'create index',
      'drop column',
      'rename column',
      'add constraint',
      'alter table other',
      'drop constraint',
    ]);
  });

  it('never throws: an unmodelled statement is unknown', () => {
    expect(lowerMysql({ type: 'grant' }, 'shop')).toEqual([{ kind: 'unknown', statementType: 'GRANT' }]);
    expect(lowerMysql(null, 'shop')).toEqual([{ kind: 'unknown', statementType: 'UNKNOWN' }]);
    expect(lowerMysql({ type: 'alter', table: 'bogus', expr: 'bogus' }, 'shop')).toEqual([]);
  });
});
