/**
 * What trace.ts reads from PostgreSQL's catalog, and how it tells before from after: every user
 * relation with its file (pg_class.relfilenode) and size, a backend's relation locks (pg_locks),
 * and the transaction's scan counters (pg_stat_xact_user_tables). See trace.ts for why each
 * measure means what it does.
 */
import type pg from 'pg';
import type {
  IndexRef,
  RelationKind,
  StatementTrace,
  TableScans,
  TracedLock,
} from '../../../core/dialect/validation.js';
import { lockModeFromPgLocks, lockStrength } from '../../../core/locks.js';

interface RelationRow {
  oid: string;
  schema: string;
  name: string;
  kind: string;
  filenode: string;
  bytes: string;
  index_table: string | null;
}

interface Relation {
  oid: string;
  qualified: string;
  kind: RelationKind;
  filenode: string;
  /** Size of the main fork: 0 right after TRUNCATE. */
  bytes: number;
  /** For an index: its table, qualified. */
  table: string | null;
}

export type Relations = Map<string, Relation>;

const KINDS: Record<string, RelationKind> = {
  r: 'table',
  p: 'partitioned table',
  v: 'view',
  m: 'materialized view',
  f: 'foreign table',
  i: 'index',
  I: 'partitioned index',
  S: 'sequence',
};

/**
 * User schemas only: catalogs are locked and scanned by every statement, and TOAST tables and
 * temporary tables (REFRESH … CONCURRENTLY makes one) follow their owners.
 */
const USER_SCHEMA = `n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  AND ($1::text[] IS NULL OR n.nspname = ANY($1::text[]))`;

/**
 * Every user relation with its file and size: cheap on a scratch database, and takes no locks
 * (pg_relation_size reads the file's length; a relation dropped meanwhile gives NULL).
 */
export async function readRelations(
  client: pg.Client,
  schemas: readonly string[] | null,
): Promise<Relations> {
  const { rows } = await client.query<RelationRow>(
    `SELECT c.oid::text AS oid, n.nspname::text AS schema, c.relname::text AS name, c.relkind::text AS kind,
            c.relfilenode::text AS filenode,
            coalesce(CASE WHEN c.relkind IN ('r', 'm') THEN pg_catalog.pg_relation_size(c.oid) END, 0)::text AS bytes,
            tn.nspname || '.' || t.relname AS index_table
     FROM pg_catalog.pg_class c
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid
     LEFT JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
     LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'i', 'I', 'S') AND ${USER_SCHEMA}`,
    [schemas],
  );
  return new Map(
    rows.map((r) => [
      r.oid,
      {
        oid: r.oid,
        qualified: `${r.schema}.${r.name}`,
        kind: KINDS[r.kind] ?? 'other',
        filenode: r.filenode,
        bytes: Number(r.bytes),
        table: r.index_table,
      },
    ]),
  );
}

interface LockRow {
  oid: string;
  mode: string;
  granted: boolean;
  schema: string | null;
  name: string | null;
  kind: string | null;
  system: boolean;
}

/**
 * Relation locks of one backend in this database, granted or waiting. A relation the statement
 * dropped no longer has a pg_class row (its name comes from the snapshot taken before); a
 * relation it created has one only once visible to the reader.
 */
export async function readLocks(
  client: pg.Client,
  pid: number,
  schemas: readonly string[] | null,
): Promise<LockRow[]> {
  const { rows } = await client.query<LockRow>(
    `SELECT l.relation::text AS oid, l.mode, l.granted, n.nspname::text AS schema, c.relname::text AS name,
            c.relkind::text AS kind, (c.oid IS NOT NULL AND NOT (${USER_SCHEMA})) AS system
     FROM pg_catalog.pg_locks l
     LEFT JOIN pg_catalog.pg_class c ON c.oid = l.relation
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE l.locktype = 'relation' AND l.pid = $2
       AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = current_database())`,
    [schemas, pid],
  );
  return rows;
}

/** Wait events of type Lock cover relation, tuple, transaction and virtualxid waits. */
export async function isWaitingForLock(client: pg.Client, pid: number): Promise<boolean> {
  const { rows } = await client.query<{ waiting: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_locks WHERE pid = $1 AND NOT granted) AS waiting`,
    [pid],
  );
  return rows[0]?.waiting ?? false;
}

/** The strongest mode per relation over every sample. */
export class LockAccumulator {
  private readonly byOid = new Map<string, TracedLock>();
  constructor(private readonly before: Relations) {}

  add(rows: readonly LockRow[]): void {
    for (const row of rows) {
      const mode = lockModeFromPgLocks(row.mode);
      const known = this.before.get(row.oid);
      if (!mode || row.system) continue;
      // Neither in the snapshot nor visible now: a catalog we filtered, or a relation created
      // and dropped within the statement.
      if (!known && row.name === null) continue;
      const lock: TracedLock = {
        relation: known?.qualified ?? `${row.schema ?? ''}.${row.name ?? ''}`,
        kind: known?.kind ?? KINDS[row.kind ?? ''] ?? 'other',
        mode,
        granted: row.granted,
        existedBefore: known !== undefined,
      };
      const seen = this.byOid.get(row.oid);
      if (!seen || lockStrength(mode) > lockStrength(seen.mode)) this.byOid.set(row.oid, lock);
      else if (seen.mode === mode && row.granted) seen.granted = true;
    }
  }

  result(): TracedLock[] {
    return [...this.byOid.values()].sort((a, b) =>
      a.relation < b.relation ? -1 : a.relation > b.relation ? 1 : 0,
    );
  }
}

export function storageChanges(
  before: Relations,
  after: Relations,
): Pick<StatementTrace, 'rewrittenTables' | 'emptiedTables' | 'rebuiltIndexes' | 'createdIndexes'> {
  const afterByName = new Map([...after.values()].map((r) => [r.qualified, r]));
  const beforeByName = new Map([...before.values()].map((r) => [r.qualified, r]));
  const rewrittenTables: string[] = [];
  const emptiedTables: string[] = [];
  const rebuiltIndexes: IndexRef[] = [];
  const createdIndexes: IndexRef[] = [];
  for (const old of before.values()) {
    const now = after.get(old.oid) ?? (old.kind === 'index' ? afterByName.get(old.qualified) : undefined);
    if (!now || now.filenode === old.filenode) continue;
    if (old.kind === 'table' || old.kind === 'materialized view')
      (now.bytes === 0 && old.bytes > 0 ? emptiedTables : rewrittenTables).push(old.qualified);
    if (old.kind === 'index') rebuiltIndexes.push({ index: old.qualified, table: old.table ?? '' });
  }
  for (const now of after.values()) {
    if (now.kind !== 'index' || before.has(now.oid) || beforeByName.has(now.qualified)) continue;
    createdIndexes.push({ index: now.qualified, table: now.table ?? '' });
  }
  // An emptied table's indexes start over empty: nothing was read to build them.
  const emptied = new Set(emptiedTables);
  return {
    rewrittenTables: rewrittenTables.sort(),
    emptiedTables: emptiedTables.sort(),
    rebuiltIndexes: rebuiltIndexes.filter((i) => !emptied.has(i.table)),
    createdIndexes,
  };
}

interface ScanRow {
  oid: string;
  seq: string;
  idx: string;
  blocks: string;
}

type ScanCounters = Map<string, { seq: number; idx: number; blocks: number }>;

export async function readScanCounters(client: pg.Client): Promise<ScanCounters> {
  const { rows } = await client.query<ScanRow>(
    `SELECT relid::text AS oid, seq_scan::text AS seq, coalesce(idx_scan, 0)::text AS idx,
            pg_catalog.pg_stat_get_xact_blocks_fetched(relid)::text AS blocks
     FROM pg_catalog.pg_stat_xact_user_tables`,
  );
  return new Map(
    rows.map((r) => [r.oid, { seq: Number(r.seq), idx: Number(r.idx), blocks: Number(r.blocks) }]),
  );
}

export function scanDifferences(before: Relations, start: ScanCounters, end: ScanCounters): TableScans[] {
  const out: TableScans[] = [];
  for (const [oid, e] of end) {
    const relation = before.get(oid);
    if (!relation) continue;
    const s = start.get(oid) ?? { seq: 0, idx: 0, blocks: 0 };
    const scans = {
      table: relation.qualified,
      seqScans: e.seq - s.seq,
      indexScans: e.idx - s.idx,
      blocksFetched: e.blocks - s.blocks,
    };
    if (scans.seqScans > 0 || scans.indexScans > 0 || scans.blocksFetched > 0) out.push(scans);
  }
  return out.sort((a, b) => (a.table < b.table ? -1 : 1));
}
