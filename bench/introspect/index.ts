/**
 * bench/introspect: how long it takes to read a big schema.
 *
 * A database with 5,000 tables (10 columns, a primary key, 2 secondary indexes and 1 foreign
 * key each) is inspected three ways in one run:
 *  - `schemapilot inspect` as a whole process (node dist/cli/main.js, JSON to /dev/null);
 *  - a per-table inspector: four queries for each table (columns and primary key from
 *    information_schema, foreign keys from pg_constraint, indexes from pg_indexes), one table
 *    at a time, as the brief's `inspector.get_columns(table)` loop does;
 *  - `pg_dump --schema-only`.
 * Target: inspect <= 2 s and >= 20x faster than per-table.
 */
import pg from 'pg';
import { databaseUrl, fmtMs, median, repeat, timeAsync, timeCommand, withClient } from '../lib.js';

export const TABLES = 5000;
const DB = 'sp_bench_introspect';

export interface IntrospectResult {
  tables: number;
  inspectMs: number[];
  perTableMs: number;
  perTableMeasuredTables: number;
  pgDumpMs: number[] | null;
}

export async function runIntrospectBench(
  serverUrl: string,
  log: (s: string) => void,
): Promise<IntrospectResult> {
  const url = databaseUrl(serverUrl, DB);
  await ensureDatabase(serverUrl, url, log);

  log('  schemapilot inspect (whole process) ×5 …');
  const inspectMs = await repeat(5, () =>
    timeCommand(process.execPath, [
      'dist/cli/main.js',
      'inspect',
      '--db',
      url,
      '--format',
      'json',
      '-o',
      '/dev/null',
    ]),
  );

  log('  pg_dump --schema-only ×3 …');
  let pgDumpMs: number[] | null = null;
  try {
    pgDumpMs = await repeat(3, () => timeCommand('pg_dump', ['--schema-only', '-f', '/dev/null', url]));
  } catch (error) {
    log(`  pg_dump unavailable: ${(error as Error).message.split('\n')[0]}`);
  }

  // Each information_schema query scans the whole catalog, so per-table reflection grows with
  // tables²; at 5,000 tables a full pass takes many minutes. We time an evenly spread sample on
  // the full-size catalog and scale it linearly to all tables (each query sees the same catalog).
  const sample = Number(process.env['BENCH_PER_TABLE_SAMPLE'] ?? 250);
  log(`  per-table information_schema inspector (${sample} of ${TABLES} tables, scaled) …`);
  const sampleMs = await timeAsync(() => perTableInspect(url, sample));
  const perTableMs = (sampleMs * TABLES) / sample;
  return { tables: TABLES, inspectMs, perTableMs, perTableMeasuredTables: sample, pgDumpMs };
}

export function formatIntrospect(r: IntrospectResult): string {
  const inspect = median(r.inspectMs);
  const dump = r.pgDumpMs ? median(r.pgDumpMs) : null;
  const rows = [
    `| schemapilot inspect (whole process, median of ${r.inspectMs.length}) | ${fmtMs(inspect)} | 1× |`,
    `| per-table information_schema inspector (${r.perTableMeasuredTables} tables timed, scaled to ${r.tables}) | ${fmtMs(r.perTableMs)} | ${(r.perTableMs / inspect).toFixed(1)}× slower |`,
    dump === null
      ? '| pg_dump --schema-only | n/a | |'
      : `| pg_dump --schema-only (median of 3) | ${fmtMs(dump)} | ${(dump / inspect).toFixed(1)}× |`,
  ];
  return [
    `${r.tables} tables, 10 columns, PK + 2 indexes + 1 FK each`,
    '',
    '| approach | time | vs inspect |',
    '| --- | --- | --- |',
    ...rows,
  ].join('\n');
}

async function ensureDatabase(serverUrl: string, url: string, log: (s: string) => void): Promise<void> {
  const exists = await withClient(serverUrl, async (c) => {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB]);
    return rowCount === 1;
  });
  if (exists) {
    const count = await withClient(url, async (c) => {
      const { rows } = await c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace`,
      );
      return rows[0]?.n ?? 0;
    });
    if (count === TABLES) return;
    await withClient(serverUrl, (c) => c.query(`DROP DATABASE ${DB} WITH (FORCE)`));
  }
  log(`  creating ${TABLES} tables (once; kept for later runs) …`);
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${DB}`));
  await withClient(url, async (c) => {
    const batch = 250;
    for (let start = 0; start < TABLES; start += batch) {
      const ddl: string[] = ['BEGIN;'];
      for (let i = start; i < Math.min(TABLES, start + batch); i++) {
        const ref = i === 0 ? 0 : i - 1;
        ddl.push(`CREATE TABLE t${i} (
          id bigint PRIMARY KEY, ref_id bigint REFERENCES t${ref} (id), name text NOT NULL,
          email varchar(255), amount numeric(12,2) DEFAULT 0, created_at timestamptz NOT NULL DEFAULT now(),
          flags integer[], payload jsonb, active boolean NOT NULL DEFAULT true, note text);
        CREATE INDEX t${i}_ref_idx ON t${i} (ref_id);
        CREATE INDEX t${i}_name_created_idx ON t${i} (name, created_at);`);
      }
      ddl.push('COMMIT;');
      await c.query(ddl.join('\n'));
    }
    await c.query('ANALYZE');
  });
}

/** One table at a time, four queries each: the shape of per-table reflection. */
async function perTableInspect(url: string, sample: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const step = Math.max(1, Math.floor(TABLES / sample));
    for (let n = 0; n < sample; n++) {
      const name = `t${(n * step) % TABLES}`;
      await client.query(
        `SELECT column_name, data_type, character_maximum_length, numeric_precision, numeric_scale,
                is_nullable, column_default, is_identity, generation_expression, collation_name
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1
         ORDER BY ordinal_position`,
        [name],
      );
      await client.query(
        `SELECT tc.constraint_name, kcu.column_name
         FROM information_schema.table_constraints tc
         JOIN information_schema.key_column_usage kcu
           ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
         WHERE tc.table_schema = 'public' AND tc.table_name = $1 AND tc.constraint_type = 'PRIMARY KEY'
         ORDER BY kcu.ordinal_position`,
        [name],
      );
      // Foreign keys through pg_constraint, as SQLAlchemy's get_foreign_keys does: the
      // information_schema join (referential_constraints x key_column_usage) takes minutes per
      // table at this catalog size, which would only flatter us.
      await client.query(
        `SELECT con.conname, pg_get_constraintdef(con.oid) AS def, ref.relname AS ref_table
         FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_class ref ON ref.oid = con.confrelid
         WHERE n.nspname = 'public' AND c.relname = $1 AND con.contype = 'f'`,
        [name],
      );
      await client.query(
        `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1`,
        [name],
      );
    }
  } finally {
    await client.end();
  }
}
