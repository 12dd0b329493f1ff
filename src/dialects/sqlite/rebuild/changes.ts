/**
 * The Changes a rebuild makes, as edits of the table's CREATE TABLE text, with what the copy
 * must compute instead of copying (a type change's USING) and what to check before the rebuild
 * takes the write lock (rows the new constraint would refuse).
 */
import type { Change } from '../../../core/change.js';
import { SchemapilotError } from '../../../core/errors.js';
import type { PlanCheck } from '../../../core/plan.js';
import type { Quoter } from '../../../core/rule.js';
import type { DefinitionEdit } from './edit.js';
import { columnDefinition, constraintDefinition, defaultValue } from './render.js';

export interface PlannedEdits {
  edits: DefinitionEdit[];
  /** Column → the expression over the old row that fills it (USING), where it is not the column itself. */
  computed: Map<string, string>;
  preChecks: PlanCheck[];
  /** The changes in words, for the step's description. */
  words: string[];
}

function noNulls(q: Quoter, table: string, column: string): PlanCheck {
  return {
    description: `no NULL in ${table}.${column}`,
    sql: `SELECT NOT EXISTS (SELECT 1 FROM ${q.table(table)} WHERE ${q.ident(column)} IS NULL)`,
  };
}

function constraintChecks(
  q: Quoter,
  table: string,
  change: Extract<Change, { kind: 'add constraint' }>,
): PlanCheck[] {
  const c = change.constraint;
  const t = q.table(table);
  if (c.type === 'check')
    return [
      {
        // A CHECK holds when its expression is true or NULL: only a false one is refused.
        description: `every row of ${table} passes CHECK (${c.expr.sql})`,
        sql: `SELECT NOT EXISTS (SELECT 1 FROM ${t} WHERE NOT (${c.expr.sql}))`,
      },
    ];
  if (c.type === 'unique' || c.type === 'primary key') {
    const cols = c.columns.map((col) => q.ident(col));
    // NULLs never collide in a UNIQUE constraint (https://www.sqlite.org/lang_createtable.html#unique_constraints).
    const notNull = cols.map((col) => `${col} IS NOT NULL`).join(' AND ');
    return [
      {
        description: `no two rows of ${table} share (${c.columns.join(', ')})`,
        sql: `SELECT NOT EXISTS (SELECT 1 FROM ${t} WHERE ${notNull} GROUP BY ${cols.join(', ')} HAVING count(*) > 1)`,
      },
    ];
  }
  if (c.type === 'foreign key' && c.references.columns.length === c.columns.length) {
    const parent = q.table(c.references.table);
    const set = c.columns.map((col) => `child.${q.ident(col)} IS NOT NULL`).join(' AND ');
    const match = c.columns
      .map((col, i) => `parent.${q.ident(c.references.columns[i] ?? col)} = child.${q.ident(col)}`)
      .join(' AND ');
    return [
      {
        description: `every ${table} row's (${c.columns.join(', ')}) is in ${c.references.table}`,
        sql: `SELECT NOT EXISTS (SELECT 1 FROM ${t} AS child WHERE ${set} AND NOT EXISTS (SELECT 1 FROM ${parent} AS parent WHERE ${match}))`,
      },
    ];
  }
  return [];
}

function unsupported(change: Change): never {
  throw new SchemapilotError(`a table rebuild does not make ${change.kind} changes`);
}

/** The edits of every Change, in order; throws for a Change a rebuild cannot make. */
export function plannedEdits(q: Quoter, table: string, changes: readonly Change[]): PlannedEdits {
  const out: PlannedEdits = { edits: [], computed: new Map(), preChecks: [], words: [] };
  for (const change of changes) {
    switch (change.kind) {
      case 'alter column type':
        out.edits.push({ kind: 'set type', column: change.column, type: change.type.sql });
        if (change.collation) throw new SchemapilotError('write COLLATE as its own change of the column');
        if (change.using && !change.usingIsColumn) out.computed.set(change.column, change.using.sql);
        out.words.push(`${change.column} becomes ${change.type.sql}`);
        break;
      case 'set not null':
        out.edits.push({ kind: 'set not null', column: change.column });
        out.preChecks.push(noNulls(q, table, change.column));
        out.words.push(`${change.column} NOT NULL`);
        break;
      case 'drop not null':
        out.edits.push({ kind: 'drop not null', column: change.column });
        out.words.push(`${change.column} nullable`);
        break;
      case 'set default':
        out.edits.push({ kind: 'set default', column: change.column, value: defaultValue(change.default) });
        out.words.push(`${change.column} DEFAULT ${change.default.sql}`);
        break;
      case 'drop default':
        out.edits.push({ kind: 'drop default', column: change.column });
        out.words.push(`${change.column} without a default`);
        break;
      case 'drop column':
        out.edits.push({ kind: 'drop column', column: change.column });
        out.words.push(`${change.column} dropped`);
        break;
      case 'add column':
        out.edits.push({
          kind: 'add column',
          column: change.column.name,
          definition: columnDefinition(q, change.column),
        });
        out.words.push(`${change.column.name} added`);
        break;
      case 'add constraint': {
        const spec = change.constraint;
        if (spec.type === 'not null') {
          out.edits.push({ kind: 'set not null', column: spec.column });
          out.preChecks.push(noNulls(q, table, spec.column));
          out.words.push(`${spec.column} NOT NULL`);
          break;
        }
        const definition = constraintDefinition(q, spec);
        if (definition === null) unsupported(change);
        out.edits.push({ kind: 'add constraint', definition });
        out.preChecks.push(...constraintChecks(q, table, change));
        out.words.push(`${spec.type} ${spec.name ?? ''} added`.replace(/\s+/g, ' ').trim());
        break;
      }
      case 'drop constraint':
        out.edits.push({ kind: 'drop constraint', name: change.name });
        out.words.push(`constraint ${change.name} dropped`);
        break;
      default:
        unsupported(change);
    }
  }
  return out;
}
