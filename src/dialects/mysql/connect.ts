/**
 * Connections to MySQL and MariaDB that fail in one line and never hang, as the PostgreSQL
 * driver's do (docs/decisions/0013-network-timeouts.md): a connect timeout covering TCP, TLS
 * and authentication; read-only sessions that the server keeps read-only, with a server-side
 * statement timeout and a client-side deadline per query. Every failure to connect is an
 * InputError (exit 2) naming `user@host:port/database`, never the password.
 */
import type { Socket } from 'node:net';
import mysql from 'mysql2';
import type { ConnectionOptions } from 'mysql2';
import { InputError, registerConnectionSecrets, registerSecret } from '../../core/errors.js';
import {
  connectTimeoutOverride,
  deadlineFor,
  DEFAULT_CONNECT_TIMEOUT_MS,
  formatSeconds,
  queryTimeoutMs,
} from '../../core/timeouts.js';
import { MysqlSession } from './session.js';
import { describeMysqlConnInfo, parseMysqlUrl, type MysqlConnInfo } from './url.js';
import { parseMysqlVersion } from './version.js';

export interface MysqlConnectOptions {
  /** Default: `--connect-timeout`, the URL's connect_timeout, 10 s. */
  connectTimeoutMs?: number;
  /** Where the URL came from, for messages: `--db`, `DATABASE_URL`. */
  source?: string;
  /** The server refuses writes (`SET SESSION TRANSACTION READ ONLY`) and long queries. */
  readOnly?: boolean;
}

/** Connecting failed: one line, the target named, exit code 2. `code` is mysql2's (ER_…, ECONN…). */
export class MysqlConnectError extends InputError {
  readonly code: string | undefined;
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'MysqlConnectError';
    this.code = options.code;
  }
}

export async function connectMysql(url: string, options: MysqlConnectOptions = {}): Promise<MysqlSession> {
  registerConnectionSecrets(url);
  const info = parseMysqlUrl(url, options.source);
  registerSecret(info.password);
  const target = describeMysqlConnInfo(info);
  const timeoutMs =
    options.connectTimeoutMs ??
    connectTimeoutOverride() ??
    (info.connectTimeoutSeconds !== undefined
      ? info.connectTimeoutSeconds * 1000
      : DEFAULT_CONNECT_TIMEOUT_MS);
  const core = mysql.createConnection(connectionOptions(info, timeoutMs));
  // A connection the server drops later emits 'error'; without a listener Node would end the process.
  core.on('error', () => undefined);
  // Only to tell "nothing listens" from "something listens but is not MySQL" on a timeout.
  const socket = (core as unknown as { stream?: Socket }).stream;
  const seen = { open: false, bytes: 0 };
  socket?.once('connect', () => (seen.open = true));
  socket?.on('data', (chunk: Buffer) => (seen.bytes += chunk.length));
  const connection = core.promise();
  try {
    await connection.connect();
  } catch (error) {
    connection.destroy();
    throw new MysqlConnectError(
      `cannot connect to ${target}: ${describeConnectError(error, info, seen, timeoutMs)}`,
      {
        code: codeOf(error),
        cause: error,
      },
    );
  }
  try {
    const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT VERSION() AS version');
    const version = parseMysqlVersion(String(rows[0]?.['version'] ?? ''));
    const session = new MysqlSession(connection, target, version, info);
    if (options.readOnly) {
      await connection.query('SET SESSION TRANSACTION READ ONLY');
      // MariaDB: max_statement_time in seconds, any statement (10.1+). MySQL: max_execution_time
      // in ms, SELECT only (5.7.8+), which is all a read-only session runs.
      const ms = Math.round(queryTimeoutMs());
      await connection.query(
        version.product === 'mariadb'
          ? `SET SESSION max_statement_time = ${ms / 1000}`
          : `SET SESSION max_execution_time = ${ms}`,
      );
      session.deadlineMs = deadlineFor(queryTimeoutMs());
    }
    return session;
  } catch (error) {
    connection.destroy();
    throw new MysqlConnectError(`cannot set up the session on ${target}: ${messageOf(error)}`, {
      code: codeOf(error),
      cause: error,
    });
  }
}

function connectionOptions(info: MysqlConnInfo, timeoutMs: number): ConnectionOptions {
  return {
    host: info.host,
    port: info.port,
    user: info.user,
    password: info.password,
    database: info.database,
    connectTimeout: timeoutMs > 0 ? timeoutMs : undefined,
    ssl: tlsOptions(info),
    // Catalog numbers (sizes, row counts) can pass 2^53: strings, converted where they are read.
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    multipleStatements: false,
    enableKeepAlive: true,
  };
}

function tlsOptions(info: MysqlConnInfo): ConnectionOptions['ssl'] {
  switch (info.tls) {
    case 'disabled':
      return undefined;
    case 'required':
      return { rejectUnauthorized: false };
    case 'verify-ca':
      // The chain is checked, the host name is not (mysql --ssl-mode=VERIFY_CA).
      return { rejectUnauthorized: true, verifyIdentity: false };
    case 'verify-identity':
      // mysql2 checks the host name only when asked to.
      return { rejectUnauthorized: true, verifyIdentity: true };
  }
}

function describeConnectError(
  error: unknown,
  info: MysqlConnInfo,
  seen: { open: boolean; bytes: number },
  timeoutMs: number,
): string {
  const message = messageOf(error);
  switch (codeOf(error)) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running and listening on that port?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host "${info.host}" not found`;
    case 'ETIMEDOUT': {
      const within = `within ${formatSeconds(timeoutMs)} (--connect-timeout to wait longer)`;
      if (!seen.open)
        return `the TCP connection did not open ${within}; is the host up and the port reachable?`;
      if (seen.bytes === 0)
        return `the server accepted the connection but sent no MySQL greeting ${within}; is it MySQL or MariaDB?`;
      return `the server stopped answering during the handshake and authentication ${within}`;
    }
    case 'ER_ACCESS_DENIED_ERROR':
      return `access denied for user "${info.user}" (wrong password, or no such user for this host)`;
    case 'ER_BAD_DB_ERROR':
      return `database "${info.database ?? ''}" does not exist`;
    case 'ER_DBACCESS_DENIED_ERROR':
      return `user "${info.user}" may not use database "${info.database ?? ''}"`;
    case 'ER_HOST_NOT_PRIVILEGED':
      return 'the server does not accept connections from this host';
    case 'HANDSHAKE_NO_SSL_SUPPORT':
      return 'the server does not support TLS, but the URL asks for it (ssl=false to connect without)';
    case 'PROTOCOL_CONNECTION_LOST':
      return 'the server closed the connection during the handshake';
  }
  if (/certificate|self.signed|unable to verify|Hostname\/IP does not match/i.test(message))
    return `the server's certificate was refused (${message}); ssl-mode=REQUIRED only encrypts`;
  return message;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
