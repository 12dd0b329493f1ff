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
import type { MysqlConnInfo } from './url.js';

/**
 * The connection stopped answering and was closed: nothing more can be sent on this session.
 * Deploy treats it as a lost connection (src/dialects/mysql/deploy/errors.ts).
 */
export class MysqlConnectionStuck extends SchemapilotError {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'MysqlConnectionStuck';
  }
}

export class MysqlSession implements Session {
  readonly dialect = 'mysql';
  /** Client-side deadline per query (ms); null: none. */
  deadlineMs: number | null = null;
  /**
   * Asked once a query passes its deadline: true keeps waiting another deadline (deploy's
   * watchdog sees the server still working on a long ALTER), false closes the connection.
   */
  keepWaiting: (() => Promise<boolean>) | undefined;
  /** Set once the connection was given up: later queries fail with it at once. */
  private broken: MysqlConnectionStuck | null = null;
  /**
   * Applied to every statement before it is sent: a session on a scratch database retargets
   * the SQL written for the user's database to it, and refuses SQL naming another database
   * (scratch/guard.ts). May throw; then nothing is sent.
   */
  rewrite: ((sql: string) => string) | null = null;
  constructor(
    readonly connection: Connection,
    /** `user@host:port/database`, for messages. */
    readonly target: string,
    /** Read from `VERSION()` when the session opened: MySQL or MariaDB, and which release. */
    readonly version: ServerVersion,
    /**
     * Where it is connected, password included: an online schema change tool step opens its own
     * connections to the same server (osc/run.ts hands the password over in a defaults file).
     */
    readonly connInfo?: MysqlConnInfo,
  ) {}

  /**
   * `CONNECTION_ID()`: the handshake carries it, and it is the id PROCESSLIST, KILL and
   * METADATA_LOCK_INFO use.
   */
  get pid(): number {
    return this.connection.threadId;
  }

  /**
   * Rows of one query, under the session's deadline. mysql2's own query timeout keeps the
   * connection, whose next bytes would then be read as the answer to the next query: here the
   * deadline is our timer, and giving up closes the connection and fails the query in one line.
   */
  async rows<Row>(sql: string, values: unknown[] = []): Promise<Row[]> {
    if (this.broken) throw this.broken;
    const text = this.rewrite ? this.rewrite(sql) : sql;
    const query = this.connection.query<RowDataPacket[]>({ sql: text, values });
    // mysql2 types rows loosely; each caller names the shape its query returns.
    if (this.deadlineMs === null) return (await query)[0] as unknown as Row[];
    const deadline = this.deadlineMs;
    return new Promise<Row[]>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const giveUp = () => {
        const first = sql.replace(/\s+/g, ' ').trim().slice(0, 48);
        this.broken ??= new MysqlConnectionStuck(
          `${this.target} did not answer a query within ${formatSeconds(deadline)} (${first}…); the server or the network is stuck, so the connection was closed`,
        );
        settled = true;
        this.connection.destroy();
        reject(this.broken);
      };
      const arm = () => {
        timer = setTimeout(() => {
          const ask = this.keepWaiting;
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
      query.then(
        ([rows]) => {
          settled = true;
          clearTimeout(timer);
          resolve(rows as unknown as Row[]);
        },
        (error: unknown) => {
          settled = true;
          clearTimeout(timer);
          reject(this.broken ?? error);
        },
      );
    });
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
