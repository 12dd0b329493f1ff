/**
 * One deploy (or rollback) per database at a time: a session-level advisory lock held by the
 * deploy connection for the whole run. It goes away with the connection, so a crashed deploy
 * never leaves the database locked for the next one.
 * https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
 */
import type { DeployLock } from '../../../core/dialect/deploy.js';
import { pgClient } from '../session.js';

/** The two-int form of the key: "SPLT" and 1, unlikely to collide with an application's own. */
const KEY = [0x53504c54, 1] as const;

export const postgresDeployLock: DeployLock = {
  async acquire(session) {
    const client = pgClient(session);
    const { rows } = await client.query<{ ok: boolean }>(
      'SELECT pg_catalog.pg_try_advisory_lock($1, $2) AS ok',
      [KEY[0], KEY[1]],
    );
    if (rows[0]?.ok) return { acquired: true };
    const holder = await client.query<{
      pid: number;
      app: string | null;
      since: Date | null;
      who: string | null;
    }>(
      `SELECT a.pid, a.application_name AS app, a.backend_start AS since,
              a.usename || '@' || coalesce(a.client_addr::text, 'local') AS who
       FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 2 AND l.granted`,
      [KEY[0], KEY[1]],
    );
    const h = holder.rows[0];
    return {
      acquired: false,
      holder: h
        ? `pid ${h.pid}, ${h.app || 'unknown application'}, ${h.who ?? ''}, connected since ${h.since?.toISOString() ?? '?'}`
        : null,
    };
  },

  async release(session) {
    await pgClient(session)
      .query('SELECT pg_catalog.pg_advisory_unlock($1, $2)', [KEY[0], KEY[1]])
      .catch(() => undefined);
  },
};
