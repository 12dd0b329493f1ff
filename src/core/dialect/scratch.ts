/**
 * How validate gets isolated databases of a dialect: an embedded server started on demand, or
 * a server the user names (--dev-url) on which scratch databases are created and dropped.
 */

export interface ScratchDatabase {
  name: string;
  /** Connection URL of this database (may carry a password: never print it). */
  url: string;
  /** Drops the database. Idempotent; a no-op once the server is closed. */
  drop(): Promise<void>;
}

export interface ScratchServer {
  /** The version key of the scratch server (PostgreSQL major). */
  major: number;
  kind: 'embedded' | 'dev-url';
  /** Set when the scratch version differs from the requested one. */
  warning?: string;
  /** A new empty database; with `template`, a copy of that database. */
  createDatabase(template?: string): Promise<ScratchDatabase>;
  /** Drops every database it created and stops an embedded server. Idempotent. */
  close(): Promise<void>;
}

export interface ScratchServerOptions {
  /** The version the migration targets; null when unknown. */
  major: number | null;
  /** Use this server instead of an embedded one. */
  devUrl?: string;
  onWarning?: (message: string) => void;
}

export interface ScratchProvider {
  open(options: ScratchServerOptions): Promise<ScratchServer>;
}
