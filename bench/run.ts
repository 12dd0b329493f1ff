/**
 * `npm run bench [name...]`: builds dist/, runs the named benchmarks (default: all) against
 * BENCH_PG_URL (default: the local server on 127.0.0.1:5432, else an embedded PostgreSQL),
 * prints the results and rewrites their sections of bench/RESULTS.md, stamped with the machine
 * and date.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import {
  startEmbeddedPostgres,
  type EmbeddedServer,
} from '../src/dialects/postgres/scratch/embedded-server.js';
import { formatHistory, runHistoryBench } from './analyze/history.js';
import { formatAnalyze, runAnalyzeBench } from './analyze/index.js';
import { formatCalibrate, runCalibrateBench } from './calibrate/index.js';
import { formatCheck, runCheckBench } from './check/index.js';
import { runCompareBench } from './compare/squawk.js';
import { formatDeploy, runDeployBench } from './deploy/index.js';
import { formatImpact, runImpactBench } from './impact/index.js';
import { formatIntrospect, runIntrospectBench } from './introspect/index.js';
import { machine } from './lib.js';

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
  'deploy-10m': async (url, log) => formatDeploy(await runDeployBench(url, log, { rows: 10_000_000 })),
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
  const selected = named.length ? named : Object.keys(benches).filter((n) => !optIn.has(n));
  for (const name of selected)
    if (!benches[name])
      throw new Error(`unknown benchmark "${name}"; have ${Object.keys(benches).join(', ')}`);

  log('building dist/ …');
  await run('npm', ['run', '--silent', 'build']);

  let embedded: EmbeddedServer | undefined;
  let serverUrl = process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!(await reachable(serverUrl))) {
    log(`${serverUrl} unreachable; starting an embedded PostgreSQL`);
    embedded = await startEmbeddedPostgres();
    serverUrl = embedded.url;
  }
  const version = await serverVersion(serverUrl);
  try {
    for (const name of selected) {
      log(`\n## ${name}`);
      const body = await (benches[name] as Bench)(serverUrl, log);
      const section = `Run ${new Date().toISOString().slice(0, 10)} on ${machine()}, PostgreSQL ${version}.\n\n${body}`;
      process.stdout.write(`\n## ${name}\n\n${section}\n`);
      updateResults(name, section);
    }
  } finally {
    await embedded?.stop();
  }
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
