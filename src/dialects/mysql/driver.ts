/** The driver half that needs `mysql2`, loaded on first use by index.ts. */
import type { ConnectOptions, IntrospectOptions, Session } from '../../core/dialect/driver.js';
import type { QueryChecker } from '../../core/dialect/impact.js';
import type { ServerVersion } from '../../core/dialect/version.js';
import type { SchemaSnapshot } from '../../core/snapshot.js';
import { connectMysql } from './connect.js';
import { inspectMysql, introspectMysql } from './introspect.js';
import { mysqlSession } from './session.js';
import { guardScratchSession } from './scratch/guard.js';
import { mysqlQueryChecker } from './impact/checker.js';

export async function connect(url: string, options: ConnectOptions): Promise<Session> {
  const session = await connectMysql(url, { readOnly: options.readOnly === true });
  if (options.deadlineMs !== undefined) session.deadlineMs = Math.max(1, options.deadlineMs);
  try {
    await guardScratchSession(session, url);
  } catch (error) {
    await session.close();
    throw error;
  }
  return session;
}

export function serverVersion(session: Session): Promise<ServerVersion> {
  return Promise.resolve(mysqlSession(session).version);
}

export function inspect(url: string, options: IntrospectOptions = {}): Promise<SchemaSnapshot> {
  return inspectMysql(url, options);
}

export function introspect(session: Session, options: IntrospectOptions = {}): Promise<SchemaSnapshot> {
  return introspectMysql(mysqlSession(session), options);
}

export const impact: QueryChecker = mysqlQueryChecker;
