/** The driver half that needs `better-sqlite3` (a native module), loaded on first use by index.ts. */
import type { ConnectOptions, IntrospectOptions, Session } from '../../core/dialect/driver.js';
import type { ServerVersion } from '../../core/dialect/version.js';
import type { SchemaSnapshot } from '../../core/snapshot.js';
import { connectSqlite } from './connect.js';
import { inspectSqlite, introspectSqlite } from './introspect/introspect.js';
import { sqliteSession } from './session.js';

export { sqliteLive as live } from './live.js';

export function connect(url: string, options: ConnectOptions): Session {
  return connectSqlite(url, { readOnly: options.readOnly === true });
}

/** The application's SQLite as the file names it (session.ts), else the one reading it. */
export function serverVersion(session: Session): ServerVersion {
  return sqliteSession(session).targetVersion;
}

export function inspect(url: string, options: IntrospectOptions = {}): Promise<SchemaSnapshot> {
  return inspectSqlite(url, options);
}

export function introspect(session: Session, options: IntrospectOptions = {}): Promise<SchemaSnapshot> {
  return introspectSqlite(sqliteSession(session), options);
}
