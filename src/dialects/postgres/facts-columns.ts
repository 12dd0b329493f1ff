/**
 * PostgreSQL facts of column changes: ADD COLUMN (defaults, volatility, identity, generated),
 * type changes (rewrite or not, per version and time zone), SET NOT NULL (a scan unless a valid
 * CHECK proves it, 12+), DROP COLUMN. Sources and verification: facts.ts.
 */
import { type ChangeFacts, type ValidatedConstraint } from '../../core/analysis.js';
import type { ChangeOf, ColumnSpec } from '../../core/change.js';
import type { FactContext } from '../../core/facts.js';
import type { Index } from '../../core/snapshot.js';
import { typeRefFromCatalog } from './ast.js';
import { facts, lock } from './facts-common.js';
import { addLock, foreignKeysOnColumn, hasIndexes, referencedTable, viewsDroppedWith } from './relatives.js';
import { typeChangeFact } from './type-change.js';
import { expressionVolatility } from './volatility.js';

export function isVolatileDefault(
  column: ColumnSpec,
  ctx: FactContext,
): { volatile: boolean; assumed: string[] } {
  if (!column.default || column.default.constant) return { volatile: false, assumed: [] };
  const { volatility, assumed } = expressionVolatility(column.default, (fn) => ctx.volatility(fn));
  return { volatile: volatility === 'volatile', assumed };
}

export function addColumnFacts(change: ChangeOf<'add column'>, ctx: FactContext): ChangeFacts {
  const { column } = change;
  const locks = [lock(change.table, 'ACCESS EXCLUSIVE')];
  if (column.references) locks.push(lock(column.references.table, 'SHARE ROW EXCLUSIVE'));
  const notes: string[] = [];
  let rewrites = false;
  if (column.generated?.stored) {
    rewrites = true;
    notes.push('a stored generated column is computed for every row');
  } else if (column.generated) {
    notes.push('a virtual generated column (PostgreSQL 18+) is computed on read: no rewrite');
  } else if (column.type.serial || column.identity) {
    rewrites = true;
    notes.push(`${column.type.serial ?? 'an identity column'} fills every row from a sequence`);
  } else if (column.default && !(column.default.constant && /^null(::.*)?$/i.test(column.default.sql))) {
    const { volatile, assumed } = isVolatileDefault(column, ctx);
    if (ctx.major < 11) {
      rewrites = true;
      notes.push('before PostgreSQL 11 any default is written into every row');
    } else if (volatile) {
      rewrites = true;
      notes.push(
        assumed.length > 0
          ? `default calls ${assumed.join(', ')}, assumed volatile: evaluated for every row`
          : `volatile default ${column.default.sql}: evaluated for every row`,
      );
    } else {
      notes.push('non-volatile default: stored once in the catalog since PostgreSQL 11, no rewrite');
    }
  }
  // A new column's NOT NULL and CHECKs are verified by reading every row, or during the
  // rewrite when there is one. Its foreign key is validated only when the column has a default
  // (even DEFAULT NULL): without one every value is NULL, so PostgreSQL marks it valid unread
  // (transformAlterTableStmt in parse_utilcmd.c; verified on 10, 11, 15 and 18 by test/facts).
  const validatesRows = !rewrites && (column.checks.length > 0 || (column.notNull && !column.default));
  const validatesForeignKey = column.references !== null && column.default !== null;
  const validates: ValidatedConstraint[] = [
    ...(column.checks.length > 0 ? (['check'] as const) : []),
    ...(column.notNull && (!column.default || rewrites) ? (['not null'] as const) : []),
    ...(validatesForeignKey ? (['foreign key'] as const) : []),
  ];
  // NOT NULL with nothing to fill it fails on any existing row; a UNIQUE column filled with
  // one default repeats it.
  const fillsItself =
    column.default !== null ||
    column.identity !== null ||
    column.type.serial !== undefined ||
    column.generated !== null;
  return facts({
    locks,
    rewritesTable: rewrites,
    rebuildsIndexes: rewrites && hasIndexes(change.table, ctx),
    scansTable: validatesRows || validatesForeignKey,
    validates,
    rejectsExistingValues:
      (column.notNull && !fillsItself) ||
      column.checks.length > 0 ||
      validatesForeignKey ||
      ((column.unique || column.primaryKey) && column.default !== null),
    buildsIndex: column.primaryKey || column.unique,
    notes,
  });
}

export function alterTypeFacts(change: ChangeOf<'alter column type'>, ctx: FactContext): ChangeFacts {
  const locks = [lock(change.table, 'ACCESS EXCLUSIVE')];
  const current = ctx.table(change.table)?.columns.find((c) => c.name === change.column);
  const keys = foreignKeyPartners(change, current?.type, ctx);
  for (const t of keys.partners) addLock(locks, t, 'ACCESS EXCLUSIVE');
  if (!current) {
    return facts({
      locks,
      rewritesTable: true,
      rebuildsIndexes: true,
      notes: ['current column type unknown: assumed to rewrite the table'],
    });
  }
  const fact = typeChangeFact(typeRefFromCatalog(current.type), change.type, {
    major: ctx.major,
    timeZoneIsUtc: ctx.timeZoneIsUtc,
    usingChangesValue: !change.usingIsColumn,
  });
  // A rewrite rebuilds every index of the table. Without one, only the indexes that use the
  // column are rebuilt, and only when the new index would differ: another operator class
  // (timestamp → timestamptz) or another collation.
  const table = ctx.table(change.table);
  const collationChanges = change.collation !== null && change.collation !== current.collation;
  // Only looked up when it decides: a table can have hundreds of indexes, each matched by a regex.
  const columnIndexed = () => (table ? table.indexes.some((i) => indexUsesColumn(i, change.column)) : true);
  const rebuildsIndexes = fact.rewrites
    ? hasIndexes(change.table, ctx)
    : (fact.rebuildsIndexes || collationChanges) && columnIndexed();
  return facts({
    locks,
    rewritesTable: fact.rewrites,
    rebuildsIndexes,
    // A re-check can only fail on rows that break a key already valid: not a risk to data.
    rejectsExistingValues: fact.narrows,
    scansTable: keys.revalidated,
    validates: keys.revalidated ? ['foreign key'] : [],
    notes: [
      fact.reason,
      ...(collationChanges && !fact.rewrites ? ['a new collation rebuilds its indexes'] : []),
      ...keys.notes,
    ],
  });
}

/**
 * A key column's foreign keys, on either side, are dropped and re-created around the type
 * change: the table at the other end gets ACCESS EXCLUSIVE (its RI triggers go and come back).
 * The re-created key is checked again, reading the referencing rows, unless the comparison it
 * uses stays the same: PostgreSQL skips it when the equality operator and the cast from the
 * referencing column are unchanged (ATAddForeignKeyConstraint, old_check_ok), which holds when
 * the type keeps its name (varchar(10) → varchar(20)) or stays in the text family.
 * https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES
 */
export function foreignKeyPartners(
  change: ChangeOf<'alter column type'>,
  currentType: string | undefined,
  ctx: FactContext,
): { partners: string[]; revalidated: boolean; notes: string[] } {
  const { own, referencing } = foreignKeysOnColumn(change.table, change.column, ctx);
  const partners = [...own.map(referencedTable), ...referencing.map((r) => r.table)].filter(
    (t) => t !== change.table,
  );
  if (own.length + referencing.length === 0) return { partners: [], revalidated: false, notes: [] };
  const from = currentType === undefined ? undefined : typeRefFromCatalog(currentType);
  const family = (name: string) => (name === 'varchar' || name === 'text' ? 'text' : name);
  const revalidated =
    from === undefined ||
    from.arrayDims !== change.type.arrayDims ||
    family(from.name) !== family(change.type.name);
  return {
    partners: [...new Set(partners)],
    revalidated,
    notes: [
      revalidated
        ? 'its foreign keys are re-created and checked again, reading the referencing rows'
        : 'its foreign keys are re-created without reading rows (same comparison)',
    ],
  };
}

/** The index has the column as a key or INCLUDE column, or mentions it in an expression or predicate. */
export function indexUsesColumn(index: Index, column: string): boolean {
  if (index.columns.includes(column) || index.include.includes(column)) return true;
  const name = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const mention = new RegExp(`(^|[^\\w$"])"?${name}"?($|[^\\w$"])`);
  return [...index.columns, index.predicate ?? ''].some((text) => mention.test(text));
}

/**
 * A validated CHECK that proves the column is not null, as PostgreSQL 12+ sees it when SET NOT
 * NULL decides whether to scan: `col IS NOT NULL` (or `NOT col IS NULL`) as the whole condition
 * or as one of its top-level AND terms. Under an OR it proves nothing. Reads the definition as
 * pg_get_constraintdef prints it (`CHECK (b > 0 AND b IS NOT NULL)`), with quoted names.
 * https://www.postgresql.org/docs/12/sql-altertable.html#SQL-ALTERTABLE-DESC-SET-DROP-NOT-NULL
 * Row forms (`(a, b) IS NOT NULL`) also prove it on the server but are not recognised here: we
 * then predict a scan that does not happen, the safe mistake.
 */
export function hasNotNullCheck(ctx: FactContext, table: string, column: string): boolean {
  const checks = ctx.table(table)?.checkConstraints ?? [];
  // As the server prints the name: bare when it is a plain lower-case identifier, else quoted.
  const names = new Set([`"${column.replace(/"/g, '""')}"`]);
  if (/^[a-z_][a-z0-9_$]*$/.test(column)) names.add(column);
  const proves = (term: string): boolean => {
    const m = /^(?:(.+?)\s+IS\s+NOT\s+NULL|NOT\s+(.+?)\s+IS\s+NULL)$/i.exec(term);
    const name = m?.[1] ?? m?.[2];
    return name !== undefined && names.has(name);
  };
  return checks.some((c) => {
    if (!c.validated) return false;
    const condition = c.definition.replace(/^CHECK\s*/i, '').replace(/\s+NOT VALID$/i, '');
    return andTerms(condition).some(proves);
  });
}

/** `(a AND (b AND c))` → [a, b, c]: the terms of a condition's top-level ANDs, outer parentheses removed. */
export function andTerms(condition: string): string[] {
  const text = unwrap(condition.trim());
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && /^\sAND\s/i.test(text.slice(i, i + 5))) {
      parts.push(text.slice(start, i));
      start = i + 5;
      i += 4;
    }
  }
  parts.push(text.slice(start));
  if (parts.length === 1) return [text];
  return parts.flatMap(andTerms);
}

/** Strip parentheses that enclose the whole text: `((a))` → `a`, but not `(a) AND (b)`. */
export function unwrap(text: string): string {
  let current = text;
  while (current.startsWith('(') && current.endsWith(')') && closingParen(current) === current.length - 1) {
    current = current.slice(1, -1).trim();
  }
  return current;
}

/** Index of the parenthesis that closes the one at position 0, quotes respected. */
export function closingParen(text: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

export function setNotNullFacts(change: ChangeOf<'set not null'>, ctx: FactContext): ChangeFacts {
  const locks = [lock(change.table, 'ACCESS EXCLUSIVE')];
  const column = ctx.table(change.table)?.columns.find((c) => c.name === change.column);
  if (column && !column.nullable) return facts({ locks, notes: ['column is already NOT NULL'] });
  if (ctx.major >= 12 && hasNotNullCheck(ctx, change.table, change.column)) {
    return facts({ locks, notes: ['a validated CHECK (… IS NOT NULL) proves it: no scan (PostgreSQL 12+)'] });
  }
  return facts({
    locks,
    scansTable: true,
    rejectsExistingValues: true,
    validates: ['not null'],
    notes: [
      ctx.major >= 12
        ? 'scans every row under ACCESS EXCLUSIVE unless a validated CHECK (col IS NOT NULL) exists'
        : 'scans every row under ACCESS EXCLUSIVE (before PostgreSQL 12 even with a CHECK)',
    ],
  });
}

/**
 * DROP COLUMN drops the foreign keys that contain the column (the referenced table loses their
 * RI triggers), and with CASCADE those of other tables that reference it and the views that read
 * it: ACCESS EXCLUSIVE on each. https://www.postgresql.org/docs/current/sql-altertable.html
 */
export function dropColumnFacts(change: ChangeOf<'drop column'>, ctx: FactContext): ChangeFacts {
  const locks = [lock(change.table, 'ACCESS EXCLUSIVE')];
  const { own, referencing } = foreignKeysOnColumn(change.table, change.column, ctx);
  for (const fk of own) addLock(locks, referencedTable(fk), 'ACCESS EXCLUSIVE');
  if (change.cascade) {
    for (const { table } of referencing) addLock(locks, table, 'ACCESS EXCLUSIVE');
    for (const view of viewsDroppedWith(change.table, ctx, change.column))
      addLock(locks, view, 'ACCESS EXCLUSIVE');
  }
  return facts({ locks });
}
