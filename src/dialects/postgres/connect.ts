/**
 * Connections to PostgreSQL that fail in one line and never hang. Every connection has a
 * connect timeout; read-only sessions get a server-side statement_timeout and a client-side
 * deadline per query, because a server that stops answering (a frozen network, a stuck proxy)
 * never sends the statement_timeout error. A deadline that passes, a connection cut mid-read
 * and bytes that are not the PostgreSQL protocol all end the connection and become a
 * `ConnectionFailure`: one line naming the host, never the password, exit code 2.
 * docs/decisions/0013-network-timeouts.md says why the defaults are what they are.
 */
import type { Socket } from 'node:net';
import pg from 'pg';
import { SchemapilotError, registerConnectionSecrets, registerSecret } from '../../core/errors.js';
import { describeConnInfo, parseConnectionString, type ConnInfo } from './conninfo.js';
import {
  connectTimeoutOverride,
  deadlineFor,
  DEFAULT_CONNECT_TIMEOUT_MS,
  formatSeconds,
  queryTimeoutMs,
} from '../../core/timeouts.js';
import { tlsAttempts, type TlsSetting } from './tls.js';

export interface ConnectOptions {
  /** Give up connecting after this long (ms); default `--connect-timeout`, the string's connect_timeout, PGCONNECT_TIMEOUT, 10 s. */
  connectTimeoutMs?: number;
  /** Shown in `pg_stat_activity.application_name`, so DBAs can tell who we are. */
  applicationName?: string;
  /** Where the string came from, for messages: `--db`, `DATABASE_URL`, `--dev-url`. */
  source?: string;
  /**
   * The session only reads: statement_timeout is the query timeout, and each query has a
   * client-side deadline a little longer than that.
   */
  readOnly?: boolean;
  /** A client-side deadline per query for other sessions (ms); none by default. */
  deadlineMs?: number;
}

/** The connection failed, was cut, or stopped answering: nothing more can be read from it. */
export class ConnectionFailure extends SchemapilotError {
  /** SQLSTATE class 08 (connection exception), so callers that sort errors by SQLSTATE see it as one. */
  readonly code: string;
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ConnectionFailure';
    this.code = options.code ?? '08006';
  }
}

interface Guard {
  target: string;
  purpose: string;
  deadlineMs: number | null;
  /**
   * Asked when the deadline passes: true when the server is known to be still working on our
   * query (deploy asks its watchdog connection), and the deadline starts again.
   */
  keepWaiting?: () => Promise<boolean>;
  /** Set once the connection is known dead: later queries fail with it at once. */
  broken: ConnectionFailure | null;
  socket: () => Socket | undefined;
}

const guards = new WeakMap<pg.Client, Guard>();

/**
 * Open a connection, turning every way it can fail into a one-line error with the password
 * removed: a bad string (InputError naming `source`), an unreachable host, a server that does not
 * answer or is not PostgreSQL, an auth failure, a missing database (ConnectionFailure, exit 2).
 */
export async function connectPostgres(url: string, options: ConnectOptions = {}): Promise<pg.Client> {
  registerConnectionSecrets(url);
  const info = parseConnectionString(url, options.source);
  registerSecret(info.password);
  registerSecret(info.sslpassword);
  const target = describeConnInfo(info);
  const timeoutMs = connectTimeout(info);
  const attempts = tlsAttempts(info, options.source);
  let client: pg.Client | undefined;
  for (const [i, tls] of attempts.entries()) {
    try {
      client = await attempt(info, target, tls, timeoutMs, options);
      break;
    } catch (error) {
      const next = attempts[i + 1];
      if (!next || !next.when(error)) throw error;
    }
  }
  if (!client) throw new ConnectionFailure(`cannot connect to ${target}`);
  const deadlineMs = options.readOnly ? deadlineFor(queryTimeoutMs()) : (options.deadlineMs ?? null);
  guard(client, {
    target,
    purpose: options.applicationName ?? 'schemapilot',
    deadlineMs,
    broken: null,
    socket: () => socketOf(client),
  });
  // A SET rather than a startup parameter: PgBouncer refuses startup parameters it does not know.
  if (options.readOnly) {
    try {
      await client.query(`SET statement_timeout = ${Math.round(queryTimeoutMs())}`);
    } catch (error) {
      await client.end();
      throw error;
    }
  }
  return client;
}

function connectTimeout(info: ConnInfo): number {
  const fromEnv = process.env['PGCONNECT_TIMEOUT'];
  const seconds =
    info.connectTimeoutSeconds ?? (fromEnv && /^\d+$/.test(fromEnv.trim()) ? Number(fromEnv) : undefined);
  return connectTimeoutOverride() ?? (seconds !== undefined ? seconds * 1000 : DEFAULT_CONNECT_TIMEOUT_MS);
}

/** One try at connecting with one TLS setting; the connect timeout covers TCP, TLS and authentication. */
async function attempt(
  info: ConnInfo,
  target: string,
  tls: TlsSetting,
  timeoutMs: number,
  options: ConnectOptions,
): Promise<pg.Client> {
  const client = new pg.Client({
    host: info.hostaddr ?? info.host,
    port: info.port,
    database: info.database,
    user: info.user,
    password: info.password,
    ssl: tls.ssl,
    application_name: info.applicationName ?? options.applicationName ?? 'schemapilot',
    fallback_application_name: info.fallbackApplicationName,
    options: info.options,
    client_encoding: info.clientEncoding,
    keepAlive: info.keepalives ?? true,
    keepAliveInitialDelayMillis: (info.keepalivesIdleSeconds ?? 30) * 1000,
  });
  // A connection dropped by the server later (admin shutdown, terminate) emits 'error' on the
  // client; without a listener Node would crash the process instead of failing the query.
  client.on('error', () => undefined);
  const socket = socketOf(client);
  containParserErrors(socket);
  // With TLS the driver reads from a new socket once the handshake is done.
  (client as unknown as { connection: { on(event: 'sslconnect', fn: () => void): void } }).connection.on(
    'sslconnect',
    () => containParserErrors(socketOf(client)),
  );
  const seen: { open: boolean; bytes: Buffer } = { open: false, bytes: Buffer.alloc(0) };
  socket?.once('connect', () => (seen.open = true));
  // Only the first chunk, to recognise a server that is not PostgreSQL; pg reads the rest.
  socket?.once('data', (chunk: Buffer) => (seen.bytes = chunk.subarray(0, 16)));
  let timedOut = false;
  const timer =
    timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true;
          socketOf(client)?.destroy(new Error('connect timeout'));
        }, timeoutMs)
      : undefined;
  try {
    await client.connect();
    return client;
  } catch (error) {
    // end() waits for the server to close its side, which a server that never answers (or a
    // MySQL server waiting for our reply) never does: close our side at once.
    socketOf(client)?.destroy();
    if (timedOut) throw new ConnectionFailure(`cannot connect to ${target}: ${waitedFor(seen, timeoutMs)}`);
    const mysql = looksLikeMysql(seen.bytes);
    if (mysql)
      throw new ConnectionFailure(
        `cannot connect to ${target}: the server there is not PostgreSQL (it greeted us as a MySQL/MariaDB server)`,
      );
    throw new ConnectionFailure(`cannot connect to ${target}: ${describeConnectError(error, info)}`, {
      code: sqlstateOf(error) ?? '08001',
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}

function waitedFor(seen: { open: boolean; bytes: Buffer }, timeoutMs: number): string {
  const within = `within ${formatSeconds(timeoutMs)} (--connect-timeout to wait longer)`;
  if (!seen.open) return `the TCP connection did not open ${within}; is the host up and the port reachable?`;
  if (seen.bytes.length === 0)
    return `the server accepted the connection but did not answer the startup message ${within}; is it PostgreSQL?`;
  return `the server stopped answering during startup and authentication ${within}`;
}

/** A MySQL/MariaDB handshake: 3-byte length, sequence 0, protocol version 10. */
function looksLikeMysql(bytes: Buffer): boolean {
  return bytes.length >= 5 && bytes[3] === 0 && bytes[4] === 0x0a && bytes.readUIntLE(0, 3) < 1024;
}

/**
 * The driver parses the protocol inside the socket's 'data' handler, and bytes that are not the
 * protocol (a garbled link, another server) can make it throw there: an uncaught exception that
 * ends the process with a stack trace. Turn that into an error of the connection instead, which
 * fails the query in flight and closes the socket.
 */
function containParserErrors(socket: Socket | undefined): void {
  if (!socket) return;
  const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
  const guarded = (event: string | symbol, ...args: unknown[]): boolean => {
    if (event !== 'data') return emit(event, ...args);
    try {
      return emit(event, ...args);
    } catch (error) {
      const protocol = Object.assign(
        new Error(`the server sent bytes that are not the PostgreSQL protocol (${(error as Error).message})`),
        { code: 'EPROTO' },
      );
      socket.destroy(protocol);
      return true;
    }
  };
  // Same signature as the socket's own emit, which it calls.
  socket.emit = guarded as Socket['emit'];
}

// pg keeps its socket on the connection; typed here rather than reaching into `any`.
function socketOf(client: pg.Client | undefined): Socket | undefined {
  return (client as unknown as { connection?: { stream?: Socket } } | undefined)?.connection?.stream;
}

// ---------------------------------------------------------------------------------------------
// Deadlines and error translation on every query

/**
 * Wrap the client's query and end: each query has the client's current deadline, errors that
 * mean the connection is gone become ConnectionFailure, and end() never waits on a dead peer.
 */
function guard(client: pg.Client, state: Guard): void {
  guards.set(client, state);
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const end = client.end.bind(client) as () => Promise<void>;
  const wrapped = (...args: unknown[]): unknown => {
    // Callback style and streaming submittables are not used here; they keep pg's behaviour.
    if (typeof args[args.length - 1] === 'function') return query(...args);
    if (state.broken) return Promise.reject(state.broken);
    const result = query(...args);
    if (!(result instanceof Promise)) return result;
    return guarded(result, state, sqlOf(args[0]));
  };
  // The wrapper accepts what pg.Client#query accepts and returns what it returns.
  Object.assign(client, {
    query: wrapped as unknown as pg.Client['query'],
    end: () => bounded(end(), 1_000, () => state.socket()?.destroy()),
  });
}

function guarded<T>(result: Promise<T>, state: Guard, sql: string): Promise<T> {
  const deadline = state.deadlineMs;
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const giveUp = () => {
      state.broken ??= new ConnectionFailure(
        `${state.target} did not answer a query within ${formatSeconds(deadline ?? 0)} (${state.purpose}: ${sql}); the server or the network is stuck, so the connection was closed`,
      );
      reject(state.broken);
      state.socket()?.destroy();
    };
    const arm = () => {
      if (deadline === null || deadline <= 0) return;
      timer = setTimeout(() => {
        const ask = state.keepWaiting;
        if (!ask) return giveUp();
        void ask()
          .catch(() => false)
          .then((working) => {
            if (settled) return;
            if (working) arm();
            else giveUp();
          });
      }, deadline);
    };
    arm();
    result.then(
      (value) => {
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        settled = true;
        clearTimeout(timer);
        reject(translate(error, state, sql));
      },
    );
  });
}

/** Errors that mean the connection is gone become ConnectionFailure; SQL errors stay as they are. */
function translate(error: unknown, state: Guard, sql: string): unknown {
  if (state.broken) return state.broken;
  if (error instanceof ConnectionFailure) return error;
  const e = (error ?? {}) as { code?: unknown; message?: unknown; severity?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(error);
  const sqlstate = sqlstateOf(error);
  const fatal = e.severity === 'FATAL' || e.severity === 'PANIC';
  if (sqlstate !== undefined && !fatal && !/^(08|57P0)/.test(sqlstate)) return error;
  if (sqlstate === undefined && !isConnectionMessage(message, e.code)) return error;
  state.broken = new ConnectionFailure(
    `lost the connection to ${state.target} while waiting for a query's answer (${state.purpose}: ${sql}): ${message}`,
    { code: sqlstate ?? '08006', cause: error },
  );
  // Bytes out of step with the protocol would be read as the next answer: never reuse it.
  state.socket()?.destroy();
  return state.broken;
}

function isConnectionMessage(message: string, code: unknown): boolean {
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true; // ECONNRESET, EPIPE, ETIMEDOUT…
  return /Connection terminated|not queryable|received invalid response|ECONNRESET|EPIPE|socket hang up|unexpected|protocol/i.test(
    message,
  );
}

function sqlstateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The first words of a statement, to say which query went unanswered. */
function sqlOf(arg: unknown): string {
  const text = typeof arg === 'string' ? arg : ((arg as { text?: unknown } | null)?.text ?? '');
  const flat = String(text)
    .replace(/--[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > 48 ? `${flat.slice(0, 47)}…` : flat || 'a query';
}

async function bounded(work: Promise<void>, ms: number, onTimeout: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      onTimeout();
      resolve();
    }, ms);
  });
  try {
    await Promise.race([work.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Change the client-side deadline of `client`'s queries (ms; null for none), and what to ask
 * when it passes before giving up: deploy's statements may run for long on a healthy
 * connection, which its watchdog can tell from a stuck one.
 */
export function setQueryDeadline(
  client: pg.Client,
  deadlineMs: number | null,
  keepWaiting?: () => Promise<boolean>,
): void {
  const state = guards.get(client);
  if (!state) return;
  state.deadlineMs = deadlineMs;
  state.keepWaiting = keepWaiting;
}

/** `host:port/database` of a client opened by connectPostgres. */
export function targetOf(client: pg.Client): string | undefined {
  return guards.get(client)?.target;
}

export function queryDeadline(client: pg.Client): number | null {
  return guards.get(client)?.deadlineMs ?? null;
}

export { describeTarget } from './conninfo.js';

interface PgErrorLike {
  code?: string;
  message?: string;
}

function describeConnectError(error: unknown, info: ConnInfo): string {
  const e = (error ?? {}) as PgErrorLike;
  const message = e.message ?? String(error);
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running and listening on that port?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'ECONNRESET':
      return 'the server closed the connection during startup';
    case '28P01':
      return 'password authentication failed';
    case '28000':
      return `authentication rejected: ${message}`;
    case '3D000':
      return 'database does not exist';
  }
  if (/does not support SSL/i.test(message))
    return `the server does not support SSL, but sslmode=${info.sslmode ?? process.env['PGSSLMODE'] ?? 'require'} needs it`;
  if (/certificate|self.signed|unable to verify|Hostname\/IP does not match/i.test(message))
    return `the server's certificate was refused (${message}); sslmode=verify-full checks it against sslrootcert and the host name, sslmode=require only encrypts`;
  if (/received invalid response/i.test(message))
    return `the server there does not speak the PostgreSQL protocol (${message})`;
  if (/Connection terminated/i.test(message))
    return 'the server closed the connection before it was ready (is it PostgreSQL, and is it accepting connections?)';
  return message;
}
