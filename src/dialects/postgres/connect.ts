import pg from 'pg';
import { InputError, redactUrl } from '../../core/errors.js';

export interface ConnectOptions {
  /** Give up connecting after this long (ms). */
  connectTimeoutMs?: number;
  /** Shown in `pg_stat_activity.application_name`, so DBAs can tell who we are. */
  applicationName?: string;
}

/**
 * Open a connection, turning every way it can fail into a one-line InputError (exit code 2)
 * with the password removed: a bad URL, an unreachable host, an auth failure, a missing database.
 */
export async function connectPostgres(url: string, options: ConnectOptions = {}): Promise<pg.Client> {
  const target = describeTarget(url);
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: options.applicationName ?? 'schemapilot',
  });
  // A connection dropped by the server later (admin shutdown, terminate) emits 'error' on the
  // client; without a listener Node would crash the process instead of failing the query.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new InputError(`cannot connect to ${target}: ${describeConnectError(error)}`, { cause: error });
  }
  return client;
}

/** `host:port/database` of a URL without user or password, for messages. */
export function describeTarget(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(
      `invalid database URL "${redactUrl(url)}": expected postgres://user@host:port/database`,
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new InputError(
      `invalid database URL "${redactUrl(url)}": scheme must be postgres:// or postgresql://, got ${parsed.protocol}//`,
    );
  }
  const host = parsed.hostname || decodeURIComponent(parsed.searchParams.get('host') ?? '') || 'localhost';
  const port = parsed.port || '5432';
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
  return `${host}:${port}/${database}`;
}

interface PgErrorLike {
  code?: string;
  message?: string;
}

function describeConnectError(error: unknown): string {
  const e = (error ?? {}) as PgErrorLike;
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running and listening on that port?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case '28P01':
      return 'password authentication failed';
    case '28000':
      return `authentication rejected: ${redactUrl(e.message ?? '')}`;
    case '3D000':
      return 'database does not exist';
    default: {
      const message = redactUrl(e.message ?? String(error));
      return /timeout/i.test(message) ? 'connection timed out' : message;
    }
  }
}
