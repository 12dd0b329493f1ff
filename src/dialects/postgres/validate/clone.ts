/**
 * A snapshot turned back into DDL: the schema-only clone of a database on the scratch server,
 * without pg_dump (which may be missing, or older than the server). Statements come in an order
 * that satisfies dependencies: schemas, extensions, types, sequences, tables (parents before
 * partitions), constraints, foreign keys, indexes, views in dependency order, comments.
 * Function bodies are not checked at creation (check_function_bodies = off). The caller applies the
 * statements one by one and reports the ones that fail (`cloneInto` in load.ts).
 */
import type { Column, SchemaSnapshot, Table, View } from '../../../core/snapshot.js';
import { quoteIdent, quoteLiteral } from '../quote.js';

export interface CloneStatement {
  /** What it creates, for warnings: "table public.users". */
  object: string;
  sql: string;
}

const qn = (schema: string, name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;

export function snapshotDdl(snapshot: SchemaSnapshot): CloneStatement[] {
  const out: CloneStatement[] = [];
  for (const schema of snapshot.schemas) {
    if (schema !== 'public')
      out.push({ object: `schema ${schema}`, sql: `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}` });
  }
  for (const e of snapshot.extensions) {
    if (e.name === 'plpgsql') continue;
    out.push({
      object: `extension ${e.name}`,
      sql: `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(e.name)} WITH SCHEMA ${quoteIdent(e.schema)}`,
    });
  }
  for (const e of snapshot.enums) {
    out.push({
      object: `type ${e.schema}.${e.name}`,
      sql: `CREATE TYPE ${qn(e.schema, e.name)} AS ENUM (${e.values.map(quoteLiteral).join(', ')})`,
    });
  }
  // Function bodies may name tables created later: the caller turns check_function_bodies off.
  for (const f of snapshot.functions) {
    out.push({ object: `function ${f.schema}.${f.name}(${f.arguments})`, sql: f.definition });
  }
  for (const s of snapshot.sequences) {
    if (s.ownedBy && isIdentitySequence(snapshot, s.ownedBy)) continue; // created with its identity column
    out.push({
      object: `sequence ${s.schema}.${s.name}`,
      sql: `CREATE SEQUENCE ${qn(s.schema, s.name)} AS ${s.dataType} INCREMENT ${s.increment} MINVALUE ${s.min} MAXVALUE ${s.max} START ${s.start}${s.cycle ? ' CYCLE' : ''}`,
    });
  }
  const tables = [...snapshot.tables].sort(
    (a, b) => Number(a.partitionOf !== null) - Number(b.partitionOf !== null),
  );
  for (const t of tables) out.push({ object: `table ${t.schema}.${t.name}`, sql: createTable(t) });
  for (const s of snapshot.sequences) {
    if (s.ownedBy && !isIdentitySequence(snapshot, s.ownedBy)) {
      const [schema, table, column] = s.ownedBy.split('.');
      out.push({
        object: `sequence ${s.schema}.${s.name}`,
        sql: `ALTER SEQUENCE ${qn(s.schema, s.name)} OWNED BY ${qn(schema ?? '', table ?? '')}.${quoteIdent(column ?? '')}`,
      });
    }
  }
  for (const t of snapshot.tables) {
    if (t.partitionOf) continue; // partitions inherit their parent's constraints
    const name = qn(t.schema, t.name);
    if (t.primaryKey) {
      out.push({
        object: `constraint ${t.primaryKey.name}`,
        sql: `ALTER TABLE ${name} ADD CONSTRAINT ${quoteIdent(t.primaryKey.name)} PRIMARY KEY (${t.primaryKey.columns.map(quoteIdent).join(', ')})`,
      });
    }
    for (const c of [...t.uniqueConstraints, ...t.checkConstraints, ...t.exclusionConstraints]) {
      out.push({
        object: `constraint ${c.name}`,
        sql: `ALTER TABLE ${name} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`,
      });
    }
  }
  for (const t of snapshot.tables) {
    if (t.partitionOf) continue;
    for (const fk of t.foreignKeys) {
      out.push({
        object: `constraint ${fk.name}`,
        sql:
          `ALTER TABLE ${qn(t.schema, t.name)} ADD CONSTRAINT ${quoteIdent(fk.name)} FOREIGN KEY (${fk.columns.map(quoteIdent).join(', ')}) ` +
          `REFERENCES ${qn(fk.referencedSchema, fk.referencedTable)} (${fk.referencedColumns.map(quoteIdent).join(', ')})` +
          `${fk.match === 'FULL' ? ' MATCH FULL' : ''} ON UPDATE ${fk.onUpdate} ON DELETE ${fk.onDelete}${fk.deferrable ? ' DEFERRABLE' : ''}${fk.validated ? '' : ' NOT VALID'}`,
      });
    }
  }
  for (const t of snapshot.tables) {
    for (const i of t.indexes) {
      if (i.constraint || !i.valid || i.definition === '') continue;
      if (t.partitionOf && isInheritedIndex(snapshot, t, i.name)) continue;
      out.push({ object: `index ${t.schema}.${i.name}`, sql: i.definition });
    }
  }
  for (const t of snapshot.tables) {
    for (const trigger of t.triggers) {
      out.push({ object: `trigger ${trigger.name} on ${t.schema}.${t.name}`, sql: trigger.definition });
      if (trigger.enabled === 'disabled') {
        out.push({
          object: `trigger ${trigger.name}`,
          sql: `ALTER TABLE ${qn(t.schema, t.name)} DISABLE TRIGGER ${quoteIdent(trigger.name)}`,
        });
      }
    }
  }
  for (const v of viewsInDependencyOrder(snapshot.views)) {
    out.push({
      object: `${v.materialized ? 'materialized view' : 'view'} ${v.schema}.${v.name}`,
      sql: `CREATE ${v.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${qn(v.schema, v.name)} AS ${v.definition.replace(/;\s*$/, '')}`,
    });
    for (const i of v.indexes) out.push({ object: `index ${v.schema}.${i.name}`, sql: i.definition });
  }
  for (const t of snapshot.tables) {
    if (t.comment !== null)
      out.push({
        object: `comment on ${t.schema}.${t.name}`,
        sql: `COMMENT ON TABLE ${qn(t.schema, t.name)} IS ${quoteLiteral(t.comment)}`,
      });
    for (const c of t.columns) {
      if (c.comment !== null) {
        out.push({
          object: `comment on ${t.schema}.${t.name}.${c.name}`,
          sql: `COMMENT ON COLUMN ${qn(t.schema, t.name)}.${quoteIdent(c.name)} IS ${quoteLiteral(c.comment)}`,
        });
      }
    }
  }
  return out;
}

function createTable(t: Table): string {
  const name = qn(t.schema, t.name);
  if (t.partitionOf) {
    const [schema, parent] = splitQualified(t.partitionOf);
    return `CREATE TABLE ${name} PARTITION OF ${qn(schema, parent)} ${t.partitionBound ?? 'DEFAULT'}`;
  }
  const columns = t.columns.map(columnDdl);
  return `CREATE TABLE ${name} (${columns.join(', ')})${t.partitionKey ? ` PARTITION BY ${t.partitionKey}` : ''}`;
}

function columnDdl(c: Column): string {
  const parts = [quoteIdent(c.name), c.type];
  if (c.collation) parts.push(`COLLATE ${c.collation.split('.').map(quoteIdent).join('.')}`);
  if (c.generated) parts.push(`GENERATED ALWAYS AS (${c.generated.replace(/^\((.*)\)$/s, '$1')}) STORED`);
  else if (c.identity)
    parts.push(`GENERATED ${c.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`);
  else if (c.default !== null) parts.push(`DEFAULT ${c.default}`);
  if (!c.nullable) parts.push('NOT NULL');
  return parts.join(' ');
}

function isIdentitySequence(snapshot: SchemaSnapshot, ownedBy: string): boolean {
  const [schema, table, column] = ownedBy.split('.');
  const t = snapshot.tables.find((x) => x.schema === schema && x.name === table);
  return (
    t?.columns.find((c) => c.name === column)?.identity !== null &&
    t?.columns.find((c) => c.name === column) !== undefined
  );
}

function isInheritedIndex(snapshot: SchemaSnapshot, partition: Table, index: string): boolean {
  // A partition gets the parent's indexes automatically; only its own extra ones need creating.
  const [schema, name] = splitQualified(partition.partitionOf ?? '');
  const parent = snapshot.tables.find((t) => t.schema === schema && t.name === name);
  const own = partition.indexes.find((i) => i.name === index);
  return parent?.indexes.some((i) => own !== undefined && sameColumns(i.columns, own.columns)) ?? false;
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function splitQualified(qualified: string): [string, string] {
  const dot = qualified.indexOf('.');
  return [qualified.slice(0, dot), qualified.slice(dot + 1)];
}

/** Views that read other views come after them. */
export function viewsInDependencyOrder(views: readonly View[]): View[] {
  const byName = new Map(views.map((v) => [`${v.schema}.${v.name}`, v]));
  const done = new Set<string>();
  const out: View[] = [];
  const visit = (v: View, path: Set<string>) => {
    const key = `${v.schema}.${v.name}`;
    if (done.has(key) || path.has(key)) return;
    path.add(key);
    for (const d of v.dependsOn) {
      const dep = byName.get(d.relation);
      if (dep) visit(dep, path);
    }
    done.add(key);
    out.push(v);
  };
  for (const v of views) visit(v, new Set());
  return out;
}
