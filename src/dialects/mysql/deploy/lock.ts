/**
 * One deploy (or rollback) per database at a time: a named user lock, GET_LOCK, held by the
 * deploy connection for the whole run. The server releases it when the connection ends, so a
 * crashed deploy never leaves the database locked for the next one; IS_USED_LOCK names the
 * connection that holds it.
 * https://dev.mysql.com/doc/refman/8.0/en/locking-functions.html
 * https://mariadb.com/kb/en/get_lock/
 *
 * Taking it is also where deploy learns that it must not run at all: a session without a
 * database (the journal and the lock are per database), or a read-only server. A replica or a
 * primary fenced during a failover has read_only on, which does not stop an account with SUPER
 * (or READ_ONLY ADMIN): deploying there would make it differ from its primary, so it is refused.
 */
import { createHash } from 'node:crypto';
import type { DeployLock } from '../../../core/dialect/deploy.js';
import type { Session } from '../../../core/dialect/driver.js';
import { InputError, SchemapilotError } from '../../../core/errors.js';
import { mysqlSession, type MysqlSession } from '../session.js';

/** Lock names longer than 64 characters are refused (MySQL 5.7+). */
const MAX_LOCK_NAME = 64;

/** `schemapilot:<database>`, or a digest of a name too long for the server. */
export function deployLockName(database: string): string {
  const plain = `schemapilot:${database}`;
  if (plain.length <= MAX_LOCK_NAME) return plain;
  return `schemapilot:${createHash('sha256')
    .update(database)
    .digest('hex')
    .slice(0, MAX_LOCK_NAME - 12)}`;
}

/** The name each session took, for RELEASE_LOCK (a migration's USE would change DATABASE()). */
const taken = new WeakMap<Session, string>();

interface Setting {
  Variable_name: string;
  Value: string;
}

/** Refuse a server that must not be written to, in one line that says why. */
async function refuseReadOnly(s: MysqlSession): Promise<void> {
  // SHOW VARIABLES rather than @@super_read_only, which MariaDB does not have.
  const settings = await s.rows<Setting>(
    `SHOW GLOBAL VARIABLES WHERE Variable_name IN ('read_only', 'super_read_only', 'innodb_read_only')`,
  );
  const on = settings.filter((v) => !['OFF', '0', ''].includes(v.Value.toUpperCase()));
  if (on.length === 0) return;
  const which = on.map((v) => `${v.Variable_name} = ${v.Value}`).join(', ');
  throw new SchemapilotError(
    `${s.target} is read-only (${which}): it is a replica, or a primary fenced off during a failover; deploy to the primary. Nothing was changed`,
    { exitCode: 1 },
  );
}

export const mysqlDeployLock: DeployLock = {
  async acquire(session) {
    const s = mysqlSession(session);
    const [db] = await s.rows<{ name: string | null }>('SELECT DATABASE() AS name');
    if (!db?.name)
      throw new InputError(
        `${s.target} names no database: deploy to MySQL/MariaDB needs one in the URL (mysql://host/<database>), where the plan's unqualified tables live and whose journal and deploy lock it uses`,
      );
    await refuseReadOnly(s);
    const name = deployLockName(db.name);
    const [got] = await s.rows<{ ok: number | null }>('SELECT GET_LOCK(?, 0) AS ok', [name]);
    if (Number(got?.ok) === 1) {
      taken.set(session, name);
      return { acquired: true };
    }
    return { acquired: false, holder: await describeHolder(s, name) };
  },

  async release(session) {
    const name = taken.get(session);
    if (name === undefined) return;
    taken.delete(session);
    await mysqlSession(session)
      .rows('SELECT RELEASE_LOCK(?)', [name])
      .catch(() => undefined);
  },
};

interface HolderRow {
  id: string;
  user: string | null;
  host: string | null;
  command: string | null;
  seconds: number | null;
}

/** "connection id 42 (root@10.0.0.7:51234, Query for 12 s)"; null when it was let go meanwhile. */
async function describeHolder(s: MysqlSession, name: string): Promise<string | null> {
  const [row] = await s.rows<HolderRow>(
    `SELECT u.id, p.USER AS user, p.HOST AS host, p.COMMAND AS command, p.TIME AS seconds
       FROM (SELECT IS_USED_LOCK(?) AS id) u
       LEFT JOIN information_schema.PROCESSLIST p ON p.ID = u.id`,
    [name],
  );
  if (!row?.id) return null;
  // Without the PROCESS privilege another account's connection is not in PROCESSLIST.
  const seen =
    row.user !== null
      ? ` (${row.user}@${row.host ?? '?'}, ${row.command ?? '?'} for ${row.seconds ?? '?'} s)`
      : '';
  return `connection id ${row.id}${seen}; lock "${name}"`;
}
