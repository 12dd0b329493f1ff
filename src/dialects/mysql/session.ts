/**
 * A MySQL/MariaDB session as the engine holds it: the `mysql2` connection inside, opaque above
 * the dialect. The driver's functions unwrap it here, refusing a session another dialect's
 * driver opened.
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { Session } from '../../core/dialect/driver.js';
import { SchemapilotError } from '../../core/errors.js';
import { formatSeconds } from '../../core/timeouts.js';
import type { ServerVersion } from '../../core/dialect/version.js';

export class MysqlSession implements Session {
  readonly dialect = 'mysql';
  /** Client-side deadline per query (ms) of a read-only session; null: none. */
  deadlineMs: number | null = null;
  constructor(
    readonly connection: Connection,
    /** `user@host:port/database`, for messages. */
    readonly target: string,
    /** Read from `VERSION()` when the session opened: MySQL or MariaDB, and which release. */
    readonly version: ServerVersion,
  ) {}

  /**
   * `CONNECTION_ID()`: the handshake carries it, and it is the id PROCESSLIST, KILL and
   * METADATA_LOCK_INFO use.
   */
  get pid(): number {
    return this.connection.threadId;
  }

  /**
   * Rows of one query, under the session's deadline. mysql2 fails a query whose answer does not
   * come in time but keeps the connection, whose next bytes would then be read as the answer
   * to the next query: the connection is closed here and the query fails in one line.
   */
  async rows<Row>(sql: string, values: unknown[] = []): Promise<Row[]> {
    try {
      const [rows] = await this.connection.query<RowDataPacket[]>({
        sql,
        values,
        ...(this.deadlineMs !== null ? { timeout: this.deadlineMs } : {}),
      });
      // mysql2 types rows loosely; each caller names the shape its query returns.
      return rows as unknown as Row[];
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'PROTOCOL_SEQUENCE_TIMEOUT') throw error;
      this.connection.destroy();
      const first = sql.replace(/\s+/g, ' ').trim().slice(0, 48);
      throw new SchemapilotError(
        `${this.target} did not answer a query within ${formatSeconds(this.deadlineMs ?? 0)} (${first}…); the server or the network is stuck, so the connection was closed`,
        { cause: error },
      );
    }
  }

  async close(): Promise<void> {
    // end() waits for the server's goodbye, which a dead peer never sends: give it a second.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.connection.destroy();
        resolve();
      }, 1_000);
    });
    try {
      await Promise.race([this.connection.end().catch(() => this.connection.destroy()), late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

export function mysqlConnection(session: Session): Connection {
  return mysqlSession(session).connection;
}

export function mysqlSession(session: Session): MysqlSession {
  if (!(session instanceof MysqlSession))
    throw new Error(`a ${session.dialect} session was handed to the MySQL driver`);
  return session;
}
