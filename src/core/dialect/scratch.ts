/**
 * How validate gets isolated databases of a dialect: an embedded server started on demand, or
 * a server the user names (--dev-url) on which scratch databases are created and dropped. The
 * migration runs there, never on the user's database. A provider cleans up on success, on
 * failure and (with src/validate/scratch.ts's `withScratch`) on Ctrl-C.
 */

export interface ScratchDatabase {
  name: string;
  /** Connection URL of this database (may carry the server's password: never print it). */
  url: string;
  /** Drops the database. Idempotent; a no-op once the server is closed. */
  drop(): Promise<void>;
}

export interface ScratchServer {
  /** The version key of the scratch server (PostgreSQL major; MySQL/MariaDB: the dialect's fact key). */
  major: number;
  /**
   * The scratch server in users' words, when the version key alone does not say it
   * ("MariaDB 10.11.19"); absent: the dialect's title and `major` ("PostgreSQL 15").
   */
  title?: string;
  /** `embedded`: a server started for this run (PostgreSQL from npm, a throwaway mariadbd). */
  kind: 'embedded' | 'dev-url';
  /**
   * Set when the scratch version differs from the requested one, e.g. "validating on PostgreSQL
   * 18: no embedded PostgreSQL 15 is installed (differences between majors may hide or invent
   * lock/rewrite behaviour)".
   */
  warning?: string;
  /**
   * A new empty database on the scratch server. With `template`: a copy of that database (the
   * twin copy validate compares with). PostgreSQL refuses to copy a database that has other
   * sessions open, so close the sessions on the template first.
   */
  createDatabase(template?: string): Promise<ScratchDatabase>;
  /** Drops every database it created and stops an embedded server. Idempotent. */
  close(): Promise<void>;
}

export interface ScratchServerOptions {
  /**
   * The version the migration targets (the production server's); null when unknown (a schema
   * built by replaying migrations): then the newest embedded version, or the dev server as it is.
   */
  major: number | null;
  /** Use this server instead of an embedded one. */
  devUrl?: string;
  /** Called with `warning` when it is set, so a command can print it as soon as it is known. */
  onWarning?: (message: string) => void;
}

export interface ScratchProvider {
  open(options: ScratchServerOptions): Promise<ScratchServer>;
}
