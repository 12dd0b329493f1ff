/** The RESULTS.md section of bench/sqlite. */
import { fmtMs, median } from '../lib.js';
import type { LockRow, SqliteBenchResult } from './index.js';

const n = (v: number) => v.toLocaleString('en');
const ms1 = (v: number) => (v < 10 ? v.toFixed(1) : String(Math.round(v)));

function per100k(row: LockRow | undefined): string {
  if (!row) return '–';
  return ms1((median(row.runs.map((r) => r.txMs)) / row.rows) * 100_000);
}

export function formatSqlite(r: SqliteBenchResult): string {
  const b = r.built;
  const lines = [
    `File: ${n(b.tables)} tables, ${n(b.totalRows)} rows (orders: ${n(b.orderRows)}), ` +
      `${Math.round(b.bytes / 2 ** 20)} MiB, rollback journal; generated in ${fmtMs(b.ms)} ` +
      '(better-sqlite3, one transaction, prepared statements, indexes after the rows).',
    '',
    `Planner: ${r.planner.note}.`,
    '',
    `| command, whole process (median of ${r.rounds}) | time | exit | what it said |`,
    '| --- | --- | --- | --- |',
    ...r.commands.map(
      (c) => `| ${c.label} | ${fmtMs(c.ms)} | ${c.exitCode} | ${c.said.replace(/\|/g, '\\|') || '–'} |`,
    ),
    '',
    `Write lock vs rows (measured in process on copies of accounts + orders with their indexes, triggers ` +
      `and views; median of ${r.lockRounds}; rebuild = ${r.rebuildSource === 'plan' ? "the plan's SQL" : 'the documented 12-step written by hand'}, ` +
      `${r.rebuildStatements} statements). "transaction" is the writer's BEGIN IMMEDIATE → COMMIT returning; ` +
      '"writer shut out" / "reader shut out" the longest run of SQLITE_BUSY seen by a second connection ' +
      '(busy_timeout 0) trying BEGIN IMMEDIATE, and by a reader, every ~0.5 ms from a worker thread:',
    '',
    '| change | journal | rows | transaction | writer shut out | reader shut out |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of r.locks) {
    const med = (f: (x: LockRow['runs'][number]) => number) => ms1(median(row.runs.map(f)));
    lines.push(
      `| ${row.op} | ${row.mode === 'wal' ? 'WAL' : 'rollback (DELETE)'} | ${n(row.rows)} | ${med((x) => x.txMs)} ms | ` +
        `${med((x) => x.writerBlockedMs)} ms | ${med((x) => x.readerBlockedMs)} ms |`,
    );
  }
  const find = (op: LockRow['op'], mode: LockRow['mode'], rows: number) =>
    r.locks.find((l) => l.op === op && l.mode === mode && l.rows === rows);
  const sizes = [...new Set(r.locks.map((l) => l.rows))];
  lines.push(
    '',
    '| transaction, ms per 100k rows | ' + sizes.map((s) => `${n(s)} rows`).join(' | ') + ' |',
    '| --- | ' + sizes.map(() => '---').join(' | ') + ' |',
  );
  for (const op of ['rebuild', 'drop column', 'add column'] as const)
    for (const mode of ['wal', 'delete'] as const)
      lines.push(
        `| ${op}, ${mode === 'wal' ? 'WAL' : 'rollback'} | ${sizes.map((s) => per100k(find(op, mode, s))).join(' | ')} |`,
      );
  if (r.failures.length)
    lines.push('', 'Failed (SQLite rejected the SQL):', ...r.failures.map((f) => `- ${f}`));
  return lines.join('\n');
}
