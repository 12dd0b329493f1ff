/**
 * An in-memory MySQL/MariaDB schema for the facts that cannot be measured here (MySQL 8, other
 * MariaDB versions) and for unit tests: database `shop`, table `users` as below, `orgs` for
 * foreign keys. Analysed through analyze() like the measured cases, without a server.
 */
import type { AnalyzedStatement, ChangeFacts } from '../../../../src/core/analysis.js';
import type { Column, Index, SchemaSnapshot, Table } from '../../../../src/core/snapshot.js';
import { analyze } from '../../../../src/api/analyze.js';
import { mysqlDialect } from '../../../../src/dialects/mysql/index.js';
import { mysqlFactKey, parseMysqlVersion } from '../../../../src/dialects/mysql/version.js';

export function column(name: string, type: string, extra: Partial<Column> = {}): Column {
  const string = /char|text|enum/i.test(type);
  return {
    ...(string ? { charset: 'utf8mb4' } : {}),
    collation: string ? 'utf8mb4_general_ci' : null,
    comment: null,
    default: null,
    generated: null,
    identity: null,
    name,
    nullable: true,
    type,
    ...extra,
  };
}

export function index(name: string, columns: string[], extra: Partial<Index> = {}): Index {
  return {
    bytes: 0,
    columns,
    constraint: null,
    definition: '',
    include: [],
    method: 'btree',
    name,
    predicate: null,
    primary: false,
    unique: false,
    valid: true,
    ...extra,
  };
}

export function table(name: string, extra: Partial<Table> = {}): Table {
  return {
    checkConstraints: [],
    columns: [
      column('id', 'int(11)', { nullable: false, identity: 'by default' }),
      column('c', 'int(11)'),
      column('n', 'int(11)', { nullable: false, default: '0' }),
      column('v', 'varchar(50)'),
      column('s31', 'varchar(31)'),
      column('e', "enum('a','b','c')"),
      column('body', 'text'),
      column('org_id', 'int(11)'),
    ],
    comment: null,
    exclusionConstraints: [],
    foreignKeys: [],
    indexes: [index('PRIMARY', ['id'], { primary: true, unique: true, constraint: 'PRIMARY' })],
    kind: 'table',
    name,
    partitionBound: null,
    partitionKey: null,
    partitionOf: null,
    primaryKey: { columns: ['id'], name: 'PRIMARY' },
    schema: 'shop',
    stats: { indexBytes: 4e8, rowEstimate: 5_000_000, tableBytes: 2e9 },
    triggers: [],
    uniqueConstraints: [],
    engine: 'InnoDB',
    rowFormat: 'Dynamic',
    charset: 'utf8mb4',
    collation: 'utf8mb4_general_ci',
    ...extra,
  };
}

export function snapshot(version: string, users: Partial<Table> = {}): SchemaSnapshot {
  const v = parseMysqlVersion(version);
  return {
    formatVersion: 1,
    dialect: 'mysql',
    serverVersion: version,
    serverVersionNum: mysqlFactKey(v),
    database: 'shop',
    schemas: ['shop'],
    tables: [table('orgs'), table('users', users)],
    views: [],
    sequences: [],
    enums: [],
    extensions: [],
    functions: [],
    hash: 'fixture',
  };
}

export type Answer = AnalyzedStatement & { facts: ChangeFacts[] };

/** The last statement of `sql` (earlier ones are its prelude: SET …), analysed on `schema`. */
export async function answer(schema: SchemaSnapshot, sql: string): Promise<Answer> {
  const result = await analyze({
    files: [{ path: 'case.sql', sql, transaction: 'none' }],
    snapshot: schema,
    dialect: mysqlDialect,
  });
  const i = result.statements.length - 1;
  const statement = result.statements[i];
  if (!statement) throw new Error(`nothing analysed in ${sql}`);
  return { ...statement, facts: result.run.details[i]?.facts ?? [] };
}
