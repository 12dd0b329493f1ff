/**
 * A throwaway MariaDB server, the MySQL side's counterpart of the embedded PostgreSQL: the
 * `mariadbd` installed on this machine, started on a fresh data directory under the temp
 * directory (`mariadb-install-db`, ~0.6 s, then ~0.2 s to start), listening on 127.0.0.1 on a
 * free port, stopped and deleted afterwards. Nothing else is on it, so nothing a migration does
 * there can reach a real database.
 *
 * - Settings: `--no-defaults`, so nothing from the machine's my.cnf applies (its datadir,
 *   socket, port, binlog); durability off (a scratch server); the `metadata_lock_info` plugin
 *   loaded, so traces can read metadata locks (https://mariadb.com/kb/en/metadata-lock-info-plugin/).
 * - Access: a user `schemapilot`@`127.0.0.1` with a random password, made by `--init-file`
 *   before the server accepts connections; root is left with unix_socket authentication on a
 *   socket inside the 0700 directory.
 * - As root, mariadbd refuses to run unless told `--user=root`
 *   (https://mariadb.com/kb/en/mariadbd-options/#-user); the files stay root's, in a 0700 directory.
 * - A run killed outright leaves the directory with its owner's pid in `schemapilot-owner.pid`:
 *   the next run kills that server and deletes the directory (`reapThrowawayLeftovers`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { SchemapilotError } from '../../../core/errors.js';
import { connectMysql } from '../connect.js';
import { freePort, isAlive, logTail, stopChild } from '../../../core/child-server.js';

const DIR_PREFIX = 'schemapilot-mariadb-';
const OWNER_FILE = 'schemapilot-owner.pid';
const SERVER_PID_FILE = 'mariadbd.pid';

export interface ThrowawayServer {
  /** `mysql://schemapilot:<password>@127.0.0.1:<port>/` */
  url: string;
  port: number;
  /** `VERSION()` of the server. */
  version: string;
  root: string;
  stop(): Promise<void>;
}

export interface MariadbBinaries {
  server: string;
  installDb: string;
}

/** The installed `mariadbd` and `mariadb-install-db`: on PATH, or where Debian and RPMs put them. */
export function findMariadbBinaries(
  dirs: readonly string[] = [
    ...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean),
    '/usr/sbin',
    '/usr/local/sbin',
    '/usr/local/bin',
    '/usr/bin',
    '/usr/local/mysql/bin',
  ],
): MariadbBinaries | undefined {
  const find = (name: string) => dirs.map((d) => join(d, name)).find((p) => existsSync(p));
  const server = find('mariadbd');
  const installDb = find('mariadb-install-db');
  return server && installDb ? { server, installDb } : undefined;
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** The same InnoDB sizes for install and start: a small redo log keeps the directory at ~25 MB. */
const INNODB = ['--innodb-log-file-size=8M', '--innodb-buffer-pool-size=64M'];

export async function startThrowawayMariadb(binaries: MariadbBinaries): Promise<ThrowawayServer> {
  reapThrowawayLeftovers();
  const root = mkdtempSync(join(tmpdir(), DIR_PREFIX));
  writeFileSync(join(root, OWNER_FILE), String(process.pid));
  const dataDir = join(root, 'data');
  // A temp directory of its own: at startup mariadbd deletes every `#sql*` file in its tmpdir
  // (mysql_rm_tmp_tables), which in the shared /tmp are the live temporary tables of any other
  // server on the machine.
  const tmp = join(root, 'tmp');
  mkdirSync(tmp);
  const user = isRoot() ? ['--user=root'] : [];
  try {
    await run(
      binaries.installDb,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--tmpdir=${tmp}`,
        ...user,
        '--skip-test-db',
        '--skip-name-resolve',
        ...INNODB,
      ],
      join(root, 'install.log'),
    );
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw new SchemapilotError(`could not initialise a throwaway MariaDB: ${(error as Error).message}`);
  }
  const password = randomBytes(12).toString('hex');
  const initFile = join(root, 'init.sql');
  writeFileSync(
    initFile,
    `CREATE OR REPLACE USER 'schemapilot'@'127.0.0.1' IDENTIFIED BY '${password}';\n` +
      `GRANT ALL PRIVILEGES ON *.* TO 'schemapilot'@'127.0.0.1' WITH GRANT OPTION;\n`,
    { mode: 0o600 },
  );
  let lastError = '';
  for (let attempt = 0; attempt < 4; attempt++) {
    const port = await freePort();
    const logFile = join(root, `server-${attempt}.log`);
    const args = [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--tmpdir=${tmp}`,
      ...user,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(root, 'mariadbd.sock')}`,
      `--pid-file=${join(root, SERVER_PID_FILE)}`,
      `--log-error=${logFile}`,
      `--init-file=${initFile}`,
      '--skip-name-resolve',
      '--plugin-load-add=metadata_lock_info',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_general_ci',
      // A scratch server: durability buys nothing.
      '--innodb-flush-log-at-trx-commit=0',
      '--innodb-doublewrite=0',
      ...INNODB,
    ];
    const child = spawn(binaries.server, args, { stdio: 'ignore' });
    child.on('error', () => undefined);
    const url = `mysql://schemapilot:${password}@127.0.0.1:${port}/`;
    const ready = await waitReady(url, child, logFile);
    if (typeof ready === 'string') {
      rmSync(initFile, { force: true });
      let stopped = false;
      return {
        url,
        port,
        version: ready,
        root,
        async stop() {
          if (stopped) return;
          stopped = true;
          await stopServer(child);
          rmSync(root, { recursive: true, force: true });
        },
      };
    }
    lastError = ready.error;
    await stopServer(child);
  }
  rmSync(root, { recursive: true, force: true });
  throw new SchemapilotError(`could not start a throwaway MariaDB (${binaries.server}): ${lastError}`);
}

function run(command: string, args: string[], logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const log = openSync(logFile, 'w');
    const child = spawn(command, args, { stdio: ['ignore', log, log] });
    closeSync(log);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} exited with ${code}: ${logTail(logFile)}`));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, logFile: string): Promise<string | { error: string }> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return { error: logTail(logFile) };
    try {
      const session = await connectMysql(url, { connectTimeoutMs: 2000 });
      const version = session.version.text;
      await session.close();
      return `MariaDB ${version}`;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { error: `not ready after 60 s: ${logTail(logFile)}` };
}

/** SIGTERM: a normal shutdown (https://mariadb.com/kb/en/shutdown/); SIGKILL after 20 s. */
function stopServer(child: ChildProcess): Promise<void> {
  return stopChild(child, { signal: 'SIGTERM', force: 'SIGKILL', forceAfterMs: 20_000 });
}

/**
 * Kill the servers and delete the directories of throwaway servers whose owner process is gone
 * (a run killed by SIGKILL or a power loss). Returns how many were reaped.
 */
export function reapThrowawayLeftovers(): number {
  let entries: string[];
  try {
    entries = readdirSync(tmpdir()).filter((name) => name.startsWith(DIR_PREFIX));
  } catch {
    return 0;
  }
  let reaped = 0;
  for (const name of entries) {
    const root = join(tmpdir(), name);
    const owner = readPid(join(root, OWNER_FILE));
    if (owner === undefined || isAlive(owner)) continue;
    const server = readPid(join(root, SERVER_PID_FILE));
    // SIGKILL: the data directory is deleted right after, nothing in it is worth a clean stop.
    if (server !== undefined && isAlive(server)) process.kill(server, 'SIGKILL');
    rmSync(root, { recursive: true, force: true });
    reaped++;
  }
  return reaped;
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
