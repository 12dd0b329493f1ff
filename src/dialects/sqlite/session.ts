/**
 * A SQLite session as the engine holds it: a `better-sqlite3` connection to one file, opaque
 * above the dialect. The driver's functions unwrap it here, refusing another dialect's session.
 *
 * better-sqlite3 is synchronous: a statement runs to its end on this thread. There is no server
 * to time out on, and no way to interrupt a statement from here (the bundled build omits the
 * progress handler, SQLITE_OMIT_PROGRESS_CALLBACK), so a step's statement timeout cannot be
 * enforced; the lock wait is (PRAGMA busy_timeout).
 */
import type Database from 'better-sqlite3';
import type { Session } from '../../core/dialect/driver.js';
import type { ServerVersion } from '../../core/dialect/version.js';

export class SqliteSession implements Session {
  readonly dialect = 'sqlite';
  constructor(
    readonly db: Database.Database,
    /** The file as the user named it, for messages. */
    readonly path: string,
    /** Of the library reading the file: `sqlite_version()` when the session opened. */
    readonly version: ServerVersion,
    readonly readOnly: boolean,
    /** The SQLite that last wrote the file (its header), when the header says: connect.ts. */
    readonly lastWriter: ServerVersion | null = null,
  ) {}

  /**
   * The version facts are chosen by: the application's SQLite as the file's header names it,
   * else the library reading it. `version` stays the reading library's, which decides what
   * this session can ask (pragma_table_list is 3.37+).
   */
  get targetVersion(): ServerVersion {
    return this.lastWriter ?? this.version;
  }

  /** SQLite has no server process; sessions are told apart by the process that holds them. */
  get pid(): number {
    return process.pid;
  }

  /** Rows of one statement, each keyed by column name. */
  rows<Row>(sql: string, ...params: unknown[]): Row[] {
    const statement = this.db.prepare(sql);
    // A statement that returns no data (DDL, PRAGMA x = y) cannot be read with all().
    if (!statement.reader) {
      statement.run(...params);
      return [];
    }
    return statement.all(...params) as Row[];
  }

  /** Runs statements without reading results (several may be given in one string). */
  exec(sql: string): void {
    this.db.exec(sql);
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}

export function sqliteSession(session: Session): SqliteSession {
  if (!(session instanceof SqliteSession))
    throw new Error(`a ${session.dialect} session was handed to the SQLite driver`);
  return session;
}
