/**
 * The MySQL plan suites' shared ground: a populated table, the plan of a migration against it,
 * its steps applied and rolled back by the dialect's step runner, and schemas compared strictly
 * (column order included: MySQL keeps it, and a plan must end where the statement would).
 */
import { plan } from '../../../src/api/plan.js';
import { DEFAULT_CONFIG, type ResolvedConfig } from '../../../src/config/types.js';
import type { Plan, PlanStep } from '../../../src/core/plan.js';
import type { SchemaSnapshot } from '../../../src/core/snapshot.js';
import { mysqlDialect } from '../../../src/dialects/mysql/index.js';
import { inspectMysql } from '../../../src/dialects/mysql/introspect.js';
import type { MysqlSession } from '../../../src/dialects/mysql/session.js';
import { mysqlSteps } from '../../../src/dialects/mysql/steps/runner.js';
import { inlineMigration } from '../../../src/formats/read.js';
import type { OnlineSchemaChange } from '../../../src/config/mysql.js';

/** 3,000 users; `c` NULL in every 7th row; two indexes on the columns the recipes change. */
export const FIXTURE = [
  `CREATE TABLE users (
     id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
     email varchar(100) NOT NULL DEFAULT '' COMMENT 'login',
     n int NOT NULL,
     c int NULL,
     note varchar(20) NULL,
     KEY users_email (email),
     KEY users_n_c (n, c)
   ) ENGINE=InnoDB`,
  // seq_1_to_N: MariaDB's Sequence engine (https://mariadb.com/kb/en/sequence-storage-engine/).
  `INSERT INTO users (email, n, c, note)
     SELECT concat('user', seq, '@example.com'), seq * 3, IF(seq % 7 = 0, NULL, seq), IF(seq % 5 = 0, NULL, concat('n', seq))
     FROM seq_1_to_3000`,
];

/** The table counts as large (3,000 rows ≥ 1,000): the plans take the online routes. */
export function configFor(database: string, tool: OnlineSchemaChange): ResolvedConfig {
  return {
    ...DEFAULT_CONFIG,
    defaultSchema: database,
    largeTableRows: 1000,
    mysql: { onlineSchemaChange: tool },
  };
}

export async function planFor(
  url: string,
  database: string,
  sql: string,
  tool: OnlineSchemaChange,
): Promise<Plan> {
  return plan({
    files: [inlineMigration('m.sql', sql, 'plain')],
    snapshot: await inspectMysql(url),
    config: configFor(database, tool),
    dialect: mysqlDialect,
  });
}

export async function applyAll(session: MysqlSession, steps: readonly PlanStep[]): Promise<void> {
  for (const step of steps) await mysqlSteps.apply(session, step);
}

/** Every step's rollback, last step first (irreversible ones too: their SQL puts the structure back). */
export async function rollbackAll(session: MysqlSession, steps: readonly PlanStep[]): Promise<void> {
  for (const step of [...steps].reverse()) await mysqlSteps.rollback(session, step);
}

/**
 * The tables as comparable data: the database's name taken out of every string, statistics
 * dropped, columns in their order.
 */
export function shape(snapshot: SchemaSnapshot): unknown {
  const db = snapshot.database;
  const tables = snapshot.tables.map((t) => ({ ...t, schema: 'db', stats: null }));
  const text = JSON.stringify(tables).split(`\`${db}\``).join('`db`').split(`${db}.`).join('db.');
  return JSON.parse(text) as unknown;
}
