/**
 * How long a schema change holds SQLite's database write lock, seen from outside: while one
 * connection runs the change, a second one (a worker thread, busy_timeout 0) tries
 * `BEGIN IMMEDIATE; COMMIT` in a loop, and a third, read-only one runs a small SELECT, each about
 * every half millisecond. The longest run of consecutive SQLITE_BUSY answers is how long another
 * writer (or reader) was shut out; the writer's own BEGIN → COMMIT is timed beside it.
 * https://www.sqlite.org/lockingv3.html: a writer holds RESERVED (other writers get SQLITE_BUSY)
 * and, in rollback-journal mode, EXCLUSIVE while it writes the database file (readers too);
 * https://www.sqlite.org/wal.html: in WAL mode readers go on.
 */
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';

export type JournalMode = 'wal' | 'delete';

export interface LockMeasure {
  /** The writer's own BEGIN IMMEDIATE … COMMIT (or the statement alone when it has no BEGIN). */
  txMs: number;
  /** Longest span a second writer got SQLITE_BUSY at once (busy_timeout 0). */
  writerBlockedMs: number;
  /** Longest span a reader got SQLITE_BUSY. */
  readerBlockedMs: number;
  /** How many attempts the prober made during the run (resolution check). */
  probes: number;
}

/** Runs in the worker: CommonJS (an eval'd worker), better-sqlite3 resolved from the working directory. */
const PROBER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');
const flag = new Int32Array(workerData.flag);
const writer = new Database(workerData.file, { timeout: 0 });
const reader = new Database(workerData.file, { readonly: true, timeout: 0 });
const now = () => performance.timeOrigin + performance.now();
const samples = [];
let first = true;
while (Atomics.load(flag, 0) === 0) {
  const at = now();
  let w = 1, r = 1;
  try { writer.exec('BEGIN IMMEDIATE'); writer.exec('COMMIT'); } catch { w = 0; try { writer.exec('ROLLBACK'); } catch {} }
  try { reader.prepare('SELECT count(*) FROM accounts WHERE id < 10').get(); } catch { r = 0; }
  samples.push(at, w, r);
  if (first) { first = false; parentPort.postMessage('ready'); }
  Atomics.wait(flag, 0, 0, 0.5);
}
writer.close();
reader.close();
parentPort.postMessage(samples);
`;

const now = () => performance.timeOrigin + performance.now();

/** Longest span of consecutive failures in column `col` (1: writer, 2: reader), from the first failure to the next success. */
function longestBlocked(samples: number[], col: 1 | 2, from: number, to: number): number {
  let longest = 0;
  let since: number | undefined;
  for (let i = 0; i + 2 < samples.length; i += 3) {
    const at = samples[i] ?? 0;
    const ok = samples[i + col] === 1;
    if (!ok && since === undefined && at >= from - 1) since = at;
    if (ok && since !== undefined) {
      longest = Math.max(longest, at - since);
      since = undefined;
    }
  }
  if (since !== undefined) longest = Math.max(longest, to - since);
  return longest;
}

/** Run `statements` on `file` (one connection, as a deploy would) with the prober running. */
export async function measureLock(file: string, statements: readonly string[]): Promise<LockMeasure> {
  const flag = new SharedArrayBuffer(4);
  const worker = new Worker(PROBER, { eval: true, workerData: { file, flag } });
  const done = new Promise<number[]>((resolve, reject) => {
    worker.on('message', (m: unknown) => {
      if (Array.isArray(m)) resolve(m as number[]);
    });
    worker.on('error', reject);
  });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  const db = new Database(file);
  let begin = 0;
  let commit = 0;
  try {
    // The writer waits out the prober's own momentary transactions.
    db.pragma('busy_timeout = 10000');
    await sleep(30);
    const started = now();
    for (const sql of statements) {
      const at = now();
      db.exec(sql);
      if (/^\s*BEGIN\b/i.test(sql)) begin = at;
      if (/^\s*(COMMIT|END)\b/i.test(sql)) commit = now();
    }
    if (!begin) begin = started;
    if (!commit) commit = now();
    await sleep(30);
  } finally {
    db.close();
    Atomics.store(new Int32Array(flag), 0, 1);
    Atomics.notify(new Int32Array(flag), 0);
  }
  const samples = await done;
  await worker.terminate();
  const during = samples.filter((_, i) => i % 3 === 0).filter((at) => at >= begin && at <= commit).length;
  return {
    txMs: commit - begin,
    writerBlockedMs: longestBlocked(samples, 1, begin, commit),
    readerBlockedMs: longestBlocked(samples, 2, begin, commit),
    probes: during,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Put a copy of a database file into a journal mode (WAL is persistent in the file). */
export function setJournalMode(file: string, mode: JournalMode): void {
  const db = new Database(file);
  try {
    db.pragma(`journal_mode = ${mode === 'wal' ? 'WAL' : 'DELETE'}`);
  } finally {
    db.close();
  }
}

/**
 * The documented 12-step rebuild (https://www.sqlite.org/lang_altertable.html, "Making Other Kinds
 * Of Table Schema Changes") of `orders` without `coupon`, written by hand from the file's own
 * sqlite_schema: used when the planner gives no plan.
 */
export function handWrittenRebuild(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const objects = db
      .prepare(
        "SELECT type, name, sql FROM sqlite_schema WHERE tbl_name = 'orders' AND type IN ('index', 'trigger') AND sql IS NOT NULL",
      )
      .all() as { type: string; name: string; sql: string }[];
    const views = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'view'").all() as {
      name: string;
      sql: string;
    }[];
    const table = (db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'orders'").get() as { sql: string })
      .sql;
    const columns = (
      db.prepare("SELECT name FROM pragma_table_xinfo('orders') WHERE hidden = 0").all() as { name: string }[]
    )
      .map((c) => c.name)
      .filter((c) => c !== 'coupon');
    const quoted = columns.map((c) => `"${c}"`).join(', ');
    return [
      'PRAGMA foreign_keys = OFF',
      'BEGIN IMMEDIATE',
      ...views.map((v) => `DROP VIEW "${v.name}"`),
      table.replace(/^CREATE TABLE orders/, 'CREATE TABLE "new_orders"').replace(/\n\s*coupon TEXT,/, ''),
      `INSERT INTO "new_orders" (${quoted}) SELECT ${quoted} FROM "orders"`,
      'DROP TABLE "orders"',
      'ALTER TABLE "new_orders" RENAME TO "orders"',
      ...objects.filter((o) => !/\bcoupon\b/.test(o.sql)).map((o) => o.sql),
      ...views.map((v) => v.sql),
      'PRAGMA foreign_key_check',
      'COMMIT',
      'PRAGMA foreign_keys = ON',
    ];
  } finally {
    db.close();
  }
}
