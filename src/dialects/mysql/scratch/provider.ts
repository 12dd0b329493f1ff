/**
 * The scratch databases of `schemapilot validate` for MySQL/MariaDB (core/dialect/scratch.ts).
 * Two kinds of scratch server:
 *
 * - `dev-url`: the server --dev-url names (a dev server, or the target's own server when the
 *   user passes it): databases `schemapilot_scratch_<pid>_<hex>` are created there and dropped;
 *   nothing else on it is written to (the guard in guard.ts refuses SQL naming other databases).
 * - `embedded`: without --dev-url, a throwaway `mariadbd` from the installed binaries
 *   (throwaway.ts), deleted afterwards. Without those binaries: a one-line InputError saying
 *   what to pass.
 *
 * Cleanup happens on success, failure and Ctrl-C (src/validate/scratch.ts's withScratch), and a
 * run killed outright is cleaned up by the next: throwaway directories and servers by
 * `reapThrowawayLeftovers`, dev-server databases by `reapDevLeftovers`.
 */
import { InputError } from '../../../core/errors.js';
import type { ScratchProvider, ScratchServer, ScratchServerOptions } from '../../../core/dialect/scratch.js';
import { connectMysql } from '../connect.js';
import { metadataLocksReadable } from '../trace/evidence.js';
import { describeMysqlTarget } from '../url.js';
import { mysqlFactKey } from '../version.js';
import type { MysqlSession } from '../session.js';
import { reapDevLeftovers } from './reap.js';
import { makeServer } from './server.js';
import {
  findMariadbBinaries,
  reapThrowawayLeftovers,
  startThrowawayMariadb,
  type MariadbBinaries,
} from './throwaway.js';

export const mysqlScratch: ScratchProvider = {
  open: (options) => (options.devUrl === undefined ? openThrowaway(options) : openDevUrl(options.devUrl, options)),
};

/** The provider with the throwaway server's binaries given (null: none installed). */
export function mysqlScratchWith(binaries: MariadbBinaries | null): ScratchProvider {
  return {
    open: (options) =>
      options.devUrl === undefined ? openThrowaway(options, binaries) : openDevUrl(options.devUrl, options),
  };
}

async function openDevUrl(devUrl: string, options: ScratchServerOptions): Promise<ScratchServer> {
  const admin = await connectMysql(devUrl, { source: '--dev-url' });
  try {
    reapThrowawayLeftovers();
    await reapDevLeftovers(admin, options.onWarning);
    const title = titleOf(admin);
    const major = mysqlFactKey(admin.version);
    const where = `${title} (${describeMysqlTarget(devUrl)})`;
    const notes = [versionWarning(options.major, major, where), await locksWarning(admin, where)].filter(
      (w): w is string => w !== undefined,
    );
    for (const note of notes) options.onWarning?.(note);
    const warning = notes.length > 0 ? notes.join('; ') : undefined;
    return makeServer({ kind: 'dev-url', url: devUrl, major, title, admin, warning });
  } catch (error) {
    await admin.close().catch(() => undefined);
    throw error;
  }
}

/** What to do when there is no scratch server: one line, the flag to pass. */
export const NO_SCRATCH_SERVER =
  "validate needs a scratch server: pass --dev-url mysql://user:password@host:port/ (a server where schemapilot may create and drop schemapilot_scratch_* databases; it may be the target's), or install MariaDB (mariadbd and mariadb-install-db) for a throwaway one";

async function openThrowaway(
  options: ScratchServerOptions,
  binaries: MariadbBinaries | null = findMariadbBinaries() ?? null,
): Promise<ScratchServer> {
  if (!binaries) throw new InputError(NO_SCRATCH_SERVER);
  const server = await startThrowawayMariadb(binaries);
  let admin: MysqlSession;
  try {
    admin = await connectMysql(server.url);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const title = titleOf(admin);
  const major = mysqlFactKey(admin.version);
  const warning = versionWarning(options.major, major, `a throwaway ${title}`);
  if (warning !== undefined) options.onWarning?.(warning);
  return makeServer({
    kind: 'embedded',
    url: server.url,
    major,
    title,
    admin,
    warning,
    stop: () => server.stop(),
  });
}

/**
 * Traces read metadata locks from MariaDB's METADATA_LOCK_INFO, a plugin a dev server may not
 * have (the throwaway server loads it): without it, validate says so once instead of silently
 * reporting no lock. Installing it is the server owner's call, not ours.
 */
async function locksWarning(admin: MysqlSession, where: string): Promise<string | undefined> {
  const missing = await metadataLocksReadable(admin).catch((error: unknown) => (error as Error).message);
  return missing === null ? undefined : `metadata locks are not measured on ${where}: ${missing}`;
}

function titleOf(session: MysqlSession): string {
  return `${session.version.product === 'mariadb' ? 'MariaDB' : 'MySQL'} ${session.version.text}`;
}

/**
 * The facts that differ between releases differ by product and by major.minor (MySQL 8.0 vs
 * 8.4, MariaDB 10.6 vs 10.11); patch releases of one series are validated on without a word.
 * Version keys (version.ts) of 100000 and up are MariaDB's.
 */
export function versionWarning(requested: number | null, actual: number, where: string): string | undefined {
  if (requested === null) return undefined;
  const series = (key: number) => Math.floor(key / 100);
  if (series(requested) === series(actual)) return undefined;
  const words = (key: number) =>
    `${key >= 100000 ? 'MariaDB' : 'MySQL'} ${Math.floor(key / 10000)}.${Math.floor(key / 100) % 100}`;
  return `validating on ${where}: the migration targets ${words(requested)} (online DDL differs between products and releases: the traced algorithm and locks may not be the target's)`;
}
