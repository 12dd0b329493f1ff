/**
 * A CREATE TABLE statement as sqlite_schema.sql holds it, cut into its parts with their places in
 * the text: the table's name, each column (name, declared type, constraints) and each table
 * constraint, and the table options (WITHOUT ROWID, STRICT). The rebuild edits this text rather
 * than printing a new one from catalog fields: collations, conflict clauses, DESC keys,
 * AUTOINCREMENT, DEFERRABLE, constraint names and comments survive because nothing retypes them.
 * Grammar: https://www.sqlite.org/lang_createtable.html
 */
import { column, Cursor, DefinitionError, nameToken, tableConstraints } from './items.js';

export { DefinitionError } from './items.js';
import { sameName, significant, tokenize, type Token } from './tokens.js';

export interface Span {
  start: number;
  end: number;
}

export type ColumnConstraintKind =
  | 'primary key'
  | 'not null'
  | 'null'
  | 'unique'
  | 'check'
  | 'default'
  | 'collate'
  | 'references'
  | 'generated';

export interface ColumnConstraint {
  kind: ColumnConstraintKind;
  /** `CONSTRAINT name` written before it. */
  name: string | null;
  /** From CONSTRAINT (when written) to the constraint's last token. */
  span: Span;
  /** Where its own keyword starts (after `CONSTRAINT name`). */
  keyword: number;
  /** Names it mentions (a CHECK's or generated column's expression; REFERENCES' table and columns). */
  names: string[];
  /** PRIMARY KEY … AUTOINCREMENT. */
  autoincrement?: boolean;
  /** PRIMARY KEY DESC (then an INTEGER column is not the rowid's alias). */
  desc?: boolean;
  /** GENERATED … STORED (VIRTUAL, the default, otherwise). */
  stored?: boolean;
}

export interface ColumnDefinition {
  name: string;
  /** From the name to the end of the last constraint. */
  span: Span;
  /** The declared type as written; null without one. */
  type: string | null;
  typeSpan: Span | null;
  /** Where a new constraint goes: after the type, else after the name. */
  afterType: number;
  constraints: ColumnConstraint[];
}

export type TableConstraintKind = 'primary key' | 'unique' | 'check' | 'foreign key';

export interface TableConstraint {
  kind: TableConstraintKind;
  name: string | null;
  span: Span;
  /** The key columns of PRIMARY KEY, UNIQUE and FOREIGN KEY, as written. */
  columns: string[];
  /** Every name it mentions. */
  names: string[];
  autoincrement?: boolean;
}

/** What lies between two commas of the column list. */
export interface DefinitionItem {
  /** The raw text between the separators, whitespace and comments included. */
  span: Span;
  column: ColumnDefinition | null;
  constraints: TableConstraint[];
}

export interface TableDefinition {
  text: string;
  schema: string | null;
  name: string;
  /** `[schema.]name` as written. */
  nameSpan: Span;
  /** Offsets of the column list's parentheses. */
  open: number;
  close: number;
  items: DefinitionItem[];
  columns: ColumnDefinition[];
  constraints: TableConstraint[];
  withoutRowid: boolean;
  strict: boolean;
  /** A column is INTEGER PRIMARY KEY AUTOINCREMENT: the table has a sqlite_sequence row. */
  autoincrement: boolean;
}

const TABLE_CONSTRAINT_START = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN']);

/** Parses a CREATE TABLE statement; throws DefinitionError when it is not one this code understands. */
export function parseDefinition(text: string): TableDefinition {
  const all = tokenize(text);
  const sig = significant(all);
  const c = new Cursor(sig);
  c.expect('CREATE');
  if (c.is('TEMP') || c.is('TEMPORARY')) c.take();
  c.expect('TABLE');
  if (c.is('IF')) {
    c.expect('IF');
    c.expect('NOT');
    c.expect('EXISTS');
  }
  const first = c.take();
  let schema: string | null = null;
  let name = nameToken(first);
  if (c.peek()?.text === '.') {
    c.take();
    schema = name;
    name = nameToken(c.take());
  }
  const nameSpan = { start: first.start, end: c.last().end };
  const open = c.peek();
  if (open?.text !== '(')
    throw new DefinitionError('a CREATE TABLE … AS SELECT has no column list to change');
  const body = c.group();
  const close = c.last();
  const items: DefinitionItem[] = [];
  let depth = 0;
  let from = open.end;
  let itemTokens: Token[] = [];
  const finish = (to: number) => {
    const lead = itemTokens[0];
    const isConstraint = lead?.kind === 'word' && TABLE_CONSTRAINT_START.has(lead.text.toUpperCase());
    items.push({
      span: { start: from, end: to },
      column: isConstraint ? null : column(itemTokens),
      constraints: isConstraint ? tableConstraints(itemTokens) : [],
    });
  };
  for (const t of body) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    if (depth === 0 && t.text === ',') {
      finish(t.start);
      from = t.end;
      itemTokens = [];
    } else itemTokens.push(t);
  }
  finish(close.start);
  const options = sig.slice(c.i).map((t) => t.text.toUpperCase());
  const columns = items.flatMap((i) => (i.column ? [i.column] : []));
  for (const col of columns)
    col.type = col.typeSpan ? text.slice(col.typeSpan.start, col.typeSpan.end) : null;
  const constraints = items.flatMap((i) => i.constraints);
  return {
    text,
    schema,
    name,
    nameSpan,
    open: open.start,
    close: close.start,
    items,
    columns,
    constraints,
    withoutRowid: options.includes('WITHOUT') && options.includes('ROWID'),
    strict: options.includes('STRICT'),
    autoincrement:
      columns.some((col) => col.constraints.some((k) => k.autoincrement)) ||
      constraints.some((k) => k.autoincrement === true),
  };
}

/** The column's constraints of one kind. */
export function constraintsOf(col: ColumnDefinition, kind: ColumnConstraintKind): ColumnConstraint[] {
  return col.constraints.filter((k) => k.kind === kind);
}

/**
 * The column that is another name for the rowid: the single-column primary key of declared type
 * INTEGER, except `INTEGER PRIMARY KEY DESC` written on the column, which SQLite keeps as a
 * quirk (https://www.sqlite.org/lang_createtable.html#rowid). Null for WITHOUT ROWID tables.
 */
export function rowidAlias(def: TableDefinition): ColumnDefinition | null {
  if (def.withoutRowid) return null;
  const integer = (col: ColumnDefinition | undefined) => col?.type?.trim().toUpperCase() === 'INTEGER';
  for (const col of def.columns) {
    const pk = constraintsOf(col, 'primary key')[0];
    if (pk) return integer(col) && !pk.desc ? col : null;
  }
  const pk = def.constraints.find((k) => k.kind === 'primary key');
  if (!pk || pk.columns.length !== 1) return null;
  const col = def.columns.find((c) => sameName(c.name, pk.columns[0] ?? ''));
  return integer(col) ? (col ?? null) : null;
}
