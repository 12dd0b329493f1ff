/**
 * Structural differences between two snapshots, as a reviewer would state them: "column
 * public.users.token added", "index orders_status_idx: definition differs". Used to check that
 * a plan leaves the schema the original migration intended, and that its rollback restores the
 * original. Physical details that a safe migration cannot and need not preserve are ignored:
 * column order (expand/contract appends columns), statistics, sizes, object ids.
 */
import type { Column, SchemaSnapshot, Table } from '../core/snapshot.js';
import { compareStrings } from '../core/sort.js';

export interface SchemaDifference {
  /** `table public.users`, `column public.users.email`, `index public.orders_status_idx`, … */
  object: string;
  change: 'added' | 'removed' | 'changed';
  /** For `changed`: what differs, before → after. */
  detail?: string;
}

export function diffSnapshots(before: SchemaSnapshot, after: SchemaSnapshot): SchemaDifference[] {
  const out: SchemaDifference[] = [];
  const tablesA = byKey(before.tables, (t) => `${t.schema}.${t.name}`);
  const tablesB = byKey(after.tables, (t) => `${t.schema}.${t.name}`);
  for (const [name, a] of tablesA) {
    const b = tablesB.get(name);
    if (!b) out.push({ object: `table ${name}`, change: 'removed' });
    else out.push(...diffTable(name, a, b));
  }
  for (const name of tablesB.keys())
    if (!tablesA.has(name)) out.push({ object: `table ${name}`, change: 'added' });
  diffNamed(
    out,
    'view',
    before.views,
    after.views,
    (v) => `${v.schema}.${v.name}`,
    (v) => `${v.materialized ? 'materialized ' : ''}${v.definition}`,
  );
  // SQLite: a view's INSTEAD OF triggers go with it when it is dropped; a rebuild must bring them back.
  const viewsB = byKey(after.views, (v) => `${v.schema}.${v.name}`);
  for (const a of before.views) {
    const b = viewsB.get(`${a.schema}.${a.name}`);
    if (b && (a.triggers !== undefined || b.triggers !== undefined))
      diffNamed(
        out,
        'trigger',
        a.triggers ?? [],
        b.triggers ?? [],
        (t) => `${a.schema}.${a.name}.${t.name}`,
        (t) => `${t.definition} ${t.enabled}`,
      );
  }
  diffNamed(
    out,
    'enum',
    before.enums,
    after.enums,
    (e) => `${e.schema}.${e.name}`,
    (e) => e.values.join(', '),
  );
  diffNamed(
    out,
    'sequence',
    before.sequences,
    after.sequences,
    (s) => `${s.schema}.${s.name}`,
    (s) => `${s.dataType} owned by ${s.ownedBy ?? '-'}`,
  );
  diffNamed(
    out,
    'extension',
    before.extensions,
    after.extensions,
    (e) => e.name,
    (e) => e.version,
  );
  diffNamed(
    out,
    'function',
    before.functions,
    after.functions,
    (f) => `${f.schema}.${f.name}(${f.arguments})`,
    (f) => f.definition,
  );
  return out.sort((x, y) => compareStrings(x.object, y.object) || compareStrings(x.change, y.change));
}

function diffTable(name: string, a: Table, b: Table): SchemaDifference[] {
  const out: SchemaDifference[] = [];
  diffNamed(out, 'column', a.columns, b.columns, (c) => `${name}.${c.name}`, describeColumn);
  diffNamed(
    out,
    'constraint',
    constraints(a),
    constraints(b),
    (c) => `${name}.${c.name}`,
    (c) => c.text,
  );
  diffNamed(
    out,
    'index',
    a.indexes,
    b.indexes,
    (i) => `${a.schema}.${i.name}`,
    (i) => `${i.definition}${i.valid ? '' : ' INVALID'}`,
  );
  diffNamed(
    out,
    'trigger',
    a.triggers,
    b.triggers,
    (t) => `${name}.${t.name}`,
    (t) => `${t.definition} ${t.enabled}`,
  );
  if (a.kind !== b.kind)
    out.push({ object: `table ${name}`, change: 'changed', detail: `${a.kind} → ${b.kind}` });
  // SQLite's table options: a rebuild that drops WITHOUT ROWID or STRICT changes the table.
  if (tableOptions(a) !== tableOptions(b))
    out.push({
      object: `table ${name}`,
      change: 'changed',
      detail: `${tableOptions(a) || 'no options'} → ${tableOptions(b) || 'no options'}`,
    });
  return out;
}

function tableOptions(t: Table): string {
  return [t.withoutRowid ? 'WITHOUT ROWID' : '', t.strict ? 'STRICT' : ''].filter(Boolean).join(', ');
}

function describeColumn(c: Column): string {
  return [
    c.type,
    c.nullable ? 'null' : 'not null',
    c.default !== null ? `default ${c.default}` : '',
    c.identity ? `identity ${c.identity}` : '',
    c.generated ? `generated ${c.generated}${c.generatedKind ? ` ${c.generatedKind}` : ''}` : '',
    c.collation ? `collate ${c.collation}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function constraints(t: Table): { name: string; text: string }[] {
  return [
    ...(t.primaryKey
      ? [{ name: t.primaryKey.name, text: `PRIMARY KEY (${t.primaryKey.columns.join(', ')})` }]
      : []),
    ...t.uniqueConstraints.map((u) => ({ name: u.name, text: u.definition })),
    ...t.checkConstraints.map((c) => ({ name: c.name, text: c.definition })),
    ...t.exclusionConstraints.map((x) => ({ name: x.name, text: x.definition })),
    ...t.foreignKeys.map((f) => ({
      name: f.name,
      text: `FOREIGN KEY (${f.columns.join(', ')}) REFERENCES ${f.referencedSchema}.${f.referencedTable} (${f.referencedColumns.join(', ')}) ON DELETE ${f.onDelete} ON UPDATE ${f.onUpdate}${f.deferrable ? ' DEFERRABLE' : ''}${f.validated ? '' : ' NOT VALID'}`,
    })),
  ];
}

function diffNamed<T>(
  out: SchemaDifference[],
  kind: string,
  a: readonly T[],
  b: readonly T[],
  key: (item: T) => string,
  describe: (item: T) => string,
): void {
  const mapA = byKey(a, key);
  const mapB = byKey(b, key);
  for (const [k, x] of mapA) {
    const y = mapB.get(k);
    if (y === undefined) out.push({ object: `${kind} ${k}`, change: 'removed' });
    else if (describe(x) !== describe(y))
      out.push({ object: `${kind} ${k}`, change: 'changed', detail: `${describe(x)} → ${describe(y)}` });
  }
  for (const k of mapB.keys()) if (!mapA.has(k)) out.push({ object: `${kind} ${k}`, change: 'added' });
}

function byKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  return new Map(items.map((i) => [key(i), i]));
}

/** One line per difference, for messages and test failures. */
export function formatDifferences(diffs: readonly SchemaDifference[]): string {
  return diffs.map((d) => `${d.object} ${d.change}${d.detail ? `: ${d.detail}` : ''}`).join('\n');
}
