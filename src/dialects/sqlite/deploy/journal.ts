/**
 * The deploy journal on SQLite: two tables inside the database file itself,
 * `_schemapilot_deploys` and `_schemapilot_journal`, left out of `inspect` and schema hashes
 * (introspect/catalog.ts), as Prisma's `_prisma_migrations` and Drizzle's
 * `__drizzle_migrations` live in the file they migrate.
 *
 * In the file, not in an attached sidecar database: a transactional step writes "done" inside
 * its own transaction, and only one file makes that atomic in every journal mode. Across
 * attached files a commit is atomic in rollback-journal mode only; "if the journal_mode is WAL,
 * then transactions continue to be atomic within each individual database file", and a crash
 * between the files' commits would leave a step applied and journaled pending (or the reverse):
 * https://www.sqlite.org/lang_attach.html. Why: docs/decisions/0037-sqlite-deploy.md.
 *
 * Times are ISO strings (TEXT) in UTC; JSON is text, parsed leniently so that the engine's
 * checks report a damaged journal. `backup_path` is where the copy taken before the first
 * step went (deploy/backup.ts).
 */
import { hostname, userInfo } from 'node:os';
import type { JournalRows, JournalStore } from '../../../core/dialect/deploy.js';
import type { StepStatus } from '../../../core/deploy.js';
import { sqliteSession, type SqliteSession } from '../session.js';
import { journalRowsOf, parsedJson, type DeployRow, type StepRow } from '../../../deploy/journal-rows.js';

export const DEPLOYS_TABLE = '_schemapilot_deploys';
export const JOURNAL_TABLE = '_schemapilot_journal';

const DDL = `
CREATE TABLE IF NOT EXISTS ${DEPLOYS_TABLE} (
  id INTEGER PRIMARY KEY,
  plan_hash TEXT NOT NULL,
  source_schema_hash TEXT,
  status TEXT NOT NULL,
  plan TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  ran_by TEXT NOT NULL,
  backup_path TEXT
);
CREATE TABLE IF NOT EXISTS ${JOURNAL_TABLE} (
  deploy_id INTEGER NOT NULL REFERENCES ${DEPLOYS_TABLE} (id),
  position INTEGER NOT NULL,
  step_id TEXT NOT NULL,
  phase TEXT NOT NULL,
  description TEXT NOT NULL,
  checksum TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts TEXT NOT NULL,
  backfill TEXT,
  statements_done INTEGER,
  started_at TEXT,
  finished_at TEXT,
  PRIMARY KEY (deploy_id, position)
);`;

/**
 * How long a journal write outside a step's transaction waits for the write lock. Long: waiting
 * for SQLite's lock holds no one up (there is no lock queue; each writer retries on its own),
 * and the journal must say what happened (a step that failed on SQLITE_BUSY is recorded once
 * the writer that held the lock lets go).
 */
export const JOURNAL_WAIT_MS = 30_000;

/** `work` with busy_timeout at least JOURNAL_WAIT_MS, unless a step's transaction already holds the lock. */
function waiting<T>(s: SqliteSession, work: () => T): T {
  if (s.db.inTransaction) return work();
  const busy = Number(s.db.pragma('busy_timeout', { simple: true }));
  if (busy >= JOURNAL_WAIT_MS) return work();
  s.db.pragma(`busy_timeout = ${JOURNAL_WAIT_MS}`);
  try {
    return work();
  } finally {
    s.db.pragma(`busy_timeout = ${busy}`);
  }
}

function journalExists(s: SqliteSession): boolean {
  const [row] = s.rows<{ n: number }>(
    `SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name IN (?, ?)`,
    DEPLOYS_TABLE,
    JOURNAL_TABLE,
  );
  return (row?.n ?? 0) === 2;
}

/**
 * Statements in one transaction, unless the caller's (a step's) is open: then they are part of
 * it, which is what makes "done" commit with the step.
 */
function inTransaction<T>(s: SqliteSession, work: () => T): T {
  if (s.db.inTransaction) return work();
  waiting(s, () => s.db.exec('BEGIN IMMEDIATE'));
  try {
    const result = work();
    s.db.exec('COMMIT');
    return result;
  } catch (error) {
    if (s.db.inTransaction) s.db.exec('ROLLBACK');
    throw error;
  }
}

/** Who ran it: the operating system's user, host and process (SQLite has no database users). */
function ranBy(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (a container's arbitrary uid)
  }
  return `${user}@${hostname()} pid ${process.pid}`;
}

export const sqliteJournal: JournalStore = {
  ensure(session) {
    inTransaction(sqliteSession(session), () => sqliteSession(session).exec(DDL));
    return Promise.resolve();
  },

  start(session, plan, hashes) {
    const s = sqliteSession(session);
    return Promise.resolve(
      inTransaction(s, () => {
        const startedAt = new Date().toISOString();
        const by = ranBy();
        const result = s.db
          .prepare(
            `INSERT INTO ${DEPLOYS_TABLE} (plan_hash, source_schema_hash, status, plan, started_at, ran_by)
             VALUES (?, ?, 'running', ?, ?, ?)`,
          )
          .run(hashes.planHash, plan.sourceSchemaHash, JSON.stringify(plan), startedAt, by);
        const id = Number(result.lastInsertRowid);
        const insert = s.db.prepare(
          `INSERT INTO ${JOURNAL_TABLE} (deploy_id, position, step_id, phase, description, checksum, status, attempts)
           VALUES (?, ?, ?, ?, ?, ?, 'pending', '[]')`,
        );
        for (const [position, step] of plan.steps.entries())
          insert.run(id, position, step.id, step.phase, step.description, hashes.stepChecksums[position]);
        return { id, startedAt, ranBy: by };
      }),
    );
  },

  read(session, id): Promise<JournalRows | null> {
    const s = sqliteSession(session);
    if (!journalExists(s)) return Promise.resolve(null);
    const [d] = s.rows<DeployRow>(
      `SELECT id, plan_hash, source_schema_hash, status, plan, started_at, finished_at, ran_by
         FROM ${DEPLOYS_TABLE} WHERE (? IS NULL OR id = ?) ORDER BY id DESC LIMIT 1`,
      id ?? null,
      id ?? null,
    );
    if (!d) return Promise.resolve(null);
    const steps = s.rows<StepRow>(
      `SELECT step_id, phase, description, checksum, status, attempts, backfill, statements_done,
              started_at, finished_at
         FROM ${JOURNAL_TABLE} WHERE deploy_id = ? ORDER BY position`,
      d.id,
    );
    return Promise.resolve(journalRowsOf(d, steps));
  },

  list(session, limit) {
    const s = sqliteSession(session);
    if (!journalExists(s)) return Promise.resolve([]);
    const rows = s.rows<Pick<DeployRow, 'id' | 'status' | 'started_at' | 'finished_at' | 'ran_by'>>(
      `SELECT id, status, started_at, finished_at, ran_by FROM ${DEPLOYS_TABLE} ORDER BY id DESC LIMIT ?`,
      limit,
    );
    return Promise.resolve(
      rows.map((r) => ({
        id: Number(r.id),
        status: r.status,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        ranBy: r.ran_by,
      })),
    );
  },

  markStep(session, deployId, position, record) {
    const s = sqliteSession(session);
    waiting(s, () =>
      s.db
        .prepare(
          `UPDATE ${JOURNAL_TABLE}
            SET status = ?, attempts = ?, backfill = ?, statements_done = ?, started_at = ?, finished_at = ?
          WHERE deploy_id = ? AND position = ?`,
        )
        .run(
          record.status,
          JSON.stringify(record.attempts),
          record.backfill ? JSON.stringify(record.backfill) : null,
          record.statementsDone ?? null,
          record.startedAt,
          record.finishedAt,
          deployId,
          position,
        ),
    );
    return Promise.resolve();
  },

  finish(session, deployId, status) {
    const s = sqliteSession(session);
    waiting(s, () =>
      s.db
        .prepare(`UPDATE ${DEPLOYS_TABLE} SET status = ?, finished_at = ? WHERE id = ?`)
        .run(status, status === 'running' ? null : new Date().toISOString(), deployId),
    );
    return Promise.resolve();
  },

  appendAttempt(session, deployId, position, attempt) {
    const s = sqliteSession(session);
    return Promise.resolve(
      inTransaction(s, () => {
        const [row] = s.rows<{ status: StepStatus; attempts: string }>(
          `SELECT status, attempts FROM ${JOURNAL_TABLE} WHERE deploy_id = ? AND position = ?`,
          deployId,
          position,
        );
        if (!row) return null;
        if (attempt) {
          const before = parsedJson(row.attempts);
          const attempts = Array.isArray(before) ? before : [];
          s.db
            .prepare(`UPDATE ${JOURNAL_TABLE} SET attempts = ? WHERE deploy_id = ? AND position = ?`)
            .run(JSON.stringify([...attempts, attempt]), deployId, position);
        }
        return row.status;
      }),
    );
  },

  isShapeError(error) {
    const message = (error as { message?: unknown } | null)?.message;
    return typeof message === 'string' && /^no such (table|column)\b/.test(message);
  },

  damagedHint: {
    where: `tables ${DEPLOYS_TABLE} and ${JOURNAL_TABLE} in the database file`,
    repair: `set the journal aside with ALTER TABLE ${DEPLOYS_TABLE} RENAME TO ${DEPLOYS_TABLE}_damaged; ALTER TABLE ${JOURNAL_TABLE} RENAME TO ${JOURNAL_TABLE}_damaged (the next deploy starts a new one), or restore the file from the backup the deploy printed`,
  },
};

/** Where the backup of deploy `deployId` went; null when none was recorded. */
export function recordedBackup(s: SqliteSession, deployId: number): string | null {
  if (!journalExists(s)) return null;
  const [row] = s.rows<{ backup_path: string | null }>(
    `SELECT backup_path FROM ${DEPLOYS_TABLE} WHERE id = ?`,
    deployId,
  );
  return row?.backup_path ?? null;
}

export function recordBackup(s: SqliteSession, deployId: number, path: string): void {
  waiting(s, () =>
    s.db.prepare(`UPDATE ${DEPLOYS_TABLE} SET backup_path = ? WHERE id = ?`).run(path, deployId),
  );
}
