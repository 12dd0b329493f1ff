/**
 * Every session the driver opens on a scratch database is guarded: the SQL it runs is
 * retargeted from the target's database name to the scratch database, and a statement naming
 * any other database of the server is refused (retarget.ts). The list of databases is read when
 * the session opens; a database created later by someone else is not known to it, which is why
 * the names of the target (the usual danger) are rewritten rather than only refused.
 */
import type { MysqlSession } from '../session.js';
import { parseMysqlUrl } from '../url.js';
import { isScratchName, logicalNameOf, scratchTargetOf, UNNAMED_TARGET } from './names.js';
import { retargetSql } from './retarget.js';

/** Guard `session` when `url` names a scratch database; other sessions are left as they are. */
export async function guardScratchSession(session: MysqlSession, url: string): Promise<void> {
  const database = parseMysqlUrl(url).database;
  if (!isScratchName(database)) return;
  const rows = await session.rows<{ name: string }>('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA');
  const sqlMode = scratchTargetOf(database)?.sqlMode;
  if (sqlMode !== undefined) await session.rows('SET SESSION sql_mode = ?', [sqlMode]);
  const others = rows.map((r) => r.name.toLowerCase()).filter((n) => n !== database.toLowerCase());
  // The logical name is read at each statement: loadSchema sets it on a session already open.
  session.rewrite = (sql) => {
    const from = [...new Set([logicalNameOf(database), UNNAMED_TARGET])];
    const names = new Set(from.map((n) => n.toLowerCase()));
    const forbidden = new Set(others.filter((n) => !names.has(n)));
    return retargetSql(sql, { to: database, from, forbidden });
  };
}
