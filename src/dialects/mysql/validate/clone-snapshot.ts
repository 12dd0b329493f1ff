/**
 * A MySQL/MariaDB snapshot as DDL, for a scratch database when no live database can be asked
 * for its own (`--schema snapshot.json`, or `--clone snapshot`). Tables are written unqualified
 * (they go into the session's database); references to the snapshot's database inside view and
 * trigger bodies are retargeted by the scratch session's guard. The result, inspected, has the
 * snapshot's hash (test/dialects/mysql/validate.test.ts checks it on a schema with partitions,
 * generated columns, FULLTEXT, foreign keys, checks, triggers and views).
 *
 * What the snapshot does not record is not recreated: routines, events, invisible columns,
 * AUTO_INCREMENT counters, MySQL 8 expression defaults (their COLUMN_DEFAULT is unmarked text).
 */
import type { Column, Index, SchemaSnapshot, Table } from '../../../core/snapshot.js';
import { quoteMysqlIdent as q, quoteMysqlLiteral } from '../quote.js';
import type { DdlObject, SchemaDdl } from './show-create.js';

export function snapshotDdl(snapshot: SchemaSnapshot): SchemaDdl {
  const mariadb = snapshot.serverVersionNum >= 100000;
  const own = (schema: string) => schema === snapshot.database;
  const tables: DdlObject[] = snapshot.tables.map((t) => ({
    kind: 'table',
    name: t.name,
    sql: createTable(t, mariadb, own),
  }));
  const views: DdlObject[] = snapshot.views.map((v) => ({
    kind: 'view',
    name: v.name,
    sql: `CREATE VIEW ${q(v.name)} AS ${v.definition}`,
  }));
  const triggers: DdlObject[] = snapshot.tables.flatMap((t) =>
    t.triggers.map((tr) => ({ kind: 'trigger' as const, name: tr.name, sql: tr.definition })),
  );
  // The database default is not in the snapshot: the tables' most common one stands in for it.
  const collation = mostCommon(snapshot.tables.map((t) => t.collation));
  return {
    charset: snapshot.tables.find((t) => t.collation === collation)?.charset ?? null,
    collation,
    tables,
    columns: new Map(),
    routines: [],
    views,
    triggers,
  };
}

function createTable(t: Table, mariadb: boolean, own: (schema: string) => boolean): string {
  const parts = t.columns.map((c) => columnDdl(c, mariadb));
  for (const index of t.indexes) parts.push(indexDdl(index));
  for (const fk of t.foreignKeys) {
    const parent = own(fk.referencedSchema)
      ? q(fk.referencedTable)
      : `${q(fk.referencedSchema)}.${q(fk.referencedTable)}`;
    parts.push(
      `CONSTRAINT ${q(fk.name)} FOREIGN KEY (${fk.columns.map(q).join(', ')}) REFERENCES ${parent} (${fk.referencedColumns.map(q).join(', ')}) ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`,
    );
  }
  for (const check of t.checkConstraints) parts.push(`CONSTRAINT ${q(check.name)} ${check.definition}`);
  const options = [
    t.engine ? `ENGINE=${t.engine}` : '',
    t.rowFormat ? `ROW_FORMAT=${t.rowFormat.toUpperCase()}` : '',
    t.charset ? `DEFAULT CHARSET=${t.charset}` : '',
    t.collation ? `COLLATE=${t.collation}` : '',
    t.comment ? `COMMENT=${quoteMysqlLiteral(t.comment)}` : '',
  ].filter(Boolean);
  return `CREATE TABLE ${q(t.name)} (\n  ${parts.join(',\n  ')}\n) ${options.join(' ')}${partitionDdl(t)}`;
}

function columnDdl(c: Column, mariadb: boolean): string {
  const words = [q(c.name), c.type];
  if (c.charset) words.push(`CHARACTER SET ${c.charset}`);
  if (c.collation) words.push(`COLLATE ${c.collation}`);
  if (c.generated !== null) {
    words.push(`GENERATED ALWAYS AS (${c.generated}) ${c.generatedKind === 'stored' ? 'STORED' : 'VIRTUAL'}`);
    // A generated column takes NULL/NOT NULL only on MySQL; MariaDB refuses NOT NULL there.
    if (!mariadb && !c.nullable) words.push('NOT NULL');
  } else {
    words.push(c.nullable ? 'NULL' : 'NOT NULL');
    if (c.default !== null) words.push(`DEFAULT ${defaultSql(c, mariadb)}`);
    if (c.onUpdate) words.push(`ON UPDATE ${c.onUpdate}`);
    if (c.identity !== null) words.push('AUTO_INCREMENT');
  }
  if (c.comment) words.push(`COMMENT ${quoteMysqlLiteral(c.comment)}`);
  return words.join(' ');
}

/**
 * MariaDB prints a default as SQL (strings quoted, expressions as written); MySQL prints a
 * string default unquoted, so there it is quoted unless it is a number on a numeric column or
 * a CURRENT_TIMESTAMP (an expression default of MySQL 8.0.13+ cannot be told from a string).
 */
function defaultSql(c: Column, mariadb: boolean): string {
  const value = c.default ?? 'NULL';
  if (mariadb) return value;
  if (/^(current_timestamp|now|localtime)/i.test(value)) return value;
  if (/^-?\d+(\.\d+)?$/.test(value) && !/char|text|blob|binary|enum|set/i.test(c.type)) return value;
  return quoteMysqlLiteral(value);
}

/** The index inside CREATE TABLE: `PRIMARY KEY (…)`, `UNIQUE KEY name (…)`, `FULLTEXT KEY …`. */
function indexDdl(index: Index): string {
  const columns = /\(([\s\S]*)\)(?: USING \w+)?$/.exec(index.definition);
  const using = / USING (\w+)$/.exec(index.definition)?.[1];
  const body = `(${columns?.[1] ?? index.columns.map(q).join(', ')})${using ? ` USING ${using}` : ''}`;
  if (index.primary) return `PRIMARY KEY ${body}`;
  const kind = index.unique
    ? 'UNIQUE KEY'
    : index.method === 'fulltext'
      ? 'FULLTEXT KEY'
      : index.method === 'spatial'
        ? 'SPATIAL KEY'
        : 'KEY';
  return `${kind} ${q(index.name)} ${body}`;
}

function partitionDdl(t: Table): string {
  if (!t.partitionKey || !t.partitions || t.partitions.length === 0) return '';
  const list = t.partitions.map((p) => {
    const subs =
      p.subpartitions.length > 0 ? ` (${p.subpartitions.map((s) => `SUBPARTITION ${q(s)}`).join(', ')})` : '';
    return `PARTITION ${q(p.name)}${p.bound ? ` ${p.bound}` : ''}${subs}`;
  });
  return `\nPARTITION BY ${t.partitionKey}\n(${list.join(',\n ')})`;
}

function mostCommon(values: readonly (string | undefined)[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  for (const [v, n] of counts) if (best === null || n > (counts.get(best) ?? 0)) best = v;
  return best;
}
