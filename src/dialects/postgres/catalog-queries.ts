/**
 * The catalog queries behind a Postgres snapshot, one per object kind, each with the typed row
 * it returns. The count is fixed (ten), whatever the number of tables: every query covers all
 * inspected schemas at once and rows are joined in memory by relation oid. (The brief's
 * SQLAlchemy inspector issues several information_schema queries per table; at 5,000 tables
 * that is the difference between seconds and minutes, see bench/RESULTS.md.)
 *
 * Arrays come back as JSON (`to_json(ARRAY(...))`): the driver parses JSON natively, several
 * times faster than Postgres array literals, which matters at 25,000 rows.
 *
 * Every query takes the inspected schema names as $1 (text[]). The SQL is built only from the
 * constant fragments below, chosen by server version; nothing the user typed is spliced in.
 */
import { quoteIdent } from './quote.js';

/** Objects that belong to an extension (PostGIS tables, pg_stat_statements views) are not ours to migrate. */
const notExtensionMember = (classCatalog: string, oidColumn: string): string =>
  `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend ext
     WHERE ext.classid = '${classCatalog}'::regclass AND ext.objid = ${oidColumn} AND ext.deptype = 'e')`;

/** Server facts, plus the schemas a default inspection covers: every schema but the system ones and our journal. */
export const serverQuery = `
SELECT current_setting('server_version_num')::int AS version_num,
       current_setting('server_version') AS version,
       current_database() AS database,
       -- The TimeZone a session of this role on this database starts with (role and database
       -- settings, else the server's): whether timestamp <-> timestamptz rewrites depends on it.
       current_setting('TimeZone') AS time_zone,
       ARRAY(
         SELECT n.nspname::text FROM pg_catalog.pg_namespace n
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'schemapilot')
           AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
           AND ${notExtensionMember('pg_namespace', 'n.oid')}
         ORDER BY 1
       ) AS default_schemas,
       ARRAY(SELECT n.nspname::text FROM pg_catalog.pg_namespace n ORDER BY 1) AS all_schemas`;

export interface ServerRow {
  version_num: number;
  version: string;
  database: string;
  time_zone: string;
  default_schemas: string[];
  all_schemas: string[];
}

/**
 * Tables, partitioned tables, views and materialized views, with their size.
 *
 * Sizes come from `relpages` (heap + TOAST), as of the last VACUUM, ANALYZE or index build,
 * like `reltuples`: reading them takes no lock and no file access, so inspect never queues
 * behind a migration holding ACCESS EXCLUSIVE and never fills the lock table on a schema of
 * 100k relations. Only a table that was never vacuumed or analyzed (reltuples < 0, PG14+) is
 * measured with pg_relation_size. Analysis re-measures the few tables a migration touches.
 */
export const relationsQuery = `
SELECT c.oid::text AS oid, n.nspname::text AS schema, c.relname::text AS name, c.relkind::text AS kind,
       descr.description AS comment,
       c.reltuples::float8 AS reltuples,
       CASE WHEN c.relkind IN ('r', 'm') AND c.reltuples < 0 AND c.relpages = 0
              THEN pg_catalog.pg_relation_size(c.oid)::float8
            WHEN c.relkind IN ('r', 'p', 'm')
              THEN (c.relpages::float8 + coalesce(toast.relpages, 0)) * current_setting('block_size')::float8
       END AS table_bytes,
       parent_ns.nspname::text AS parent_schema, parent.relname::text AS parent_name,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid, true) END AS view_definition
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class toast ON toast.oid = c.reltoastrelid
LEFT JOIN pg_catalog.pg_description descr
  ON descr.objoid = c.oid AND descr.classoid = 'pg_catalog.pg_class'::regclass AND descr.objsubid = 0
LEFT JOIN pg_catalog.pg_inherits inh ON c.relispartition AND inh.inhrelid = c.oid
LEFT JOIN pg_catalog.pg_class parent ON parent.oid = inh.inhparent
LEFT JOIN pg_catalog.pg_namespace parent_ns ON parent_ns.oid = parent.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname = ANY($1)
  AND ${notExtensionMember('pg_class', 'c.oid')}`;

export interface RelationRow {
  oid: string;
  schema: string;
  name: string;
  kind: 'r' | 'p' | 'v' | 'm';
  comment: string | null;
  reltuples: number;
  table_bytes: number | null;
  parent_schema: string | null;
  parent_name: string | null;
  partition_bound: string | null;
  partition_key: string | null;
  view_definition: string | null;
}

/**
 * Columns of every relation. A generated column keeps its expression in pg_attrdef like a
 * default does; `attgenerated` (Postgres 12+) tells the two apart. The collation is reported
 * only when it differs from the type's own.
 */
export function columnsQuery(serverVersionNum: number): string {
  const generated = serverVersionNum >= 120000 ? 'a.attgenerated::text' : `''`;
  return `
SELECT a.attrelid::text AS rel, a.attnum::int AS attnum, a.attname::text AS name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null,
       -- A default cannot reference columns, so it is printed without a relation context, which
       -- is ten times cheaper; a generated column's expression does reference columns.
       CASE WHEN ${generated} = '' THEN pg_catalog.pg_get_expr(ad.adbin, 0)
            ELSE pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END AS default_expr,
       a.attidentity::text AS identity,
       ${generated} AS generated,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN
         (SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN co.collname::text
                      ELSE cn.nspname || '.' || co.collname END
          FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
          WHERE co.oid = a.attcollation)
       END AS collation,
       descr.description AS comment
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_description descr
  ON descr.objoid = a.attrelid AND descr.classoid = 'pg_catalog.pg_class'::regclass AND descr.objsubid = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname = ANY($1)
ORDER BY a.attrelid, a.attnum`;
}

export interface ColumnRow {
  rel: string;
  attnum: number;
  name: string;
  type: string;
  not_null: boolean;
  default_expr: string | null;
  /** '' none, 'a' always, 'd' by default */
  identity: string;
  /** '' none, 's' stored (Postgres 12+), 'v' virtual (Postgres 18+) */
  generated: string;
  collation: string | null;
  comment: string | null;
}

/**
 * Constraints of tables. Postgres 18 stores NOT NULL as constraints of type 'n' (named, possibly
 * NOT VALID); they are read here and attached to their column, not listed as CHECKs.
 * https://www.postgresql.org/docs/18/catalog-pg-constraint.html
 */
export const constraintsQuery = `
SELECT con.conrelid::text AS rel, con.conname::text AS name, con.contype::text AS type,
       -- Only the kinds we keep as text; PKs and FKs are stored as structured columns.
       CASE WHEN con.contype IN ('c', 'u', 'x')
            THEN pg_catalog.pg_get_constraintdef(con.oid, true) END AS definition,
       con.convalidated AS validated, con.condeferrable AS deferrable,
       to_json(ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             ORDER BY k.ord)) AS columns,
       ref_ns.nspname::text AS ref_schema, ref.relname::text AS ref_table,
       to_json(ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
             ORDER BY k.ord)) AS ref_columns,
       con.confupdtype::text AS on_update, con.confdeltype::text AS on_delete, con.confmatchtype::text AS match
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class ref ON ref.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace ref_ns ON ref_ns.oid = ref.relnamespace
WHERE con.contype IN ('p', 'u', 'c', 'f', 'x', 'n') AND c.relkind IN ('r', 'p') AND n.nspname = ANY($1)`;

export interface ConstraintRow {
  rel: string;
  name: string;
  type: 'p' | 'u' | 'c' | 'f' | 'x' | 'n';
  /** For CHECK, UNIQUE and EXCLUDE; null for the others. */
  definition: string | null;
  validated: boolean;
  deferrable: boolean;
  columns: string[];
  ref_schema: string | null;
  ref_table: string | null;
  ref_columns: string[];
  on_update: string;
  on_delete: string;
  match: string;
}

/**
 * Indexes of tables and materialized views.
 *
 * `pg_get_indexdef` costs ~70 µs per index on a fresh connection (a second of server time at
 * 15,000 indexes), so the definition of a plain index (column keys, default operator classes
 * and collations, no predicate, options or partitioning) is assembled from the catalog by
 * `indexDefinition`; the server prints only the others (`server_definition`). A test checks
 * both give the same text.
 */
export function indexesQuery(serverVersionNum: number): string {
  const nullsDistinct = serverVersionNum >= 150000 ? 'NOT i.indnullsnotdistinct' : 'true';
  // INCLUDE columns arrived in 11; before, every column is a key column.
  const keyCount = serverVersionNum >= 110000 ? 'i.indnkeyatts' : 'i.indnatts';
  return `
SELECT i.indrelid::text AS rel, ic.relname::text AS name, n.nspname::text AS table_schema, c.relname::text AS table_name,
       i.indisunique AS is_unique, i.indisprimary AS is_primary, i.indisvalid AS is_valid,
       am.amname::text AS method,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       to_json(keys.names) AS all_columns,
       ${keyCount}::int AS key_count,
       to_json(i.indoption::int2[]) AS key_options,
       CASE WHEN i.indpred IS NULL AND ic.reloptions IS NULL AND c.relkind <> 'p' AND ${nullsDistinct}
                 AND keys.plain
                 AND NOT (i.indclass::oid[] && (SELECT array_agg(o.oid) FROM pg_catalog.pg_opclass o WHERE NOT o.opcdefault))
            THEN NULL ELSE pg_catalog.pg_get_indexdef(i.indexrelid) END AS server_definition,
       con.conname::text AS constraint_name,
       ic.relpages::float8 * current_setting('block_size')::float8 AS bytes
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
CROSS JOIN LATERAL (
  SELECT array_agg(CASE WHEN k.attnum <> 0 THEN a.attname::text
                        ELSE pg_catalog.pg_get_indexdef(i.indexrelid, k.n::int, true) END ORDER BY k.n) AS names,
         bool_and(k.attnum <> 0 AND (k.n > ${keyCount} OR i.indcollation[k.n - 1] = a.attcollation)) AS plain
  FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n)
  LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
) keys
LEFT JOIN pg_catalog.pg_constraint con
  ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname = ANY($1)`;
}

export interface IndexRow {
  rel: string;
  name: string;
  is_unique: boolean;
  is_primary: boolean;
  is_valid: boolean;
  method: string;
  predicate: string | null;
  /** Key columns followed by INCLUDE columns. */
  all_columns: string[];
  key_count: number;
  /** pg_index.indoption per key column: bit 1 DESC, bit 2 NULLS FIRST. */
  key_options: number[];
  table_schema: string;
  table_name: string;
  /** Set only for indexes `indexDefinition` cannot assemble. */
  server_definition: string | null;
  constraint_name: string | null;
  bytes: number;
}

/**
 * What each view and materialized view reads, down to the column: a view's rewrite rule
 * depends on every column it uses (refobjsubid > 0) or on the relation as a whole (0).
 * This is what lets analysis say "dropping users.email breaks view active_users".
 */
export const viewDependenciesQuery = `
SELECT DISTINCT r.ev_class::text AS view, dn.nspname::text AS ref_schema, dc.relname::text AS ref_name,
       a.attname::text AS ref_column
FROM pg_catalog.pg_rewrite r
JOIN pg_catalog.pg_class vc ON vc.oid = r.ev_class
JOIN pg_catalog.pg_namespace vn ON vn.oid = vc.relnamespace
JOIN pg_catalog.pg_depend d
  ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = r.oid
 AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid <> r.ev_class
JOIN pg_catalog.pg_class dc ON dc.oid = d.refobjid
JOIN pg_catalog.pg_namespace dn ON dn.oid = dc.relnamespace
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid AND d.refobjsubid > 0
WHERE vc.relkind IN ('v', 'm') AND vn.nspname = ANY($1)`;

export interface ViewDependencyRow {
  view: string;
  ref_schema: string;
  ref_name: string;
  ref_column: string | null;
}

/** Sequences, with the column that owns them (serial: deptype 'a'; identity: deptype 'i'). */
export const sequencesQuery = `
SELECT n.nspname::text AS schema, c.relname::text AS name,
       pg_catalog.format_type(s.seqtypid, NULL) AS data_type,
       s.seqstart::text AS start, s.seqincrement::text AS increment,
       s.seqmin::text AS min, s.seqmax::text AS max, s.seqcycle AS cycle,
       (SELECT tn.nspname || '.' || tc.relname || '.' || ta.attname
          FROM pg_catalog.pg_depend d
          JOIN pg_catalog.pg_class tc ON tc.oid = d.refobjid
          JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
          JOIN pg_catalog.pg_attribute ta ON ta.attrelid = d.refobjid AND ta.attnum = d.refobjsubid
         WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
           AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i')
         LIMIT 1) AS owned_by
FROM pg_catalog.pg_sequence s
JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1) AND ${notExtensionMember('pg_class', 'c.oid')}`;

export interface SequenceRow {
  schema: string;
  name: string;
  data_type: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cycle: boolean;
  owned_by: string | null;
}

/** Enum types with labels in their sort order (ALTER TYPE ... ADD VALUE BEFORE can reorder). */
export const enumsQuery = `
SELECT n.nspname::text AS schema, t.typname::text AS name,
       ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid
             ORDER BY e.enumsortorder) AS labels
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'e' AND n.nspname = ANY($1) AND ${notExtensionMember('pg_type', 't.oid')}`;

export interface EnumRow {
  schema: string;
  name: string;
  labels: string[];
}

/** User triggers; internal ones (FK enforcement) are implied by the constraints. */
export const triggersQuery = `
SELECT t.tgrelid::text AS rel, t.tgname::text AS name,
       pg_catalog.pg_get_triggerdef(t.oid, true) AS definition,
       pn.nspname || '.' || p.proname AS function, t.tgenabled::text AS enabled
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
WHERE NOT t.tgisinternal AND n.nspname = ANY($1)`;

export interface TriggerRow {
  rel: string;
  name: string;
  definition: string;
  function: string;
  /** 'O' origin, 'D' disabled, 'R' replica, 'A' always */
  enabled: string;
}

/**
 * Functions and procedures (not aggregates or window functions, which pg_get_functiondef
 * cannot print) of the inspected schemas, leaving out those of extensions.
 */
export function functionsQuery(serverVersionNum: number): string {
  // prokind arrived in 11; before, aggregates and window functions had their own flags.
  const plain =
    serverVersionNum >= 110000 ? `p.prokind IN ('f', 'p')` : 'NOT p.proisagg AND NOT p.proiswindow';
  return `
SELECT n.nspname::text AS schema, p.proname::text AS name,
       pg_catalog.pg_get_function_identity_arguments(p.oid) AS arguments,
       p.provolatile::text AS volatility,
       pg_catalog.pg_get_functiondef(p.oid) AS definition
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = ANY($1) AND ${plain} AND ${notExtensionMember('pg_proc', 'p.oid')}`;
}

export interface FunctionRow {
  schema: string;
  name: string;
  arguments: string;
  /** 'i' immutable, 's' stable, 'v' volatile */
  volatility: string;
  definition: string;
}

/** Installed extensions: database-wide, not filtered by schema. */
export const extensionsQuery = `
SELECT e.extname::text AS name, e.extversion AS version, n.nspname::text AS schema
FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace`;

export interface ExtensionRow {
  name: string;
  version: string;
  schema: string;
}

/**
 * The `CREATE INDEX` text of a plain index, identical to what pg_get_indexdef prints for it
 * (see `indexesQuery`).
 */
export function indexDefinition(row: IndexRow): string {
  if (row.server_definition !== null) return row.server_definition;
  const keys = row.all_columns.slice(0, row.key_count).map((column, k) => {
    const option = row.key_options[k] ?? 0;
    const desc = (option & 1) !== 0;
    const nullsFirst = (option & 2) !== 0;
    // Postgres prints only what differs from the default order: ASC NULLS LAST, DESC NULLS FIRST.
    const order = desc ? (nullsFirst ? ' DESC' : ' DESC NULLS LAST') : nullsFirst ? ' NULLS FIRST' : '';
    return `${quoteIdent(column)}${order}`;
  });
  const include = row.all_columns.slice(row.key_count).map(quoteIdent);
  const table = `${quoteIdent(row.table_schema)}.${quoteIdent(row.table_name)}`;
  return (
    `CREATE ${row.is_unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(row.name)} ON ${table} USING ${row.method} (${keys.join(', ')})` +
    (include.length > 0 ? ` INCLUDE (${include.join(', ')})` : '')
  );
}
