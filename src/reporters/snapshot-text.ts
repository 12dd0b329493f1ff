import { factKeyWords } from '../core/dialect/version.js';
import type { Column, SchemaSnapshot, Table, View } from '../core/snapshot.js';
import type { Painter } from './ansi.js';
import { plainPainter } from './ansi.js';
import { formatBytes, formatCount } from './units.js';

/** Human-readable snapshot for a terminal: one block per table, then views, types, sequences. */
export function renderSnapshotText(snapshot: SchemaSnapshot, paint: Painter = plainPainter): string {
  const out: string[] = [];
  out.push(
    `${paint.bold(snapshot.database)} · ${snapshot.dialect === 'postgres' ? `PostgreSQL ${snapshot.serverVersion}` : factKeyWords(snapshot.dialect, snapshot.serverVersionNum)} · schemas ${snapshot.schemas.join(', ') || '(none)'}`,
  );
  out.push(
    paint.dim(
      `${snapshot.tables.length} tables, ${snapshot.views.length} views, ${snapshot.sequences.length} sequences, ` +
        `${snapshot.enums.length} enums · hash ${snapshot.hash.slice(0, 12)}`,
    ),
  );
  for (const table of snapshot.tables) out.push('', ...renderTable(table, paint));
  for (const view of snapshot.views) out.push('', ...renderView(view, paint));
  if (snapshot.enums.length > 0) {
    out.push('', paint.bold('enums'));
    for (const e of snapshot.enums) out.push(`  ${e.schema}.${e.name}: ${e.values.join(', ')}`);
  }
  if (snapshot.sequences.length > 0) {
    out.push('', paint.bold('sequences'));
    for (const s of snapshot.sequences) {
      const owned = s.ownedBy ? ` owned by ${s.ownedBy}` : '';
      out.push(`  ${s.schema}.${s.name} ${s.dataType} start ${s.start} increment ${s.increment}${owned}`);
    }
  }
  if (snapshot.extensions.length > 0) {
    out.push('', paint.bold('extensions'));
    out.push(`  ${snapshot.extensions.map((e) => `${e.name} ${e.version}`).join(', ')}`);
  }
  return out.join('\n') + '\n';
}

export function renderTable(table: Table, paint: Painter = plainPainter): string[] {
  const rows =
    table.stats.rowEstimate === null ? 'rows unknown' : `~${formatCount(table.stats.rowEstimate)} rows`;
  const lines = [
    `${paint.bold(`${table.schema}.${table.name}`)} ${paint.dim(
      `${table.kind} · ${rows} · ${formatBytes(table.stats.tableBytes)} + ${formatBytes(table.stats.indexBytes)} indexes`,
    )}`,
  ];
  if (table.partitionKey) lines.push(`  partitioned by ${table.partitionKey}`);
  if (table.partitionOf)
    lines.push(`  partition of ${table.partitionOf} ${table.partitionBound ?? ''}`.trimEnd());
  lines.push(...renderColumns(table.columns));
  if (table.primaryKey)
    lines.push(`  primary key ${table.primaryKey.name} (${table.primaryKey.columns.join(', ')})`);
  for (const u of table.uniqueConstraints) lines.push(`  constraint ${u.name} ${u.definition}`);
  for (const c of table.checkConstraints) lines.push(`  constraint ${c.name} ${c.definition}`);
  for (const x of table.exclusionConstraints) lines.push(`  constraint ${x.name} ${x.definition}`);
  for (const fk of table.foreignKeys) {
    const nv = fk.validated ? '' : ' NOT VALID';
    lines.push(
      `  foreign key ${fk.name} (${fk.columns.join(', ')}) → ${fk.referencedSchema}.${fk.referencedTable}` +
        ` (${fk.referencedColumns.join(', ')}) on delete ${fk.onDelete}${nv}`,
    );
  }
  for (const i of table.indexes) {
    if (i.constraint) continue;
    const flags = [i.unique ? 'unique' : '', i.valid ? '' : paint.red('INVALID')].filter(Boolean).join(' ');
    lines.push(
      `  index ${i.name} ${flags ? flags + ' ' : ''}${i.method} (${i.columns.join(', ')})${i.predicate ? ` where ${i.predicate}` : ''}`,
    );
  }
  for (const t of table.triggers)
    lines.push(`  trigger ${t.name} → ${t.function}${t.enabled === 'disabled' ? ' (disabled)' : ''}`);
  return lines;
}

function renderView(view: View, paint: Painter): string[] {
  const kind = view.materialized ? 'materialized view' : 'view';
  const deps = view.dependsOn.map((d) =>
    d.columns.length ? `${d.relation}(${d.columns.join(', ')})` : d.relation,
  );
  return [
    `${paint.bold(`${view.schema}.${view.name}`)} ${paint.dim(kind)}`,
    `  reads ${deps.join(', ') || '(nothing)'}`,
  ];
}

function renderColumns(columns: readonly Column[]): string[] {
  const width = Math.max(0, ...columns.map((c) => c.name.length));
  const typeWidth = Math.max(0, ...columns.map((c) => c.type.length));
  return columns.map((c) => {
    const extras = [
      c.nullable ? '' : 'not null',
      c.default !== null ? `default ${c.default}` : '',
      c.identity ? `identity ${c.identity}` : '',
      c.generated ? `generated ${c.generated}` : '',
      c.collation ? `collate ${c.collation}` : '',
    ].filter(Boolean);
    return `  ${c.name.padEnd(width)}  ${c.type.padEnd(typeWidth)}  ${extras.join(' · ')}`.trimEnd();
  });
}
