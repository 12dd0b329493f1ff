/**
 * bench/introspect-mysql: how long it takes to read a 5,000-table MySQL/MariaDB schema
 * (issue 14, item 9; target: 5,000 tables in <= 2 s, as for PostgreSQL).
 *
 * Builds a scratch database of realistic tables (schema.ts) on the server in BENCH_MYSQL_URL,
 * then times, against the built dist/ modules as a library user imports them:
 *  - `inspectMysql(url)` in process (connect, the catalog queries, assembly), median of several
 *    rounds after a warm-up, and the catalog queries it sends (counted on one more read);
 *  - a whole `node` process that imports the module, inspects and writes the JSON to /dev/null
 *    (no CLI entry reaches MySQL yet), next to a bare `node -e 0` for node's own start;
 *  - `mariadb-dump --no-data` when installed, for scale.
 * The database is dropped at the end whatever happens (and on Ctrl-C), and also before the
 * build if a killed run left it behind.
 */
import { performance } from 'node:perf_hooks';
import type * as Connect from '../../src/dialects/mysql/connect.js';
import type * as Introspect from '../../src/dialects/mysql/introspect.js';
import type { MysqlSession } from '../../src/dialects/mysql/session.js';
import type { SchemaSnapshot } from '../../src/core/snapshot.js';
import { databaseUrl, median, repeat, timeCommand } from '../lib.js';
import { tableDdl, TABLES, viewDdl, VIEWS } from './schema.js';

const DB = 'sp_bench_introspect_mysql';
const INTROSPECT = new URL('../../dist/dialects/mysql/introspect.js', import.meta.url).href;
const CONNECT = new URL('../../dist/dialects/mysql/connect.js', import.meta.url).href;

export interface MysqlIntrospectResult {
  buildMs: number;
  counts: Record<
    | 'tables'
    | 'partitioned'
    | 'myisam'
    | 'views'
    | 'columns'
    | 'indexes'
    | 'fulltext'
    | 'spatial'
    | 'foreignKeys'
    | 'checks'
    | 'triggers'
    | 'partitions',
    number
  >;
  jsonBytes: number;
  inProcessMs: number[];
  stringifyMs: number[];
  /** Statements `introspectMysql` sent on one read: catalog SELECTs, and the rest (transaction). */
  catalogQueries: Sent[];
  otherStatements: string[];
  /** That one read, whole (queries + assembly in memory), connect excluded. */
  countedReadMs: number;
  nodeStartMs: number[];
  nodeProcessMs: number[];
  dumpMs: number[] | null;
}

/** A statement sent on the counted read, with its round trip and the rows it returned. */
export interface Sent {
  sql: string;
  ms: number;
  rows: number;
}

export async function runMysqlIntrospectBench(
  serverUrl: string,
  log: (s: string) => void,
): Promise<MysqlIntrospectResult> {
  const { connectMysql } = (await import(CONNECT)) as typeof Connect;
  const { inspectMysql, introspectMysql } = (await import(INTROSPECT)) as typeof Introspect;
  const url = databaseUrl(serverUrl, DB);
  const admin = (sql: string) => withSession(connectMysql, serverUrl, (s) => s.rows(sql));
  const drop = () => admin(`DROP DATABASE IF EXISTS ${DB}`);
  const onSignal = (signal: NodeJS.Signals) => {
    log(`  ${signal}: dropping ${DB} …`);
    void drop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await drop();
    await admin(`CREATE DATABASE ${DB} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    log(`  creating ${TABLES} tables and ${VIEWS} views in ${DB} …`);
    const started = performance.now();
    await build(connectMysql, url, log);
    const buildMs = performance.now() - started;

    const rounds = Number(process.env['BENCH_MYSQL_INSPECT_ROUNDS'] ?? 7);
    log(`  inspectMysql() in process: 1 warm-up, ${rounds} rounds …`);
    const warm = await inspectMysql(url);
    const counts = countsOf(warm);
    if (counts.tables !== TABLES) throw new Error(`inspect read ${counts.tables} tables, built ${TABLES}`);
    const inProcessMs: number[] = [];
    const stringifyMs: number[] = [];
    let jsonBytes = 0;
    for (let r = 0; r < rounds; r++) {
      let t = performance.now();
      const snapshot = await inspectMysql(url);
      inProcessMs.push(performance.now() - t);
      t = performance.now();
      jsonBytes = Buffer.byteLength(JSON.stringify(snapshot));
      stringifyMs.push(performance.now() - t);
    }
    log(`  median ${Math.round(median(inProcessMs))} ms`);

    // The same read as inspectMysql's (read-only session, lock_wait_timeout), queries counted.
    const readOnly: typeof connectMysql = (u) => connectMysql(u, { readOnly: true });
    const { sent, countedReadMs } = await withSession(readOnly, url, async (session) => {
      await session.rows('SET SESSION lock_wait_timeout = 5');
      const statements: Sent[] = [];
      const rows = session.rows.bind(session);
      // introspectMysql sends its queries at once and the session answers them in turn: each is
      // timed from when the one before it is answered, so the times are the server's, not the queue's.
      let previous: Promise<unknown> = Promise.resolve();
      session.rows = <Row>(sql: string, values?: unknown[]) => {
        const run = previous.then(async () => {
          const t = performance.now();
          const out = await rows<Row>(sql, values);
          statements.push({
            sql: sql.replace(/\s+/g, ' ').trim(),
            ms: performance.now() - t,
            rows: out.length,
          });
          return out;
        });
        previous = run.catch(() => undefined);
        return run;
      };
      const t = performance.now();
      await introspectMysql(session);
      return { sent: statements, countedReadMs: performance.now() - t };
    });
    const catalogQueries = sent.filter((s) => /^SELECT\b/i.test(s.sql));
    const otherStatements = sent.filter((s) => !/^SELECT\b/i.test(s.sql)).map((s) => s.sql);

    log('  node -e 0 ×5, node process inspecting ×5 …');
    const nodeStartMs = await repeat(5, () => timeCommand(process.execPath, ['-e', '0']));
    const script = [
      `const { inspectMysql } = await import(${JSON.stringify(INTROSPECT)});`,
      `const { writeFileSync } = await import('node:fs');`,
      `writeFileSync('/dev/null', JSON.stringify(await inspectMysql(process.env.BENCH_INSPECT_URL)));`,
    ].join('\n');
    const nodeProcessMs = await repeat(5, () =>
      timeCommand(process.execPath, ['--input-type=module', '-e', script], { BENCH_INSPECT_URL: url }),
    );

    let dumpMs: number[] | null = null;
    try {
      log('  mariadb-dump --no-data ×3 …');
      dumpMs = await repeat(3, () => timeCommand('mariadb-dump', dumpArgs(url)));
    } catch (error) {
      log(`  mariadb-dump unavailable: ${(error as Error).message.split('\n')[0]}`);
    }
    return {
      buildMs,
      counts,
      jsonBytes,
      inProcessMs,
      stringifyMs,
      catalogQueries,
      otherStatements,
      countedReadMs,
      nodeStartMs,
      nodeProcessMs,
      dumpMs,
    };
  } finally {
    log(`  dropping ${DB} …`);
    await drop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function withSession<T>(
  connect: typeof Connect.connectMysql,
  url: string,
  fn: (session: MysqlSession) => Promise<T>,
): Promise<T> {
  const session = await connect(url);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}

/**
 * Two connections (the machine has two cores), each creating a contiguous half of the tables:
 * CREATE TABLE on InnoDB is a file create and a few syncs, so this is I/O-bound either way.
 * foreign_key_checks = 0 lets a table name its parent before the other connection made it.
 */
async function build(
  connect: typeof Connect.connectMysql,
  url: string,
  log: (s: string) => void,
): Promise<void> {
  const workers = 2;
  const per = Math.ceil(TABLES / workers);
  let done = 0;
  await Promise.all(
    Array.from({ length: workers }, (_, w) =>
      withSession(connect, url, async (session) => {
        await session.rows('SET SESSION foreign_key_checks = 0');
        for (let i = w * per; i < Math.min(TABLES, (w + 1) * per); i++) {
          for (const sql of tableDdl(i)) await session.rows(sql);
          if (++done % 1000 === 0) log(`    ${done} tables`);
        }
      }),
    ),
  );
  await withSession(connect, url, async (session) => {
    for (let v = 0; v < VIEWS; v++) await session.rows(viewDdl(v));
  });
}

function countsOf(s: SchemaSnapshot): MysqlIntrospectResult['counts'] {
  const sum = (f: (t: SchemaSnapshot['tables'][number]) => number) => s.tables.reduce((n, t) => n + f(t), 0);
  return {
    tables: s.tables.length,
    partitioned: s.tables.filter((t) => t.kind === 'partitioned table').length,
    myisam: s.tables.filter((t) => t.engine === 'MyISAM').length,
    views: s.views.length,
    columns: sum((t) => t.columns.length),
    indexes: sum((t) => t.indexes.length),
    fulltext: sum((t) => t.indexes.filter((i) => i.method === 'fulltext').length),
    spatial: sum((t) => t.indexes.filter((i) => i.method === 'spatial').length),
    foreignKeys: sum((t) => t.foreignKeys.length),
    checks: sum((t) => t.checkConstraints.length),
    triggers: sum((t) => t.triggers.length),
    partitions: sum((t) => t.partitions?.length ?? 0),
  };
}

function dumpArgs(url: string): string[] {
  const u = new URL(url);
  return [
    `--host=${u.hostname}`,
    `--port=${u.port || '3306'}`,
    `--user=${decodeURIComponent(u.username)}`,
    ...(u.password ? [`--password=${decodeURIComponent(u.password)}`] : []),
    '--no-data',
    '--skip-lock-tables',
    `--result-file=/dev/null`,
    decodeURIComponent(u.pathname.slice(1)),
  ];
}
