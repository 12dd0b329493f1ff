/**
 * ALTER TABLE: one Change per clause, in the order written. `ALGORITHM=` and `LOCK=` are not
 * Changes: they go on every Change of the statement (DdlOptions in core/change.ts). Table
 * options and partition clauses are `alter table other` with their words until facts model
 * them; `rewrites` there is the manual's first guess (facts measure the truth on the server).
 */
import type { Change, ChangeOf, ColumnPosition, DdlOptions } from '../../../core/change.js';
import { columnName, exprText, ident, isNode, nodes, str, tableName, type Node } from './common.js';
import { columnSpec, constraintSpec, indexSpec } from './table.js';

const ALGORITHMS = ['DEFAULT', 'INSTANT', 'NOCOPY', 'INPLACE', 'COPY'] as const;
const LOCKS = ['DEFAULT', 'NONE', 'SHARED', 'EXCLUSIVE'] as const;

/** ALGORITHM=/LOCK= among the clauses (or CREATE/DROP INDEX options). */
export function ddlOptions(clauses: Node[]): DdlOptions {
  const out: DdlOptions = {};
  for (const c of clauses) {
    const algorithm = (str(c['algorithm']) ?? '').toUpperCase();
    const lock = (str(c['lock']) ?? '').toUpperCase();
    if (c['resource'] === 'algorithm') {
      const a = ALGORITHMS.find((x) => x === algorithm);
      if (a) out.algorithm = a;
    } else if (c['resource'] === 'lock') {
      const l = LOCKS.find((x) => x === lock);
      if (l) out.lock = l;
    }
  }
  return out;
}

/** Table options: whether the manual says the option rebuilds the table. */
const TABLE_OPTIONS: Record<string, boolean> = {
  engine: true,
  row_format: true,
  key_block_size: true,
  comment: false,
  auto_increment: false,
  'default charset': false,
  'character set': false,
  'default character set': false,
  charset: false,
  collate: false,
  'default collate': false,
};

/** Partition operations: rebuild (copy rows between partitions) or not. */
const PARTITION_REWRITES: Record<string, boolean> = {
  add: false,
  drop: false,
  truncate: false,
  discard: false,
  import: false,
  exchange: false,
  analyze: false,
  check: false,
  coalesce: true,
  reorganize: true,
  rebuild: true,
  optimize: true,
  repair: false,
  remove: true,
  by: true,
};

export function lowerAlterTable(node: Node, defaultSchema: string): Change[] {
  const table = tableName(nodes(node['table'])[0], defaultSchema);
  const clauses = nodes(node['expr']);
  const options = ddlOptions(clauses);
  const out: Change[] = [];
  for (const c of clauses) {
    if (c['resource'] === 'algorithm' || c['resource'] === 'lock') continue;
    for (const change of lowerClause(c, table, defaultSchema))
      out.push(change.kind === 'unknown' ? change : ({ ...change, ...options } as Change));
  }
  return out;
}

function position(clause: Node): { position?: ColumnPosition } {
  const s = isNode(clause['suffix']) ? clause['suffix'] : null;
  const keyword = (str(s?.['keyword']) ?? '').toUpperCase();
  if (keyword === 'FIRST') return { position: { first: true } };
  if (keyword === 'AFTER') return { position: { after: columnName(s?.['expr']) } };
  return {};
}

function other(table: string, subtype: string, rewrites: boolean): Change {
  return { kind: 'alter table other', table, subtype, rewrites };
}

function lowerClause(c: Node, table: string, defaultSchema: string): Change[] {
  const resource = str(c['resource']) ?? '';
  const action = (str(c['action']) ?? '').toLowerCase();
  const ifExists = c['if_exists'] === true;
  const ifNotExists = c['if_not_exists'] === true;
  const keyword = (str(c['keyword']) ?? '').toLowerCase();
  if (resource === 'column') {
    if (action === 'add')
      return [
        { kind: 'add column', table, column: columnSpec(c, defaultSchema), ifNotExists, ...position(c) },
      ];
    if (action === 'drop')
      return [{ kind: 'drop column', table, column: columnName(c['column']), ifExists, cascade: false }];
    if (action === 'rename')
      return [
        {
          kind: 'rename column',
          table,
          column: columnName(c['old_column']),
          newName: columnName(c['column']),
        },
      ];
    if (action === 'modify' || action === 'change') return redefine(c, table, defaultSchema);
  }
  if (resource === 'column_default') {
    const column = ident(str(c['column']) ?? '');
    if (action === 'drop') return [{ kind: 'drop default', table, column }];
    return [{ kind: 'set default', table, column, default: exprText(str(c['default']) ?? '') }];
  }
  if (resource === 'index' && action === 'add') {
    return [{ kind: 'create index', index: indexSpec(c, table, keyword, c['definition'], ifNotExists) }];
  }
  if (resource === 'index' && action === 'drop') {
    const name = ident(str(c['index']) ?? '');
    // `DROP INDEX \`PRIMARY\`` drops the primary key.
    if (name.toUpperCase() === 'PRIMARY') return [dropConstraint(table, 'PRIMARY', ifExists)];
    return [dropIndex(table, name, ifExists)];
  }
  if (resource === 'index' && action === 'rename') {
    const schema = table.slice(0, table.indexOf('.'));
    return [
      {
        kind: 'rename index',
        index: `${schema}.${str(c['old']) ?? ''}`,
        newName: str(c['new']) ?? '',
        table,
      },
    ];
  }
  if (resource === 'constraint' && action === 'add' && isNode(c['create_definitions'])) {
    const def = c['create_definitions'];
    const spec = constraintSpec(def, defaultSchema, c['enforced']);
    if (spec) return [{ kind: 'add constraint', table, constraint: spec }];
    const kind = (str(def['keyword']) ?? str(def['constraint_type']) ?? '').toLowerCase();
    return [{ kind: 'create index', index: indexSpec(def, table, kind, def['definition'], ifNotExists) }];
  }
  if ((resource === 'constraint' || resource === 'key') && action === 'drop') {
    // DROP PRIMARY KEY has no name: the server's is PRIMARY. DROP FOREIGN KEY/CHECK/CONSTRAINT name.
    const name = keyword === 'primary key' ? 'PRIMARY' : ident(str(c['constraint']) ?? str(c['key']) ?? '');
    return [dropConstraint(table, name, ifExists)];
  }
  if (resource === 'table' && action === 'rename') {
    const to = str(c['table']) ?? '';
    const newName = to.includes('.') ? to : `${table.slice(0, table.indexOf('.'))}.${ident(to)}`;
    return [{ kind: 'rename table', table, newName }];
  }
  if (resource === 'convert_charset') {
    const collate = str(c['collate']);
    const words = `CONVERT TO CHARACTER SET ${str(c['charset']) ?? ''}${collate ? ` COLLATE ${collate}` : ''}`;
    return [other(table, words, true)];
  }
  if (resource === 'column_visibility')
    return [
      other(
        table,
        `ALTER COLUMN ${str(c['column']) ?? ''} SET ${c['visible'] ? 'VISIBLE' : 'INVISIBLE'}`,
        false,
      ),
    ];
  if (resource === 'index_visibility')
    return [
      other(table, `ALTER INDEX ${str(c['index']) ?? ''} ${c['visible'] ? 'VISIBLE' : 'INVISIBLE'}`, false),
    ];
  if (resource === 'force') return [other(table, 'FORCE', true)];
  if (resource === 'partition') {
    const text = str(c['text']) ?? partitionWords(c);
    return [other(table, text.replace(/\s+/g, ' '), PARTITION_REWRITES[action] ?? true)];
  }
  if (resource in TABLE_OPTIONS) {
    const value = c[resource];
    const shown = isNode(value) ? String(value['value'] ?? '') : String(value ?? '');
    return [other(table, `${resource.toUpperCase()}=${shown}`, TABLE_OPTIONS[resource] ?? true)];
  }
  return [
    {
      kind: 'unknown',
      statementType: `ALTER TABLE ${[action, resource].filter(Boolean).join(' ').toUpperCase()}`,
    },
  ];
}

function partitionWords(c: Node): string {
  const names = nodes(c['partitions']).map((p) =>
    isNode(p['expr']) ? String(p['expr']['column'] ?? p['expr']['value']) : '',
  );
  return `${(str(c['action']) ?? '').toUpperCase()} PARTITION ${names.join(', ')}`;
}

function dropConstraint(table: string, name: string, ifExists: boolean): Change {
  return { kind: 'drop constraint', table, name, ifExists, cascade: false };
}

function dropIndex(table: string, name: string, ifExists: boolean): ChangeOf<'drop index'> {
  const schema = table.slice(0, table.indexOf('.'));
  return {
    kind: 'drop index',
    indexes: [`${schema}.${name}`],
    concurrently: false,
    ifExists,
    cascade: false,
    table,
  };
}

export { dropIndex };

/**
 * MODIFY and CHANGE restate the whole column: what is not written is gone (no NOT NULL means
 * NULL allowed, no DEFAULT means none). Without the catalog we cannot tell what differs, so one
 * clause becomes, in this order: `rename column` (CHANGE to another name), `alter column type`
 * (always: the type as written, with FIRST/AFTER; facts compare it with the catalog),
 * `set not null` or `drop not null` (always), `set default` or `drop default` (always),
 * `add identity` when AUTO_INCREMENT is written, `set generated expression` when AS (…) is.
 * All after the rename name the column by its new name.
 */
function redefine(c: Node, table: string, defaultSchema: string): Change[] {
  const spec = columnSpec(c, defaultSchema);
  const old = c['old_column'] ? columnName(c['old_column']) : spec.name;
  const column = spec.name;
  const out: Change[] = [];
  if (old !== column) out.push({ kind: 'rename column', table, column: old, newName: column });
  out.push({
    kind: 'alter column type',
    table,
    column,
    type: spec.type,
    using: null,
    usingIsColumn: false,
    collation: spec.collation,
    ...position(c),
  });
  out.push({ kind: spec.notNull ? 'set not null' : 'drop not null', table, column });
  out.push(
    spec.default
      ? { kind: 'set default', table, column, default: spec.default }
      : { kind: 'drop default', table, column },
  );
  if (spec.identity) out.push({ kind: 'add identity', table, column, identity: spec.identity });
  if (spec.generated)
    out.push({ kind: 'set generated expression', table, column, expr: spec.generated.expr });
  return out;
}
