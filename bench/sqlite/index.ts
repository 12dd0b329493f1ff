/**
 * bench/sqlite: analyze, plan and validate/check on a 200-table SQLite file whose largest table
 * (`orders`) holds 1,000,000 rows, and how long a table rebuild holds SQLite's write lock vs rows.
 *
 * The file (bench/out/sqlite/app.db, generate.ts) is built once per run. The CLI commands run as
 * whole processes from dist/, in rounds (every command once per round), median reported:
 *  - in-place change (inplace.sql): ADD COLUMN on orders and a CREATE INDEX on a small table;
 *  - rebuild change (rebuild.sql): DROP COLUMN orders.coupon, which SQLite refuses (the column is
 *    indexed), so only the 12-step rebuild does it.
 * `plan` and the rebuild's `validate`/`check` are timed only when the planner writes a rebuild for
 * it (a step with its own BEGIN IMMEDIATE); otherwise the section says the plan was as written.
 *
 * Then (lock.ts) copies of accounts + orders (with their indexes, triggers and views) at 10k, 100k
 * and 1M rows, in WAL and in rollback-journal mode: the rebuild (the plan's SQL when there is one,
 * else the documented 12-step written by hand), DROP COLUMN orders.note (rewrites every row) and
 * ADD COLUMN (changes only the schema), each with a second writer and a reader probing.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { captureCommand, median, runTimedNode, timeCommand } from '../lib.js';
import { buildDatabase, ORDER_ROWS, type Built } from './generate.js';
import {
  handWrittenRebuild,
  measureLock,
  setJournalMode,
  type JournalMode,
  type LockMeasure,
} from './lock.js';

export const LOCK_SIZES = [10_000, 100_000, 1_000_000] as const;
const OUT = 'bench/out/sqlite';
const APP = `${OUT}/app.db`;
const INPLACE = `${OUT}/inplace.sql`;
const REBUILD = `${OUT}/rebuild.sql`;
const CLI = 'dist/cli/main.js';

export interface CommandRow {
  label: string;
  ms: number;
  exitCode: number;
  /** The verdict line of the output (what the command said). */
  said: string;
}

export interface LockRow {
  op: 'rebuild' | 'drop column' | 'add column';
  mode: JournalMode;
  rows: number;
  runs: LockMeasure[];
}

export interface SqliteBenchResult {
  built: Built;
  rounds: number;
  commands: CommandRow[];
  planner: { rebuild: boolean; note: string };
  rebuildSource: 'plan' | 'hand-written';
  rebuildStatements: number;
  lockRounds: number;
  locks: LockRow[];
  /** Lock runs whose SQL SQLite rejected. */
  failures: string[];
}

const node = process.execPath;
/** Exit codes that are verdicts, not failures: 1 (unsafe, or validation failed). */
const VERDICTS = [0, 1];

function exitOf(args: string[]): Promise<{ code: number; out: string }> {
  return captureCommand(node, args, VERDICTS)
    .then((out) => ({ code: 0, out }))
    .catch((e: Error) => {
      const code = /exited (\d+)/.exec(e.message)?.[1];
      return { code: Number(code ?? -1), out: e.message };
    });
}

/** The planner's rebuild of rebuild.sql on `db`, or null when it keeps the statement as written. */
async function planSql(db: string): Promise<string[] | null> {
  const run = await exitOf([CLI, 'plan', REBUILD, '--db', db, '--format', 'json']).catch(() => null);
  if (!run?.out.trim().startsWith('{')) return null;
  const plan = JSON.parse(run.out.slice(0, run.out.lastIndexOf('}') + 1)) as { steps: { sql: string[] }[] };
  const sql = plan.steps.flatMap((s) => s.sql);
  return sql.some((s) => /^BEGIN IMMEDIATE/i.test(s)) ? sql : null;
}

export async function runSqliteBench(log: (s: string) => void): Promise<SqliteBenchResult> {
  mkdirSync(OUT, { recursive: true });
  for (const f of [APP, `${APP}-wal`, `${APP}-shm`]) rmSync(f, { force: true });
  log(`  building ${APP} (200 tables, ${ORDER_ROWS.toLocaleString('en')} orders) …`);
  const built = buildDatabase(APP, ORDER_ROWS, true);
  log(`  built in ${Math.round(built.ms)} ms, ${Math.round(built.bytes / 2 ** 20)} MiB`);
  writeFileSync(
    INPLACE,
    '-- in place: only the schema changes\nALTER TABLE orders ADD COLUMN source TEXT;\nCREATE INDEX cust_004_created_idx ON cust_004 (created_at);\n',
  );
  writeFileSync(
    REBUILD,
    '-- SQLite refuses this (orders_coupon_idx uses the column): only the 12-step rebuild does it\nALTER TABLE orders DROP COLUMN coupon;\n',
  );
  const rebuildPlan = await planSql(APP);
  const planner = rebuildPlan
    ? { rebuild: true, note: `the planner writes the 12-step rebuild (${rebuildPlan.length} statements)` }
    : {
        rebuild: false,
        note: 'the planner on this branch keeps the DROP COLUMN as written (no SQLite rebuild recipe merged yet): plan, and validate/check of the rebuild, not timed',
      };
  log(`  ${planner.note}`);

  const commands: { label: string; args: string[] }[] = [
    { label: '`node -e 0` (the floor for any Node CLI)', args: ['-e', '0'] },
    { label: '`analyze inplace.sql --db app.db`', args: [CLI, 'analyze', INPLACE, '--db', APP] },
    { label: '`analyze rebuild.sql --db app.db`', args: [CLI, 'analyze', REBUILD, '--db', APP] },
    {
      label: '`validate inplace.sql --db app.db` (on a copy of the file)',
      args: [CLI, 'validate', INPLACE, '--db', APP],
    },
    {
      label: '`check inplace.sql --db app.db --dry-run`',
      args: [CLI, 'check', INPLACE, '--db', APP, '--dry-run'],
    },
  ];
  if (planner.rebuild)
    commands.push(
      { label: '`plan rebuild.sql --db app.db`', args: [CLI, 'plan', REBUILD, '--db', APP] },
      {
        label: '`validate rebuild.sql --db app.db` (on a copy of the file)',
        args: [CLI, 'validate', REBUILD, '--db', APP],
      },
      {
        label: '`check rebuild.sql --db app.db --dry-run`',
        args: [CLI, 'check', REBUILD, '--db', APP, '--dry-run'],
      },
    );
  // One untimed run each: the file into the page cache, and what each command says.
  const said = new Map<string, { code: number; line: string }>();
  for (const c of commands) {
    const run = await runTimedNode(c.args, c.label);
    const line = verdictLine(run.stdout);
    said.set(c.label, { code: run.exitCode, line });
    log(`  ${c.label}: exit ${run.exitCode}: ${line}`);
  }
  const rounds = Number(process.env['BENCH_SQLITE_ROUNDS'] ?? 3);
  const times = commands.map(() => [] as number[]);
  for (let round = 1; round <= rounds; round++) {
    for (const [i, c] of commands.entries())
      times[i]?.push(await timeCommand(node, c.args, {}, VERDICTS).catch(() => Number.NaN));
    log(`  round ${round}/${rounds}: ${times.map((t) => Math.round(t.at(-1) ?? 0)).join(', ')} ms`);
  }

  const lockRounds = Number(process.env['BENCH_SQLITE_LOCK_ROUNDS'] ?? 3);
  const { locks, source, statements, failures } = await lockRuns(lockRounds, log);
  return {
    built,
    rounds,
    commands: commands.map((c, i) => ({
      label: c.label,
      ms: median(times[i] ?? []),
      exitCode: said.get(c.label)?.code ?? -1,
      said: said.get(c.label)?.line ?? '',
    })),
    planner,
    rebuildSource: source,
    rebuildStatements: statements,
    lockRounds,
    locks,
    failures,
  };
}

/** The line that says how it went: a validation verdict, an assessment, else the first line. */
function verdictLine(out: string): string {
  const lines = out.split('\n').map((l) => l.trim());
  const verdict =
    lines.find((l) => /^(Validation (failed|passed)|✓ safe|✗ not safe|Check (passed|failed))/i.test(l)) ??
    lines.find((l) => /^(✓|✗|schemapilot:)/.test(l)) ??
    lines[0] ??
    '';
  const error = lines.find((l) => /^error:/.test(l));
  return (error && !verdict.includes(error) ? `${verdict} (${error})` : verdict).slice(0, 240);
}

async function lockRuns(
  rounds: number,
  log: (s: string) => void,
): Promise<{
  locks: LockRow[];
  source: 'plan' | 'hand-written';
  statements: number;
  failures: string[];
}> {
  const locks: LockRow[] = [];
  const failures: string[] = [];
  let source: 'plan' | 'hand-written' = 'hand-written';
  let statements = 0;
  for (const rows of LOCK_SIZES) {
    const base = `${OUT}/orders-${rows}.db`;
    rmSync(base, { force: true });
    buildDatabase(base, rows, false);
    const planned = await planSql(base);
    const rebuild = planned ?? handWrittenRebuild(base);
    if (planned) source = 'plan';
    statements = rebuild.length;
    const ops: { op: LockRow['op']; sql: string[] }[] = [
      { op: 'rebuild', sql: rebuild },
      { op: 'drop column', sql: ['BEGIN IMMEDIATE', 'ALTER TABLE orders DROP COLUMN note', 'COMMIT'] },
      { op: 'add column', sql: ['BEGIN IMMEDIATE', 'ALTER TABLE orders ADD COLUMN source TEXT', 'COMMIT'] },
    ];
    for (const mode of ['wal', 'delete'] as const)
      for (const { op, sql } of ops) {
        const row: LockRow = { op, mode, rows, runs: [] };
        for (let r = 0; r < rounds; r++) {
          const copy = `${OUT}/lock-copy.db`;
          for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) rmSync(f, { force: true });
          copyFileSync(base, copy);
          setJournalMode(copy, mode);
          try {
            row.runs.push(await measureLock(copy, sql));
          } catch (error) {
            // A plan whose SQL SQLite rejects is a finding, not a reason to lose the other numbers.
            log(`  ${op} on ${rows} rows (${mode}) failed: ${(error as Error).message}`);
            failures.push(`${op}, ${rows} rows, ${mode}: ${(error as Error).message}`);
            break;
          }
        }
        if (!row.runs.length) continue;
        locks.push(row);
        const m = median(row.runs.map((x) => x.txMs));
        log(`  ${rows.toLocaleString('en')} rows, ${mode}, ${op}: transaction ${Math.round(m)} ms`);
      }
    rmSync(base, { force: true });
  }
  for (const f of ['lock-copy.db', 'lock-copy.db-wal', 'lock-copy.db-shm'])
    if (existsSync(`${OUT}/${f}`)) rmSync(`${OUT}/${f}`);
  return { locks, source, statements, failures };
}
