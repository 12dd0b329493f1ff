/**
 * The deploy journal on MySQL/MariaDB: database `schemapilot` on the target server (left out of
 * `inspect` and schema hashes: catalog-queries.ts SYSTEM_SCHEMAS), the same rows as
 * PostgreSQL's. A server holds many databases and the journal is shared by them: each deploy
 * row names its target database, and reads see the session's database only.
 *
 * The tables are InnoDB whatever the server's default engine, so a journal write made inside a
 * DML step's transaction commits with it or not at all. DDL commits by itself, so for steps
 * outside a transaction the engine writes "running" before, each statement's progress as it
 * commits (statements_done), and "done" after: a crash in between reads back as a step left
 * running, with the statements that committed counted.
 */
import type { JournalRows, JournalStore } from '../../../core/dialect/deploy.js';
import type { StepStatus } from '../../../core/deploy.js';
import { mysqlSession, type MysqlSession } from '../session.js';
import {
  fromJournalTime,
  journalRowsOf,
  toJournalTime,
  type DeployRow,
  type StepRow,
} from './journal-rows.js';

/** Keep in step with journal-rows.ts; a changed shape reads as a damaged journal (isShapeError). */
const DDL = [
  'CREATE DATABASE IF NOT EXISTS schemapilot CHARACTER SET utf8mb4 COLLATE utf8mb4_bin',
  `CREATE TABLE IF NOT EXISTS schemapilot.deploys (
     id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
     target_database varchar(128) NOT NULL,
     plan_hash char(64) NOT NULL,
     source_schema_hash char(64) NULL,
     status varchar(32) NOT NULL,
     plan longtext NOT NULL,
     started_at datetime(6) NOT NULL,
     finished_at datetime(6) NULL,
     ran_by varchar(400) NOT NULL,
     KEY deploys_of_database (target_database, id)
   ) ENGINE=InnoDB`,
  `CREATE TABLE IF NOT EXISTS schemapilot.journal (
     deploy_id bigint unsigned NOT NULL,
     \`position\` int NOT NULL,
     step_id varchar(64) NOT NULL,
     phase varchar(16) NOT NULL,
     description text NOT NULL,
     checksum char(64) NOT NULL,
     status varchar(32) NOT NULL,
     attempts longtext NOT NULL,
     backfill longtext NULL,
     statements_done int NULL,
     started_at datetime(6) NULL,
     finished_at datetime(6) NULL,
     PRIMARY KEY (deploy_id, \`position\`),
     CONSTRAINT journal_of_deploy FOREIGN KEY (deploy_id) REFERENCES schemapilot.deploys (id)
   ) ENGINE=InnoDB`,
];

/** ER_BAD_DB_ERROR, ER_NO_SUCH_TABLE, ER_BAD_FIELD_ERROR: a journal table or column is missing. */
const SHAPE_ERRNOS = new Set([1049, 1146, 1054]);

async function journalExists(s: MysqlSession): Promise<boolean> {
  const rows = await s.rows<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = 'schemapilot' AND TABLE_NAME IN ('deploys', 'journal')`,
  );
  return Number(rows[0]?.n ?? 0) === 2;
}

/** Statements in one transaction; rolled back if any fails. */
async function inTransaction<T>(s: MysqlSession, work: () => Promise<T>): Promise<T> {
  await s.rows('START TRANSACTION');
  try {
    const result = await work();
    await s.rows('COMMIT');
    return result;
  } catch (error) {
    await s.rows('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

export const mysqlJournal: JournalStore = {
  async ensure(session) {
    // The caller holds the deploy lock of this database; two databases' first deploys may
    // still race on CREATE ... IF NOT EXISTS, which the server serialises.
    const s = mysqlSession(session);
    for (const sql of DDL) await s.rows(sql);
  },

  async start(session, plan, hashes) {
    const s = mysqlSession(session);
    return inTransaction(s, async () => {
      await s.rows(
        `INSERT INTO schemapilot.deploys
           (target_database, plan_hash, source_schema_hash, status, plan, started_at, ran_by)
         VALUES (DATABASE(), ?, ?, 'running', ?, UTC_TIMESTAMP(6), USER())`,
        [hashes.planHash, plan.sourceSchemaHash, JSON.stringify(plan)],
      );
      const [row] = await s.rows<{ id: string; started_at: string; ran_by: string }>(
        `SELECT id, started_at, ran_by FROM schemapilot.deploys WHERE id = LAST_INSERT_ID()`,
      );
      if (!row) throw new Error('could not record the deploy in schemapilot.deploys');
      const id = Number(row.id);
      for (const [position, step] of plan.steps.entries()) {
        await s.rows(
          `INSERT INTO schemapilot.journal
             (deploy_id, \`position\`, step_id, phase, description, checksum, status, attempts)
           VALUES (?, ?, ?, ?, ?, ?, 'pending', '[]')`,
          [id, position, step.id, step.phase, step.description, hashes.stepChecksums[position]],
        );
      }
      return { id, startedAt: fromJournalTime(row.started_at) ?? '', ranBy: row.ran_by };
    });
  },

  async read(session, id): Promise<JournalRows | null> {
    const s = mysqlSession(session);
    if (!(await journalExists(s))) return null;
    const [d] = await s.rows<DeployRow>(
      `SELECT id, plan_hash, source_schema_hash, status, plan, started_at, finished_at, ran_by
         FROM schemapilot.deploys
        WHERE target_database = DATABASE() AND (? IS NULL OR id = ?)
        ORDER BY id DESC LIMIT 1`,
      [id ?? null, id ?? null],
    );
    if (!d) return null;
    const steps = await s.rows<StepRow>(
      `SELECT step_id, phase, description, checksum, status, attempts, backfill, statements_done,
              started_at, finished_at
         FROM schemapilot.journal WHERE deploy_id = ? ORDER BY \`position\``,
      [d.id],
    );
    return journalRowsOf(d, steps);
  },

  async list(session, limit) {
    const s = mysqlSession(session);
    if (!(await journalExists(s))) return [];
    const rows = await s.rows<Pick<DeployRow, 'id' | 'status' | 'started_at' | 'finished_at' | 'ran_by'>>(
      `SELECT id, status, started_at, finished_at, ran_by FROM schemapilot.deploys
        WHERE target_database = DATABASE() ORDER BY id DESC LIMIT ?`,
      [limit],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      status: r.status,
      startedAt: fromJournalTime(r.started_at) ?? '',
      finishedAt: fromJournalTime(r.finished_at),
      ranBy: r.ran_by,
    }));
  },

  async markStep(session, deployId, position, record) {
    await mysqlSession(session).rows(
      `UPDATE schemapilot.journal
          SET status = ?, attempts = ?, backfill = ?, statements_done = ?, started_at = ?, finished_at = ?
        WHERE deploy_id = ? AND \`position\` = ?`,
      [
        record.status,
        JSON.stringify(record.attempts),
        record.backfill ? JSON.stringify(record.backfill) : null,
        record.statementsDone ?? null,
        toJournalTime(record.startedAt),
        toJournalTime(record.finishedAt),
        deployId,
        position,
      ],
    );
  },

  async finish(session, deployId, status) {
    await mysqlSession(session).rows(
      `UPDATE schemapilot.deploys
          SET status = ?, finished_at = IF(? = 'running', NULL, UTC_TIMESTAMP(6))
        WHERE id = ?`,
      [status, status, deployId],
    );
  },

  async appendAttempt(session, deployId, position, attempt) {
    const s = mysqlSession(session);
    return inTransaction(s, async () => {
      const [row] = await s.rows<{ status: StepStatus; attempts: string }>(
        `SELECT status, attempts FROM schemapilot.journal WHERE deploy_id = ? AND \`position\` = ? FOR UPDATE`,
        [deployId, position],
      );
      if (!row) return null;
      if (attempt) {
        const attempts = JSON.parse(row.attempts) as unknown[];
        await s.rows(`UPDATE schemapilot.journal SET attempts = ? WHERE deploy_id = ? AND \`position\` = ?`, [
          JSON.stringify([...attempts, attempt]),
          deployId,
          position,
        ]);
      }
      return row.status;
    });
  },

  isShapeError(error) {
    const errno = (error as { errno?: unknown } | null)?.errno;
    return typeof errno === 'number' && SHAPE_ERRNOS.has(errno);
  },

  damagedHint: {
    where: 'database "schemapilot", the rows of this database',
    repair:
      "restore schemapilot.deploys and schemapilot.journal from a backup, or set this database's journal aside with UPDATE schemapilot.deploys SET target_database = CONCAT(target_database, '~damaged') WHERE target_database = DATABASE(), so that the next deploy starts a new one (if a journal table or column is missing, RENAME TABLE schemapilot.deploys TO schemapilot.deploys_damaged, schemapilot.journal TO schemapilot.journal_damaged sets aside the journal of every database on the server)",
  },
};
