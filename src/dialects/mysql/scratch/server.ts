/**
 * Scratch databases on a MySQL/MariaDB server: created, copied and dropped through one admin
 * session. Each holds a marker table whose comment says which host and process made it, so a
 * later run can reap what a killed run left (reap.ts) without touching another machine's.
 */
import { hostname } from 'node:os';
import { SchemapilotError, redactUrl } from '../../../core/errors.js';
import type { ScratchDatabase, ScratchServer } from '../../../core/dialect/scratch.js';
import { quoteMysqlIdent as q, quoteMysqlLiteral } from '../quote.js';
import type { MysqlSession } from '../session.js';
import { describeMysqlTarget } from '../url.js';
import { applySchemaDdl, readSchemaDdl } from '../validate/show-create.js';
import {
  forgetLogicalName,
  inheritLogicalName,
  MARKER_COMMENT_PREFIX,
  MARKER_TABLE,
  newScratchName,
} from './names.js';
import { retargetSql } from './retarget.js';

export interface ServerParts {
  kind: 'embedded' | 'dev-url';
  /** The server's URL (any database); scratch databases' URLs are derived from it. */
  url: string;
  major: number;
  title: string;
  admin: MysqlSession;
  warning: string | undefined;
  /** Stops a throwaway server after the databases are dropped. */
  stop?: () => Promise<void>;
}

export function makeServer(parts: ServerParts): ScratchServer {
  const { kind, url, admin } = parts;
  const created = new Set<string>();
  let closing: Promise<void> | undefined;
  const where = kind === 'dev-url' ? ` on ${describeMysqlTarget(url)}` : '';

  const drop = async (name: string): Promise<void> => {
    if (closing !== undefined || !created.has(name)) return;
    try {
      await dropDatabase(admin, name);
    } catch (error) {
      throw new SchemapilotError(`could not drop scratch database ${name}${where}: ${messageOf(error)}`, {
        cause: error,
      });
    }
    created.delete(name);
    forgetLogicalName(name);
  };

  const server: ScratchServer = {
    kind,
    major: parts.major,
    title: parts.title,
    ...(parts.warning === undefined ? {} : { warning: parts.warning }),
    async createDatabase(template?: string): Promise<ScratchDatabase> {
      if (closing !== undefined) throw new SchemapilotError('the scratch server is closed');
      const name = newScratchName();
      try {
        await admin.rows(`CREATE DATABASE ${q(name)}`);
        // Tracked before the marker: if that fails, close still drops the database.
        created.add(name);
        await admin.rows(
          `CREATE TABLE ${q(name)}.${q(MARKER_TABLE)} (id int) COMMENT = ${quoteMysqlLiteral(markerComment())}`,
        );
        if (template !== undefined) await copyDatabase(admin, template, name);
      } catch (error) {
        await drop(name).catch(() => undefined);
        const copy = template === undefined ? '' : ` as a copy of ${template}`;
        throw new SchemapilotError(
          `could not create a scratch database${copy}${where}: ${messageOf(error)}`,
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
    // A throwaway server's databases go with its data directory: only stop it.
    if (parts.stop === undefined) {
      for (const name of [...created]) {
        try {
          await dropDatabase(admin, name);
          created.delete(name);
        } catch (error) {
          failures.push(`${name}: ${messageOf(error)}`);
        }
      }
    }
    for (const name of created) forgetLogicalName(name);
    await admin.close().catch(() => undefined);
    if (parts.stop !== undefined) await parts.stop();
    if (failures.length > 0)
      throw new SchemapilotError(
        `could not drop scratch database${failures.length > 1 ? 's' : ''}${where} (drop by hand): ${failures.join('; ')}`,
      );
  }

  return server;
}

export function markerComment(): string {
  return MARKER_COMMENT_PREFIX + JSON.stringify({ host: hostname(), pid: process.pid });
}

/**
 * `template`'s tables (with their rows), routines, views and triggers into the empty database
 * `name` on the same server: MySQL has no CREATE DATABASE … TEMPLATE. Rows are copied before the
 * triggers exist (they must not fire) and with foreign key checks off (any table order).
 */
async function copyDatabase(admin: MysqlSession, template: string, name: string): Promise<void> {
  const ddl = await readSchemaDdl(admin, template, { keepCounters: true });
  if (ddl.charset === null) throw new Error(`no database ${template}`);
  if (ddl.charset && ddl.collation)
    await admin.rows(`ALTER DATABASE ${q(name)} CHARACTER SET ${ddl.charset} COLLATE ${ddl.collation}`);
  const [previous] = await admin.rows<{ db: string | null; mode: string }>(
    'SELECT DATABASE() AS db, @@SESSION.sql_mode AS mode',
  );
  await admin.rows(`USE ${q(name)}`);
  try {
    const warnings = await applySchemaDdl(admin, ddl, {
      rewrite: (sql) => retargetSql(sql, { to: name, from: [template], forbidden: new Set() }),
      afterTables: async () => {
        // An explicit 0 in an AUTO_INCREMENT column stays 0 instead of taking the next value.
        await admin.rows("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_AUTO_VALUE_ON_ZERO')");
        for (const t of ddl.tables) {
          const cols = (ddl.columns.get(t.name) ?? []).map(q).join(', ');
          if (cols === '') continue;
          await admin.rows(
            `INSERT INTO ${q(name)}.${q(t.name)} (${cols}) SELECT ${cols} FROM ${q(template)}.${q(t.name)}`,
          );
        }
        await admin.rows('SET SESSION sql_mode = ?', [previous?.mode ?? '']);
      },
    });
    // A copy that differs from its template would make validate compare the wrong things.
    if (warnings.length > 0) throw new Error(warnings.join('; '));
    inheritLogicalName(name, template);
  } finally {
    if (previous?.db) await admin.rows(`USE ${q(previous.db)}`).catch(() => undefined);
  }
}

/**
 * DROP DATABASE waits for the metadata locks of sessions still in a transaction on its tables:
 * those sessions (ours: a migration's, a trace's) are ended first, and the wait is bounded.
 */
export async function dropDatabase(admin: MysqlSession, name: string): Promise<void> {
  const sessions = await admin.rows<{ id: string | number }>(
    'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()',
    [name],
  );
  for (const { id } of sessions) await admin.rows(`KILL CONNECTION ${Number(id)}`).catch(() => undefined);
  await admin.rows('SET SESSION lock_wait_timeout = 30');
  await admin.rows(`DROP DATABASE IF EXISTS ${q(name)}`);
}

/** The server's URL pointing at `database`. */
export function databaseUrl(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

function messageOf(error: unknown): string {
  return redactUrl(error instanceof Error ? error.message : String(error));
}
