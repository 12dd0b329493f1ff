/**
 * A PostgreSQL session as the engine holds it: the `pg` client inside, opaque above the
 * dialect. The driver's functions take the engine's `Session` and unwrap it here, refusing a
 * session another dialect's driver opened.
 */
import type pg from 'pg';
import type { Session } from '../../core/dialect/driver.js';

export class PostgresSession implements Session {
  readonly dialect = 'postgres';
  constructor(readonly client: pg.Client) {}

  /** The backend pid (pg_backend_pid()), known once the connection is up. */
  get pid(): number {
    // `processID` is set from BackendKeyData during the startup handshake; typed loosely by @types/pg.
    return (this.client as unknown as { processID: number | null }).processID ?? 0;
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

export function pgClient(session: Session): pg.Client {
  if (!(session instanceof PostgresSession))
    throw new Error(`a ${session.dialect} session was handed to the PostgreSQL driver`);
  return session.client;
}
