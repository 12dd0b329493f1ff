/**
 * What input gathering (src/api/input.ts) reads from a live server beyond the driver's
 * snapshot: the snapshot's sizes come from the server's statistics, which go stale, so the few
 * tables a migration touches are measured now; and functions called in new defaults are looked
 * up for their volatility (a volatile default rewrites the table). Every read here is read-only
 * and never queues behind a migration's lock for long.
 */
import type { Volatility } from '../facts.js';
import type { SchemaSnapshot } from '../snapshot.js';
import type { Session } from './driver.js';

export interface LiveReader {
  /**
   * Re-measure the given tables (qualified `schema.name`) of `snapshot` in place: bytes on disk
   * and rows scaled from them. A table the server will not let us measure at once (another
   * session holds a conflicting lock) keeps its estimate.
   */
  measureTables(session: Session, snapshot: SchemaSnapshot, tables: readonly string[]): Promise<void>;
  /**
   * Volatility of the named functions, by the names given (bare or schema-qualified) and by
   * `schema.name`; a bare name gets the worst of its overloads and schemas.
   */
  functionVolatility(session: Session, names: readonly string[]): Promise<Map<string, Volatility>>;
}
