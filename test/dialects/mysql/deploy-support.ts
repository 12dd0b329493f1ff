/**
 * Plans for the MySQL deploy tests, written by hand the way the MySQL planner writes them
 * (one step per statement as written, rollback per step, MySQL's retry codes), plus what the
 * tests read back from the server. Until the MySQL planner's recipes land, these are the plans.
 */
import mysql from 'mysql2/promise';
import type { Plan, PlanStep } from '../../../src/core/plan.js';
import { MYSQL_RETRY_ON } from '../../../src/dialects/mysql/deploy/errors.js';
import { mysqlDialect } from '../../../src/dialects/mysql/index.js';
import { handPlan, handStep, type HandPlanDialect } from '../../support/hand-plans.js';
import { DEFAULT_DEPLOY_LIMITS, type DeployOptions } from '../../../src/deploy/deploy.js';
import type { TempDatabase } from './support.js';

const MYSQL: HandPlanDialect = {
  dialect: 'mysql',
  serverMajor: 101100,
  transactional: false,
  lockTimeoutMs: 1_000,
  retry: { maxAttempts: 3, backoffMs: 100, maxBackoffMs: 400, retryOn: [...MYSQL_RETRY_ON] },
};

export const stepOf = (id: string, sql: string[], extra: Partial<PlanStep> = {}): PlanStep =>
  handStep(MYSQL, id, sql, extra);
/** A plan of `steps` made for the schema whose hash is `hash`. */
export const planOf = (steps: PlanStep[], hash: string): Plan => handPlan(MYSQL, steps, hash);

export async function schemaHash(url: string): Promise<string> {
  const driver = mysqlDialect.driver;
  if (!driver) throw new Error('the MySQL dialect has no driver');
  return (await driver.inspect(url)).hash;
}

export function deployOptions(url: string, plan: Plan, extra: Partial<DeployOptions> = {}): DeployOptions {
  return { ...DEFAULT_DEPLOY_LIMITS, dialect: mysqlDialect, url, plan, ...extra };
}

/** A connection of the test's own (an application session, a blocker, an observer). */
export function connection(url: string): Promise<mysql.Connection> {
  return mysql.createConnection({ uri: url.replace(/^mariadb:/, 'mysql:'), dateStrings: true });
}

export async function columnsOf(url: string, table: string): Promise<string[]> {
  const c = await connection(url);
  try {
    const [rows] = await c.query<mysql.RowDataPacket[]>(
      'SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
      [table],
    );
    return rows.map((r) => String(r['name']));
  } finally {
    await c.end();
  }
}

/** The journal's step rows of the newest deploy of `database`, as stored. */
export async function journalSteps(
  serverUrl: string,
  database: string,
): Promise<{ step_id: string; status: string; statements_done: number | null; backfill: string | null }[]> {
  const c = await connection(serverUrl);
  try {
    const [rows] = await c.query<mysql.RowDataPacket[]>(
      `SELECT j.step_id, j.status, j.statements_done, j.backfill FROM schemapilot.journal j
        WHERE j.deploy_id = (SELECT MAX(id) FROM schemapilot.deploys WHERE target_database = ?)
        ORDER BY j.position`,
      [database],
    );
    return rows as {
      step_id: string;
      status: string;
      statements_done: number | null;
      backfill: string | null;
    }[];
  } finally {
    await c.end();
  }
}

/** Drop a test database and its rows in the server's shared journal (other suites use it too). */
export async function dropWithJournal(serverUrl: string, db: TempDatabase | undefined): Promise<void> {
  if (!db) return;
  await db.drop();
  const c = await connection(serverUrl);
  try {
    const [tables] = await c.query<mysql.RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'schemapilot' AND TABLE_NAME IN ('deploys', 'journal')",
    );
    if (Number(tables[0]?.['n']) !== 2) return;
    const names = [db.name, `${db.name}~damaged`];
    await c.query(
      'DELETE j FROM schemapilot.journal j JOIN schemapilot.deploys d ON d.id = j.deploy_id WHERE d.target_database IN (?)',
      [names],
    );
    await c.query('DELETE FROM schemapilot.deploys WHERE target_database IN (?)', [names]);
  } finally {
    await c.end();
  }
}
