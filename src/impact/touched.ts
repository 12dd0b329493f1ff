/**
 * Which queries a plan step can change the server's answer for, so that only those are
 * prepared again after it. A step is read as the analysis reads a migration (the dialect's
 * parser, lowered to Changes); a query by its shape (the tables it names). Every doubt counts
 * as "may change anything": a statement that does not lower, a Change without a table we know
 * (an enum, a function, a view created), CASCADE, `SET search_path`; a query whose shape is
 * unknown is always prepared again. Tables are matched by bare name, so that a new table of the
 * same name in another schema (which the search path may now find first) also counts.
 *
 * Relatives a statement reaches without naming them: the partitions of a partitioned table
 * (from the snapshot). A dropped column or table also drops the sequences it owned, which a
 * query may name only in a string (`nextval('orders_id_seq')`): after a step that drops
 * something, a query holding any string literal is prepared again. Children of plain table
 * inheritance are not in the snapshot: see docs/decisions/0018.
 */
import type { Change } from '../core/change.js';
import type { Dialect } from '../core/dialect/index.js';
import type { QueryShape } from '../core/dialect/query-shape.js';
import type { PlanStep } from '../core/plan.js';
import type { SchemaSnapshot } from '../core/snapshot.js';

/** What a step may have changed: everything, or these bare relation names. */
export type StepReach = { all: true } | { all: false; names: ReadonlySet<string>; drops: boolean };

/** The names a query depends on, or null when unknown (always prepared again). */
export interface QueryNames {
  tables: readonly string[];
  /** It holds a string literal, which may name a relation (`'orders_id_seq'`, `'users'::regclass`). */
  literals: boolean;
}

/** Changes that cannot alter how any query compiles. */
const INERT = new Set<Change['kind']>([
  'validate constraint',
  'dml',
  'vacuum',
  'cluster',
  'reindex',
  'lock table',
  'comment',
  'grant',
  'select',
  'set timeout',
  'transaction',
  'refresh materialized view',
  'truncate',
]);

const DROPS = new Set<Change['kind']>(['drop column', 'drop table', 'drop identity', 'drop view']);

export function stepReach(dialect: Dialect, step: PlanStep, snapshot: SchemaSnapshot | null): StepReach {
  const { language } = dialect;
  const engine = language.engine(language.defaultSchema);
  let changes: Change[];
  try {
    changes = step.sql.flatMap((sql) =>
      engine.parse(sql, step.id).statements.flatMap((s) => engine.lower(s.ast, language.defaultSchema)),
    );
  } catch {
    return { all: true };
  }
  const names = new Set<string>();
  let drops = false;
  for (const change of changes) {
    if (INERT.has(change.kind)) continue;
    if (change.kind === 'set') {
      if (/search_path/i.test(change.name)) return { all: true };
      continue;
    }
    if ('cascade' in change && change.cascade) return { all: true };
    const named = relationsOf(change);
    if (named.length === 0) return { all: true };
    for (const name of named) names.add(bare(name));
    drops ||= DROPS.has(change.kind);
  }
  addPartitions(names, snapshot);
  return { all: false, names, drops };
}

/** Whether a query must be prepared again after a step of this reach. */
export function isDue(query: QueryNames | null, reach: StepReach): boolean {
  if (!query || reach.all) return true;
  if (reach.drops && query.literals) return true;
  return query.tables.some((t) => reach.names.has(bare(t)));
}

export function queryNames(shapes: readonly QueryShape[] | null): QueryNames | null {
  if (!shapes) return null;
  return {
    tables: [...new Set(shapes.flatMap((s) => [...s.tables, ...(s.table ? [s.table] : [])]))],
    literals: shapes.some((s) => s.literals.length > 0),
  };
}

function relationsOf(change: Change): string[] {
  const found: string[] = [];
  const record = change as unknown as Record<string, unknown>;
  for (const key of ['table', 'partition', 'view']) {
    const value = record[key];
    if (typeof value === 'string') found.push(value);
  }
  for (const key of ['tables', 'views']) {
    const value = record[key];
    if (Array.isArray(value)) found.push(...value.filter((v): v is string => typeof v === 'string'));
  }
  if (change.kind === 'create index') found.push(change.index.table);
  return found;
}

/** ALTER TABLE on a partitioned table recurses into its partitions, at every level. */
function addPartitions(names: Set<string>, snapshot: SchemaSnapshot | null): void {
  const tables = snapshot?.tables ?? [];
  for (let grew = true; grew;) {
    grew = false;
    for (const t of tables)
      if (t.partitionOf && names.has(bare(t.partitionOf)) && !names.has(t.name)) {
        names.add(t.name);
        grew = true;
      }
  }
}

function bare(name: string): string {
  return name.replace(/^.*\./, '').replace(/"/g, '');
}
