/**
 * `npm run bench [name...]`: builds dist/, runs the named benchmarks (default: all) against
 * BENCH_PG_URL (default: the local server on 127.0.0.1:5432, else an embedded PostgreSQL) or,
 * for the MySQL ones, BENCH_MYSQL_URL (default: mysql://root@127.0.0.1:3306/test; skipped when
 * no server answers), prints the results and rewrites their sections of bench/RESULTS.md,
 * stamped with the machine, date and server. The SQLite one (`sqlite`) needs no server: it writes
 * its own database files under bench/out/sqlite/.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import {
  startEmbeddedPostgres,
  type EmbeddedServer,
} from '../src/dialects/postgres/scratch/embedded-server.js';
import { connectMysql } from '../src/dialects/mysql/connect.js';
import { formatHistory, runHistoryBench } from './analyze/history.js';
import { formatAnalyze, runAnalyzeBench } from './analyze/index.js';
import { formatCalibrate, runCalibrateBench } from './calibrate/index.js';
import { formatCheck, runCheckBench } from './check/index.js';
import { runCompareBench } from './compare/squawk.js';
import { formatDeploy, runDeployBench } from './deploy/index.js';
import { formatFleet, runFleetBench } from './fleet/index.js';
import { formatImpact, runImpactBench } from './impact/index.js';
import { formatIntrospect, runIntrospectBench } from './introspect/index.js';
import { formatMysqlAnalyze, runMysqlAnalyzeBench } from './analyze-mysql/index.js';
import { formatMysqlIntrospect } from './introspect-mysql/format.js';
import { runMysqlIntrospectBench } from './introspect-mysql/index.js';
import { machine } from './lib.js';
import { formatSqlite } from './sqlite/format.js';
import { runSqliteBench } from './sqlite/index.js';

type Bench = (serverUrl: string, log: (s: string) => void) => Promise<string>;

const benches: Record<string, Bench> = {
  introspect: async (url, log) => formatIntrospect(await runIntrospectBench(url, log)),
  analyze: async (_url, log) => formatAnalyze(await runAnalyzeBench(log)),
  'analyze-history': async (_url, log) => formatHistory(await runHistoryBench(log)),
  calibrate: async (url, log) => formatCalibrate(await runCalibrateBench(url, log)),
  compare: async (_url, log) => runCompareBench(log),
  check: async (url, log) => formatCheck(await runCheckBench(url, log)),
  deploy: async (url, log) => formatDeploy(await runDeployBench(url, log)),
  impact: async (url, log) => formatImpact(await runImpactBench(url, log)),
  fleet: async (url, log) => formatFleet(await runFleetBench(url, log)),
  'deploy-10m': async (url, log) => formatDeploy(await runDeployBench(url, log, { rows: 10_000_000 })),
};

/** Benchmarks against MySQL/MariaDB, run on BENCH_MYSQL_URL. */
const mysqlBenches: Record<string, Bench> = {
  'introspect-mysql': async (url, log) => formatMysqlIntrospect(await runMysqlIntrospectBench(url, log)),
  'analyze-mysql': async (url, log) => formatMysqlAnalyze(await runMysqlAnalyzeBench(url, log)),
};

/** Benchmarks on SQLite files the bench writes itself (no server): the library is better-sqlite3. */
const sqliteBenches: Record<string, Bench> = {
  sqlite: async (_url, log) => formatSqlite(await runSqliteBench(log)),
};

/** Run only when named: too long for `npm run bench` with no names. */
const optIn = new Set(['deploy-10m']);

const log = (s: string) => process.stderr.write(s + '\n');

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const named = names.flatMap((n) =>
    n === 'analyze' && !names.includes('analyze-history') ? [n, 'analyze-history'] : [n],
  );
  // `analyze` also runs its many-small-files case, which has its own section.
  const known = [...Object.keys(benches), ...Object.keys(mysqlBenches), ...Object.keys(sqliteBenches)];
  const selected = named.length ? named : known.filter((n) => !optIn.has(n));
  for (const name of selected)
    if (!known.includes(name)) throw new Error(`unknown benchmark "${name}"; have ${known.join(', ')}`);

  log('building dist/ …');
  await run('npm', ['run', '--silent', 'build']);

  const pgNames = selected.filter((n) => benches[n]);
  if (pgNames.length) await runPostgresBenches(pgNames);
  const mysqlNames = selected.filter((n) => mysqlBenches[n]);
  if (mysqlNames.length) await runMysqlBenches(mysqlNames);
  for (const name of selected.filter((n) => sqliteBenches[n]))
    await runOne(name, sqliteBenches[name] as Bench, '', `SQLite ${sqliteVersion()} (better-sqlite3)`);
}

async function runPostgresBenches(selected: string[]): Promise<void> {
  let embedded: EmbeddedServer | undefined;
  let serverUrl = process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!(await reachable(serverUrl))) {
    log(`${serverUrl} unreachable; starting an embedded PostgreSQL`);
    embedded = await startEmbeddedPostgres();
    serverUrl = embedded.url;
  }
  const version = await serverVersion(serverUrl);
  try {
    for (const name of selected)
      await runOne(name, benches[name] as Bench, serverUrl, `PostgreSQL ${version}`);
  } finally {
    await embedded?.stop();
  }
}

async function runMysqlBenches(selected: string[]): Promise<void> {
  const serverUrl = process.env['BENCH_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test';
  let server: string;
  try {
    const session = await connectMysql(serverUrl, { connectTimeoutMs: 2000, source: 'BENCH_MYSQL_URL' });
    server = `${session.version.product === 'mariadb' ? 'MariaDB' : 'MySQL'} ${session.version.text}`;
    await session.close();
  } catch (error) {
    // The message names user@host:port/database, never the password.
    log(
      `\nskipping ${selected.join(', ')}: ${(error as Error).message}\n` +
        '  (set BENCH_MYSQL_URL to a MySQL or MariaDB server; bench/RESULTS.md left as it was)',
    );
    return;
  }
  for (const name of selected) await runOne(name, mysqlBenches[name] as Bench, serverUrl, server);
}

async function runOne(name: string, bench: Bench, serverUrl: string, server: string): Promise<void> {
  log(`\n## ${name}`);
  const body = await bench(serverUrl, log);
  const section = `Run ${new Date().toISOString().slice(0, 10)} on ${machine()}, ${server}.\n\n${body}`;
  process.stdout.write(`\n## ${name}\n\n${section}\n`);
  updateResults(name, section);
}

function updateResults(name: string, section: string): void {
  const file = new URL('./RESULTS.md', import.meta.url);
  const text = readFileSync(file, 'utf8');
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < 0) {
    log(`bench/RESULTS.md has no ${open} … ${close} section; not updated`);
    return;
  }
  writeFileSync(file, text.slice(0, start + open.length) + '\n' + section + '\n' + text.slice(end));
}

function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (
      (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version.split(
        ' ',
      )[0] ?? '?'
    );
  } finally {
    await client.end();
  }
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}`))));
  });
}

await main();
