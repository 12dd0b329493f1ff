/**
 * The harness of the measured facts: one database per test file, a table of a few thousand rows
 * of ~1 kB made fresh for each case (server-side, from MariaDB's Sequence engine), the statement
 * traced while another session writes (traceMysqlStatement), and the prediction for the same
 * SQL from analyze() (the real parser, lowering, linter and mysqlFacts against the live
 * schema). `expectCase` states the measured answer once and checks both against it.
 *
 * Blocking is read from the probes (expectBlocking): writers (or readers) are blocked when the
 * longest probe run overlapping the statement began early and waited for most of it, on a
 * statement of at least 40 ms (a copy of 4,000 rows of 1 kB takes 60–600 ms here). "Not
 * blocked" is only claimed from statements of 100 ms or more: every ALTER holds an EXCLUSIVE lock for a moment, which a
 * statement of a few ms can be made of entirely; for an instant change the probes are not read
 * at all (its algorithm, no rebuild and nothing built, is the evidence).
 *
 * SP_FACTS_REPORT=<file> appends one JSON line per case (docs/mysql/facts.md is made from them).
 */
import { appendFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { AnalyzedStatement, ChangeFacts, OnlineAlgorithm } from '../../../../src/core/analysis.js';
import type { MetadataLockMode } from '../../../../src/core/locks.js';
import { analyze } from '../../../../src/api/analyze.js';
import { connectMysql } from '../../../../src/dialects/mysql/connect.js';
import { mysqlDialect } from '../../../../src/dialects/mysql/index.js';
import { inspectMysql } from '../../../../src/dialects/mysql/introspect.js';
import type { MysqlSession } from '../../../../src/dialects/mysql/session.js';
import { traceMysqlStatement, type MysqlStatementTrace } from '../../../../src/dialects/mysql/trace/trace.js';
import { adminRun, createTempDatabase, type TempDatabase } from '../support.js';

export const ROWS = 4000;

/** The table every case starts from; `pid` references `p` (ROWS rows) in the FK cases. */
export const TABLE = `CREATE TABLE t (
  id int PRIMARY KEY AUTO_INCREMENT,
  c int, n int NOT NULL DEFAULT 0,
  v varchar(50), v2 varchar(60) CHARACTER SET latin1, s31 varchar(31), s32 varchar(32),
  e enum('a','b','c'), body text, pid int, filler varchar(1000)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;

export const FILL = (rows = ROWS, table = 't') =>
  `INSERT INTO ${table} (id, c, v, v2, s31, s32, e, body, pid, filler)
   SELECT seq, seq, concat('v', seq), 'x', 'a', 'b', 'a', concat('word', seq, ' hello world'), seq, repeat('x', 1000)
     FROM seq_1_to_${rows}`;

export interface FactsDb {
  db: TempDatabase;
  session: MysqlSession;
  /** METADATA_LOCK_INFO could be installed (else lock checks are skipped, loudly). */
  locksReadable: boolean;
  close(): Promise<void>;
}

export async function openFactsDb(serverUrl: string): Promise<FactsDb> {
  const db = await createTempDatabase(serverUrl, [
    'CREATE TABLE p (id int PRIMARY KEY) ENGINE=InnoDB',
    `INSERT INTO p SELECT seq FROM seq_1_to_${ROWS}`,
  ]);
  let locksReadable = true;
  try {
    // METADATA_LOCK_INFO is a plugin: https://mariadb.com/kb/en/metadata-lock-info-plugin/
    await adminRun(serverUrl, ["INSTALL SONAME 'metadata_lock_info'"]);
  } catch (error) {
    if ((error as { errno?: number }).errno !== 1968) {
      locksReadable = false;
      console.warn(`metadata locks not checked: ${(error as Error).message}`);
    }
  }
  const session = await connectMysql(db.url);
  // A case that hangs fails in 20 s instead of the server's default day.
  await session.rows('SET SESSION lock_wait_timeout = 20');
  return {
    db,
    session,
    locksReadable,
    close: async () => {
      await session.close();
      await db.drop();
    },
  };
}

/**
 * A measured case runs once more (from a fresh table) when it fails: the server is shared, and
 * now and then a stall elsewhere holds a probe for most of a short statement. A wrong fact
 * fails both times.
 */
export const RETRY = 1;

/** One FactsDb for every measured case (measured.test.ts opens it, the cases use it). */
export interface SharedFactsDb {
  get(): FactsDb;
}

/** Drops `t` and makes it again from `ddl` (default TABLE), filled, plus `after` statements. */
export async function freshTable(
  f: FactsDb,
  options: { ddl?: string; rows?: number; after?: string[] } = {},
): Promise<void> {
  await f.session.rows('SET SESSION foreign_key_checks = 1');
  await f.session.rows('DROP TABLE IF EXISTS t, t_new');
  await f.session.rows(options.ddl ?? TABLE);
  await f.session.rows(FILL(options.rows ?? ROWS));
  for (const sql of options.after ?? []) await f.session.rows(sql);
}

export interface Prediction extends AnalyzedStatement {
  facts: ChangeFacts[];
}

/** analyze() on the live schema, `prelude` (e.g. SET foreign_key_checks = 0) in the same file. */
export async function predict(f: FactsDb, sql: string, prelude: string[] = []): Promise<Prediction> {
  const snapshot = await inspectMysql(f.db.url).catch((error: unknown) => {
    // information_schema builds temporary tables in the server's tmpdir; something on this
    // shared machine now and then deletes one under it (EE_DELETE): read once more.
    if ((error as { cause?: { code?: string } }).cause?.code === 'EE_DELETE') return inspectMysql(f.db.url);
    throw error;
  });
  const text = [...prelude, sql].map((s) => `${s};`).join('\n');
  const result = await analyze({
    files: [{ path: 'case.sql', sql: text, transaction: 'none' }],
    snapshot,
    dialect: mysqlDialect,
  });
  const index = result.statements.length - 1;
  const statement = result.statements[index];
  if (!statement) throw new Error(`no statement analyzed for ${sql}`);
  return { ...statement, facts: result.run.details[index]?.facts ?? [] };
}

export function trace(f: FactsDb, sql: string, options: { write?: string; read?: string | null } = {}) {
  return traceMysqlStatement(f.session, sql, {
    connect: () => connectMysql(f.db.url),
    table: 't',
    ...options,
  });
}

export interface Expected {
  algorithm: OnlineAlgorithm;
  rebuilt: boolean;
  writers: boolean;
  readers?: boolean;
  /** The metadata lock held while it works, on `t`. */
  mdl: MetadataLockMode;
  /** A stronger lock the statement takes for a moment only (OPTIMIZE opens the table with it). */
  briefly?: MetadataLockMode;
  /** What the trace derives, when it differs from the server's own name (see expectCase). */
  traced?: MysqlStatementTrace['algorithm'];
}

/**
 * Traces `sql` on the table as it is now and checks the server and the prediction against the
 * measured answer. The trace names an in-place change that built nothing INSTANT (DROP INDEX is
 * NOCOPY to the server, which refuses ALGORITHM=INSTANT for it): `traced` says so per case.
 */
/** What the four usual outcomes look like on InnoDB (the case files spread and adjust them). */
export const INSTANT = { algorithm: 'INSTANT', rebuilt: false, writers: false, mdl: 'EXCLUSIVE' } as const;
export const NOCOPY = {
  algorithm: 'NOCOPY',
  rebuilt: false,
  writers: false,
  mdl: 'SHARED_UPGRADABLE',
} as const;
export const REBUILD = {
  algorithm: 'INPLACE',
  rebuilt: true,
  writers: false,
  mdl: 'SHARED_UPGRADABLE',
} as const;
export const COPY = { algorithm: 'COPY', rebuilt: true, writers: true, mdl: 'SHARED_NO_WRITE' } as const;

export async function expectCase(
  f: FactsDb,
  sql: string,
  expected: Expected,
  options: { write?: string; read?: string | null; prelude?: string[]; label?: string } = {},
): Promise<{ prediction: Prediction; trace: MysqlStatementTrace }> {
  const prediction = await predict(f, sql, options.prelude);
  for (const s of options.prelude ?? []) await f.session.rows(s);
  const t = await trace(f, sql, options);
  const table = `${f.db.name}.t`;
  const seen = (t.locks ?? [])
    .filter((l) => l.table === table && l.mode !== expected.briefly)
    .map((l) => l.mode);
  report(options.label ?? 'InnoDB', sql, t, prediction, seen, '', expected);

  // The server.
  const traced = 'traced' in expected ? expected.traced : expected.algorithm;
  expect(t.algorithm, `traced algorithm of ${sql} (${t.algorithmEvidence})`).toBe(traced);
  // Not InnoDB: only a copy reports rows.
  if (t.rebuilt === null)
    expect(t.affectedRows > 0, `rows copied by ${sql}`).toBe(expected.algorithm === 'COPY');
  if (t.rebuilt !== null) expect(t.rebuilt, `rebuilt: ${sql}`).toBe(expected.rebuilt);
  // An instant change holds EXCLUSIVE for all of its (short) run, which under load can be
  // 100 ms of waiting for running statements: its probes say nothing about the table's size.
  if (expected.algorithm !== 'INSTANT') {
    expectBlocking('writers', t, t.writers, expected.writers);
    // MyISAM readers can queue behind a writer waiting at the table lock: not asserted there.
    if (t.readers && (t.rebuilt !== null || expected.readers))
      expectBlocking('readers', t, t.readers, expected.readers ?? false);
  }
  if (f.locksReadable) {
    if (expected.mdl === 'SHARED_UPGRADABLE')
      expect(seen, `online, so no SHARED_NO_WRITE: ${sql}`).not.toContain('SHARED_NO_WRITE');
    // An instant change holds EXCLUSIVE for so short a time that the sampler may miss it.
    else if (expected.algorithm !== 'INSTANT')
      expect(seen, `metadata locks of ${sql}`).toContain(expected.mdl);
    if (expected.algorithm === 'INSTANT') expect(seen).not.toContain('SHARED_NO_WRITE');
  }
  // The prediction.
  expect(prediction.algorithm, `predicted algorithm of ${sql}`).toBe(expected.algorithm);
  expect(prediction.rewritesTable, `predicted rewrite of ${sql}`).toBe(expected.rebuilt);
  expect(prediction.blocksWrites, `predicted blocksWrites of ${sql}`).toBe(expected.writers);
  expect(prediction.blocksReads, `predicted blocksReads of ${sql}`).toBe(expected.readers ?? false);
  expect(prediction.locks, `predicted locks of ${sql}`).toContainEqual({ table, mode: expected.mdl });
  expect(prediction.evidence).toBe('server-verified');
  expect(prediction.transactional).toBe(false);
  return { prediction, trace: t };
}

function expectBlocking(
  who: string,
  t: MysqlStatementTrace,
  probe: { longestWaitMs: number; longestStartMs: number; runs: number; error?: string },
  blocked: boolean,
): void {
  const what = `${who} during ${t.sql} (${t.durationMs} ms, ${probe.runs} runs, longest wait ${probe.longestWaitMs} ms from ${probe.longestStartMs} ms${probe.error ? `, probe failed: ${probe.error}` : ''})`;
  // Held: one run waited for most of the statement from its first moments (0.7–1.0 of it when
  // writers wait for a copy or a LOCK=SHARED build). An online change holds traffic only at its
  // end, while it takes EXCLUSIVE to finish, and so does a copy for readers: on a busy machine
  // that end can be half the statement. So "blocked" needs a wait from the first third over
  // 60 % of the statement, and "not blocked" fails only on a wait from the first fifth over 80 %.
  const share = probe.longestWaitMs / t.durationMs;
  const from = probe.longestStartMs / t.durationMs;
  if (blocked) {
    expect(t.durationMs, `too quick to see ${what}: make the table bigger`).toBeGreaterThanOrEqual(40);
    // Held from when the work began (after the prepare phase) to the end of the statement.
    expect(share >= 0.45 && from + share >= 0.85, `blocked ${what}`).toBe(true);
  } else if (t.durationMs >= 100) {
    expect(share >= 0.8 && from <= 0.2, `not blocked ${what}`).toBe(false);
  }
}

/** A statement the server refuses: its error, and the prediction's "fails:" note. */
export async function expectRefused(f: FactsDb, sql: string, message: RegExp): Promise<Prediction> {
  const prediction = await predict(f, sql);
  const error = await f.session.rows(sql).then(
    () => null,
    (e: unknown) => e as { errno?: number; message?: string },
  );
  expect(error, `${sql} should fail`).not.toBeNull();
  // ER_ALTER_OPERATION_NOT_SUPPORTED (1845) or …_REASON (1846).
  expect([1845, 1846]).toContain(error?.errno);
  expect(error?.message).toMatch(message);
  expect(
    prediction.facts.some((x) => x.notes.some((n) => n.startsWith('fails:'))),
    `predicted refusal of ${sql}`,
  ).toBe(true);
  expect(prediction.rewritesTable).toBe(false);
  expect(prediction.blocksWrites).toBe(false);
  report('refused', sql, null, prediction, [], error?.message ?? '');
  return prediction;
}

function report(
  label: string,
  sql: string,
  t: MysqlStatementTrace | null,
  p: Prediction,
  seen: string[],
  error = '',
  expected: Expected | null = null,
): void {
  const file = process.env['SP_FACTS_REPORT'];
  if (!file) return;
  const line = {
    label,
    sql,
    error,
    expected,
    traced: t && {
      algorithm: t.algorithm,
      evidence: t.algorithmEvidence,
      rebuilt: t.rebuilt,
      ms: t.durationMs,
      writerWaitMs: t.writers.longestWaitMs,
      readerWaitMs: t.readers?.longestWaitMs ?? null,
      mdl: [...new Set(seen)],
    },
    predicted: {
      algorithm: p.algorithm,
      rewritesTable: p.rewritesTable,
      blocksWrites: p.blocksWrites,
      blocksReads: p.blocksReads,
      locks: p.locks.map((l) => l.mode),
    },
  };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}
