/**
 * The information_schema queries behind a MySQL/MariaDB snapshot, one per object kind, each with
 * the typed row it returns. The count is fixed (at most nine: CHECK constraints are not read on
 * a server without them, partitions not when no table is partitioned) whatever the number of
 * tables: each query covers every inspected schema
 * (`IN (?)`, which mysql2 expands to a list of escaped literals) and rows are joined in memory
 * by `schema.table`. Per-table `SHOW CREATE TABLE` would be simpler and is what most tools do,
 * but it is one round trip per table, and 5,000 tables must be read in about a second.
 *
 * Columns are aliased to lower case: MySQL 8 returns information_schema column names in upper
 * case and MariaDB as written, and the row interfaces name one spelling. Numbers that can pass
 * 2^53 (sizes, row counts) arrive as strings (the connection sets bigNumberStrings) and are
 * converted where they are read. Nothing the user typed is spliced into the SQL.
 */
import type { ServerVersion } from '../../core/dialect/version.js';
import { versionAtLeast } from '../../core/dialect/version.js';

/**
 * `utf8mb4_0900_ai_ci` → `utf8mb4`, `binary` → `binary`: MySQL and MariaDB name every collation
 * after its character set, and no character set name has an underscore.
 */
export function charsetOfCollation(collation: string): string {
  return collation.split('_')[0] ?? collation;
}

/** Schemas that are the server's own, never inspected unless asked for by name. */
export const SYSTEM_SCHEMAS = ['mysql', 'information_schema', 'performance_schema', 'sys', 'schemapilot'];

/** The connection's database (the default schema to inspect) and every schema that exists. */
export const serverQuery = `
SELECT DATABASE() AS current_database, VERSION() AS version,
       (SELECT JSON_ARRAYAGG(SCHEMA_NAME) FROM information_schema.SCHEMATA) AS all_schemas`;

export interface ServerRow {
  current_database: string | null;
  version: string;
  /** JSON text on MariaDB (JSON is an alias of LONGTEXT there), parsed already on MySQL. */
  all_schemas: string | string[] | null;
}

/**
 * Tables and views with engine, row format, default collation and charset, and the size
 * statistics. TABLE_ROWS, DATA_LENGTH and INDEX_LENGTH are InnoDB's persistent statistics (an
 * estimate, like pg_class.reltuples; MySQL 8 caches them for information_schema_stats_expiry
 * seconds): reading them takes no lock. The table's charset is not joined in from
 * COLLATION_CHARACTER_SET_APPLICABILITY (a third of this query's time at 5,000 tables on MariaDB
 * 10.11): every collation name starts with its charset's (see `charsetOfCollation`). MariaDB sequences (TABLE_TYPE 'SEQUENCE') are not tables
 * to migrate here and are left out; system-versioned tables are base tables.
 */
export const tablesQuery = `
SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, TABLE_TYPE AS table_type,
       ENGINE AS engine, ROW_FORMAT AS row_format, TABLE_COLLATION AS table_collation,
       TABLE_ROWS AS table_rows, DATA_LENGTH AS data_length, INDEX_LENGTH AS index_length,
       CREATE_OPTIONS AS create_options, TABLE_COMMENT AS table_comment
FROM information_schema.TABLES
WHERE TABLE_SCHEMA IN (?) AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED', 'VIEW')`;

export interface TableRow {
  table_schema: string;
  table_name: string;
  table_type: 'BASE TABLE' | 'SYSTEM VERSIONED' | 'VIEW';
  engine: string | null;
  row_format: string | null;
  table_collation: string | null;
  table_rows: string | number | null;
  data_length: string | number | null;
  index_length: string | number | null;
  create_options: string | null;
  /** Views report 'VIEW' here; tables their comment. */
  table_comment: string | null;
}

/**
 * Columns of tables and views, in ordinal order. COLUMN_TYPE is the full spelling
 * (`bigint(20) unsigned`, `enum('a','b')`); EXTRA carries auto_increment, `VIRTUAL GENERATED` /
 * `STORED GENERATED` and `on update current_timestamp()` (and DEFAULT_GENERATED on MySQL 8 for
 * expression defaults). COLUMN_DEFAULT differs: MariaDB 10.2.7+ quotes literals and writes the
 * text NULL for "default NULL"; MySQL leaves literals unquoted.
 */
export const columnsQuery = `
SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, COLUMN_NAME AS column_name,
       ORDINAL_POSITION AS ordinal_position, COLUMN_TYPE AS column_type, IS_NULLABLE AS is_nullable,
       COLUMN_DEFAULT AS column_default, EXTRA AS extra, GENERATION_EXPRESSION AS generation_expression,
       CHARACTER_SET_NAME AS character_set_name, COLLATION_NAME AS collation_name,
       COLUMN_COMMENT AS column_comment
FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA IN (?)
ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`;

export interface ColumnRow {
  table_schema: string;
  table_name: string;
  column_name: string;
  ordinal_position: number;
  column_type: string;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
  extra: string;
  generation_expression: string | null;
  character_set_name: string | null;
  collation_name: string | null;
  column_comment: string;
}

/**
 * Index columns, one row per key part. INDEX_TYPE is BTREE, HASH, FULLTEXT or SPATIAL; SUB_PART
 * a prefix length; COLLATION 'D' a descending part (MySQL 8; MariaDB 10.8+). A functional key
 * part (MySQL 8.0.13+) has no COLUMN_NAME and its text in EXPRESSION, a column MariaDB lacks.
 */
export function indexesQuery(version: ServerVersion): string {
  const expression = version.product === 'mysql' && versionAtLeast(version, 8, 0, 13) ? 'EXPRESSION' : 'NULL';
  return `
SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, INDEX_NAME AS index_name,
       NON_UNIQUE AS non_unique, SEQ_IN_INDEX AS seq_in_index, COLUMN_NAME AS column_name,
       ${expression} AS expression, SUB_PART AS sub_part, COLLATION AS collation,
       INDEX_TYPE AS index_type, INDEX_COMMENT AS index_comment
FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA IN (?)
ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`;
}

export interface IndexRow {
  table_schema: string;
  table_name: string;
  index_name: string;
  non_unique: number | string;
  seq_in_index: number;
  column_name: string | null;
  expression: string | null;
  sub_part: number | string | null;
  collation: 'A' | 'D' | null;
  index_type: string;
  index_comment: string;
}

/**
 * Foreign keys, one row per column pair: the columns from KEY_COLUMN_USAGE, the actions from
 * REFERENTIAL_CONSTRAINTS, read apart and joined in memory by (schema, table, constraint name),
 * which is unique for foreign keys in both servers. MariaDB joins these two views slowly: on
 * 5,000 tables the join took 0.72 s where each view alone took about 0.14 s
 * (bench/RESULTS.md, introspect-mysql).
 */
export const foreignKeyColumnsQuery = `
SELECT k.TABLE_SCHEMA AS table_schema, k.TABLE_NAME AS table_name, k.CONSTRAINT_NAME AS constraint_name,
       k.COLUMN_NAME AS column_name, k.ORDINAL_POSITION AS ordinal_position,
       k.REFERENCED_TABLE_SCHEMA AS referenced_schema, k.REFERENCED_TABLE_NAME AS referenced_table,
       k.REFERENCED_COLUMN_NAME AS referenced_column
FROM information_schema.KEY_COLUMN_USAGE k
WHERE k.TABLE_SCHEMA IN (?) AND k.REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`;

export const foreignKeyRulesQuery = `
SELECT r.CONSTRAINT_SCHEMA AS table_schema, r.TABLE_NAME AS table_name, r.CONSTRAINT_NAME AS constraint_name,
       r.UPDATE_RULE AS update_rule, r.DELETE_RULE AS delete_rule
FROM information_schema.REFERENTIAL_CONSTRAINTS r
WHERE r.CONSTRAINT_SCHEMA IN (?)`;

export interface ForeignKeyRuleRow {
  table_schema: string;
  table_name: string;
  constraint_name: string;
  update_rule: string;
  delete_rule: string;
}

/** A foreign key's column pair with its actions, as the two queries above give them together. */
export interface ForeignKeyRow {
  table_schema: string;
  table_name: string;
  constraint_name: string;
  column_name: string;
  ordinal_position: number;
  referenced_schema: string;
  referenced_table: string;
  referenced_column: string;
  update_rule: string;
  delete_rule: string;
}

/**
 * CHECK constraints live in different places (null: the server has none to read):
 * - MariaDB 10.2.22+/10.3.10+: information_schema.CHECK_CONSTRAINTS has TABLE_NAME and LEVEL
 *   ('Column' for a check written on the column, named after it; 'Table' otherwise), and every
 *   check is enforced. https://mariadb.com/kb/en/information-schema-check_constraints-table/
 * - MySQL 8.0.16+: CHECK_CONSTRAINTS has no table, so it is joined with TABLE_CONSTRAINTS
 *   (CONSTRAINT_TYPE 'CHECK'), whose ENFORCED says whether the server checks it (NOT ENFORCED
 *   exists). Check names are unique per schema. Documented only, no MySQL server here:
 *   https://dev.mysql.com/doc/refman/8.0/en/information-schema-check-constraints-table.html,
 *   https://dev.mysql.com/doc/refman/8.0/en/information-schema-table-constraints-table.html
 * - MySQL before 8.0.16 parses CHECK and throws it away
 *   (https://dev.mysql.com/doc/refman/8.0/en/create-table-check-constraints.html).
 */
export function checksQuery(version: ServerVersion): string | null {
  if (version.product === 'mariadb') {
    if (!versionAtLeast(version, 10, 2, 22)) return null;
    return `
SELECT CONSTRAINT_SCHEMA AS table_schema, TABLE_NAME AS table_name, CONSTRAINT_NAME AS constraint_name,
       CHECK_CLAUSE AS check_clause, 'YES' AS enforced
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA IN (?)`;
  }
  if (!versionAtLeast(version, 8, 0, 16)) return null;
  return `
SELECT tc.TABLE_SCHEMA AS table_schema, tc.TABLE_NAME AS table_name, tc.CONSTRAINT_NAME AS constraint_name,
       cc.CHECK_CLAUSE AS check_clause, tc.ENFORCED AS enforced
FROM information_schema.TABLE_CONSTRAINTS tc
JOIN information_schema.CHECK_CONSTRAINTS cc
  ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
WHERE tc.TABLE_SCHEMA IN (?) AND tc.CONSTRAINT_TYPE = 'CHECK'`;
}

export interface CheckRow {
  table_schema: string;
  table_name: string;
  constraint_name: string;
  check_clause: string;
  enforced: 'YES' | 'NO';
}

/** Triggers: MySQL has no trigger functions, the body is the trigger's own statement. */
export const triggersQuery = `
SELECT TRIGGER_SCHEMA AS table_schema, EVENT_OBJECT_TABLE AS table_name, TRIGGER_NAME AS trigger_name,
       ACTION_TIMING AS action_timing, EVENT_MANIPULATION AS event_manipulation,
       ACTION_ORDER AS action_order, ACTION_STATEMENT AS action_statement
FROM information_schema.TRIGGERS
WHERE TRIGGER_SCHEMA IN (?)`;

export interface TriggerRow {
  table_schema: string;
  table_name: string;
  trigger_name: string;
  action_timing: 'BEFORE' | 'AFTER';
  event_manipulation: 'INSERT' | 'UPDATE' | 'DELETE';
  action_order: number;
  action_statement: string;
}

/** View text as the server stored it (fully qualified, backquoted). */
export const viewsQuery = `
SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, VIEW_DEFINITION AS view_definition
FROM information_schema.VIEWS
WHERE TABLE_SCHEMA IN (?)`;

export interface ViewRow {
  table_schema: string;
  table_name: string;
  view_definition: string;
}

/**
 * Partitions (and subpartitions) of partitioned tables. Run only when TABLES marked a table
 * `partitioned` in CREATE_OPTIONS: it opens every table of the schemas (100 ms at 5,000 tables). Every table has one row here with a
 * NULL PARTITION_NAME, which is skipped. PARTITION_DESCRIPTION is the bound (`2020`,
 * `MAXVALUE`, an IN list); rows and sizes are per partition, as estimated as TABLES'.
 */
export const partitionsQuery = `
SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, PARTITION_NAME AS partition_name,
       SUBPARTITION_NAME AS subpartition_name, PARTITION_ORDINAL_POSITION AS partition_ordinal,
       SUBPARTITION_ORDINAL_POSITION AS subpartition_ordinal,
       PARTITION_METHOD AS partition_method, PARTITION_EXPRESSION AS partition_expression,
       SUBPARTITION_METHOD AS subpartition_method, SUBPARTITION_EXPRESSION AS subpartition_expression,
       PARTITION_DESCRIPTION AS partition_description,
       TABLE_ROWS AS table_rows, DATA_LENGTH AS data_length, INDEX_LENGTH AS index_length
FROM information_schema.PARTITIONS
WHERE TABLE_SCHEMA IN (?) AND PARTITION_NAME IS NOT NULL
ORDER BY TABLE_SCHEMA, TABLE_NAME, PARTITION_ORDINAL_POSITION, SUBPARTITION_ORDINAL_POSITION`;

export interface PartitionRow {
  table_schema: string;
  table_name: string;
  partition_name: string;
  subpartition_name: string | null;
  partition_ordinal: number;
  subpartition_ordinal: number | null;
  /** RANGE, LIST, HASH, KEY, RANGE COLUMNS, LIST COLUMNS, LINEAR HASH, LINEAR KEY, SYSTEM_TIME. */
  partition_method: string;
  partition_expression: string | null;
  subpartition_method: string | null;
  subpartition_expression: string | null;
  partition_description: string | null;
  table_rows: string | number | null;
  data_length: string | number | null;
  index_length: string | number | null;
}
