/**
 * The parts of a CREATE TABLE's column list, read token by token: one column definition with its
 * constraints, or the table constraints between two commas. Grammar:
 * https://www.sqlite.org/syntax/column-constraint.html, https://www.sqlite.org/syntax/table-constraint.html
 */
import type { ColumnConstraint, ColumnDefinition, TableConstraint } from './definition.js';
import { isKeyword, nameOf, stringValue, type Token } from './tokens.js';

/** A CREATE TABLE text this code does not understand, or an edit that does not fit it. */
export class DefinitionError extends Error {}

/** A cursor over the significant tokens of one item. */
export class Cursor {
  i = 0;
  constructor(readonly tokens: readonly Token[]) {}
  peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }
  is(keyword: string, offset = 0): boolean {
    return isKeyword(this.peek(offset), keyword);
  }
  take(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw new DefinitionError('the definition ends too soon');
    return t;
  }
  expect(keyword: string): Token {
    const t = this.take();
    if (!isKeyword(t, keyword)) throw new DefinitionError(`expected ${keyword}, found ${t.text}`);
    return t;
  }
  accept(keyword: string): boolean {
    if (!this.is(keyword)) return false;
    this.i++;
    return true;
  }
  done(): boolean {
    return this.i >= this.tokens.length;
  }
  /** The tokens of a parenthesised group starting here, inner tokens returned; the cursor moves past it. */
  group(): Token[] {
    const open = this.take();
    if (open.text !== '(') throw new DefinitionError(`expected (, found ${open.text}`);
    let depth = 1;
    const start = this.i;
    while (depth > 0) {
      const t = this.take();
      if (t.text === '(') depth++;
      else if (t.text === ')') depth--;
    }
    return this.tokens.slice(start, this.i - 1);
  }
  last(): Token {
    const t = this.tokens[this.i - 1];
    if (!t) throw new DefinitionError('nothing read yet');
    return t;
  }
}

function namesIn(tokens: readonly Token[]): string[] {
  return tokens.flatMap((t) => {
    const name = nameOf(t);
    return name === null ? [] : [name];
  });
}

export function nameToken(t: Token): string {
  if (t.kind === 'string') return stringValue(t);
  const name = nameOf(t);
  if (name === null) throw new DefinitionError(`expected a name, found ${t.text}`);
  return name;
}

/** `ON CONFLICT <resolution>`, when written here. */
function conflictClause(c: Cursor): void {
  if (c.is('ON') && c.is('CONFLICT', 1)) {
    c.i += 2;
    c.take();
  }
}

/** `REFERENCES table [(columns)]` and its actions, MATCH and DEFERRABLE clauses. */
function referencesClause(c: Cursor): string[] {
  c.expect('REFERENCES');
  const names = [nameToken(c.take())];
  if (c.peek()?.text === '(') names.push(...namesIn(c.group()));
  for (;;) {
    if (c.is('ON')) {
      c.i += 2; // ON DELETE | UPDATE | INSERT
      if (c.is('SET') || c.is('NO')) c.i += 2;
      else c.take();
    } else if (c.is('MATCH')) c.i += 2;
    else if (c.is('NOT') && c.is('DEFERRABLE', 1)) c.i += 2;
    else if (c.is('DEFERRABLE')) c.i += 1;
    else if (c.is('INITIALLY')) c.i += 2;
    else return names;
  }
}

const COLUMN_CONSTRAINT_START = new Set([
  'CONSTRAINT',
  'PRIMARY',
  'NOT',
  'NULL',
  'UNIQUE',
  'CHECK',
  'DEFAULT',
  'COLLATE',
  'REFERENCES',
  'GENERATED',
  'AS',
]);

function columnConstraint(c: Cursor): Omit<ColumnConstraint, 'name' | 'span' | 'keyword'> {
  if (c.accept('PRIMARY')) {
    c.expect('KEY');
    const desc = c.is('DESC');
    if (c.is('ASC') || desc) c.take();
    conflictClause(c);
    return { kind: 'primary key', names: [], desc, autoincrement: c.accept('AUTOINCREMENT') };
  }
  if (c.accept('NOT')) {
    c.expect('NULL');
    conflictClause(c);
    return { kind: 'not null', names: [] };
  }
  if (c.accept('NULL')) {
    conflictClause(c);
    return { kind: 'null', names: [] };
  }
  if (c.accept('UNIQUE')) {
    conflictClause(c);
    return { kind: 'unique', names: [] };
  }
  if (c.accept('CHECK')) return { kind: 'check', names: namesIn(c.group()) };
  if (c.accept('DEFAULT')) {
    if (c.peek()?.text === '(') return { kind: 'default', names: namesIn(c.group()) };
    if (c.peek()?.text === '+' || c.peek()?.text === '-') c.take();
    c.take();
    return { kind: 'default', names: [] };
  }
  if (c.accept('COLLATE')) {
    c.take();
    return { kind: 'collate', names: [] };
  }
  if (c.is('REFERENCES')) return { kind: 'references', names: referencesClause(c) };
  if (c.accept('GENERATED')) c.expect('ALWAYS');
  if (c.accept('AS')) {
    const names = namesIn(c.group());
    const stored = c.is('STORED');
    if (stored || c.is('VIRTUAL')) c.take();
    return { kind: 'generated', names, stored };
  }
  throw new DefinitionError(`unexpected ${c.peek()?.text ?? 'end'} in a column definition`);
}

export function column(tokens: readonly Token[]): ColumnDefinition {
  const c = new Cursor(tokens);
  const nameTok = c.take();
  const name = nameToken(nameTok);
  const typeStart = c.i;
  while (!c.done()) {
    const t = c.peek();
    if (t?.kind === 'word' && COLUMN_CONSTRAINT_START.has(t.text.toUpperCase())) break;
    if (t?.text === '(') c.group();
    else c.take();
  }
  const typeTokens = tokens.slice(typeStart, c.i);
  const first = typeTokens[0];
  const lastType = typeTokens[typeTokens.length - 1];
  const typeSpan = first && lastType ? { start: first.start, end: lastType.end } : null;
  const constraints: ColumnConstraint[] = [];
  while (!c.done()) {
    const start = c.peek()?.start ?? 0;
    let name: string | null = null;
    if (c.accept('CONSTRAINT')) name = nameToken(c.take());
    // A CONSTRAINT name with nothing after it is accepted by SQLite and means nothing.
    if (c.done()) break;
    const keyword = c.peek()?.start ?? start;
    const found = columnConstraint(c);
    constraints.push({ ...found, name, keyword, span: { start, end: c.last().end } });
  }
  const end = tokens[tokens.length - 1]?.end ?? nameTok.end;
  return {
    name,
    span: { start: nameTok.start, end },
    type: null,
    typeSpan,
    afterType: typeSpan?.end ?? nameTok.end,
    constraints,
  };
}

function keyColumns(tokens: readonly Token[]): { columns: string[]; autoincrement: boolean } {
  const columns: string[] = [];
  let expectName = true;
  let depth = 0;
  let autoincrement = false;
  for (const t of tokens) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && t.text === ',') expectName = true;
    else if (depth === 0 && isKeyword(t, 'AUTOINCREMENT')) autoincrement = true;
    else if (expectName) {
      columns.push(nameToken(t));
      expectName = false;
    }
  }
  return { columns, autoincrement };
}

/** One or more table constraints (SQLite accepts them without commas between). */
export function tableConstraints(tokens: readonly Token[]): TableConstraint[] {
  const c = new Cursor(tokens);
  const out: TableConstraint[] = [];
  while (!c.done()) {
    const start = c.peek()?.start ?? 0;
    let name: string | null = null;
    if (c.accept('CONSTRAINT')) name = nameToken(c.take());
    let found: Omit<TableConstraint, 'name' | 'span'>;
    if (c.accept('PRIMARY') || c.accept('UNIQUE')) {
      const kind = isKeyword(c.last(), 'PRIMARY') ? 'primary key' : 'unique';
      if (kind === 'primary key') c.expect('KEY');
      const group = c.group();
      conflictClause(c);
      const keys = keyColumns(group);
      found = { kind, columns: keys.columns, names: namesIn(group), autoincrement: keys.autoincrement };
    } else if (c.accept('CHECK')) {
      const group = c.group();
      conflictClause(c);
      found = { kind: 'check', columns: [], names: namesIn(group) };
    } else if (c.accept('FOREIGN')) {
      c.expect('KEY');
      const group = c.group();
      const columns = keyColumns(group).columns;
      found = { kind: 'foreign key', columns, names: [...columns, ...referencesClause(c)] };
    } else throw new DefinitionError(`unexpected ${c.peek()?.text ?? 'end'} in a table constraint`);
    out.push({ ...found, name, span: { start, end: c.last().end } });
  }
  return out;
}
