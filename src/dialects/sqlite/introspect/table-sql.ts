/**
 * What a CREATE TABLE statement (as sqlite_schema stores it) says that the pragmas do not:
 * CHECK constraints, constraint names, whether a foreign key is DEFERRABLE INITIALLY DEFERRED,
 * a column's COLLATE, a generated column's expression, `PRIMARY KEY DESC` (which makes an
 * INTEGER PRIMARY KEY not an alias of the rowid), WITHOUT ROWID and STRICT.
 * Grammar: https://www.sqlite.org/lang_createtable.html (column-constraint, table-constraint,
 * foreign-key-clause, table-options). The pragmas stay the source of truth for what they
 * report (columns, keys, indexes); this fills in the rest.
 */
import {
  isName,
  isPunct,
  isWord,
  matchingParen,
  sourceOf,
  splitTopLevel,
  tokenize,
  type Token,
} from './lexer.js';

export interface ParsedCheck {
  /** The CONSTRAINT name written before it, if any. */
  name: string | null;
  /** The column it was written on; null for a table constraint. */
  column: string | null;
  /** The expression inside CHECK ( … ), as written. */
  expression: string;
}

export interface ParsedForeignKey {
  name: string | null;
  columns: string[];
  table: string;
  /** `DEFERRABLE INITIALLY DEFERRED`: the only form SQLite defers (https://www.sqlite.org/foreignkeys.html#fk_deferred). */
  deferred: boolean;
}

export interface ParsedColumn {
  name: string;
  collation: string | null;
  /** `GENERATED ALWAYS AS ( … )` / `AS ( … )`: the expression as written. */
  generated: string | null;
  /** `PRIMARY KEY DESC` on the column. */
  primaryKeyDesc: boolean;
  /**
   * The DEFAULT as written, parentheses kept: pragma_table_xinfo drops those around an
   * expression (`datetime('now')` for `DEFAULT (datetime('now'))`), which a CREATE TABLE
   * written from it would need back.
   */
  default: string | null;
}

export interface ParsedTable {
  /** By lower-cased name: SQLite compares column names without case. */
  columns: Map<string, ParsedColumn>;
  checks: ParsedCheck[];
  foreignKeys: ParsedForeignKey[];
  /** The CONSTRAINT name of the primary key, if written. */
  primaryKeyName: string | null;
  withoutRowid: boolean;
  strict: boolean;
}

/** Words that end a column's type and start its constraints. */
const CONSTRAINT_START = new Set([
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

const TABLE_CONSTRAINT_START = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN']);

export function parseCreateTable(sql: string): ParsedTable {
  const tokens = tokenize(sql);
  const out: ParsedTable = {
    columns: new Map(),
    checks: [],
    foreignKeys: [],
    primaryKeyName: null,
    withoutRowid: false,
    strict: false,
  };
  const open = tokens.findIndex((t) => isPunct(t, '('));
  // CREATE TABLE … AS SELECT has no definitions to read.
  if (open === -1 || tokens.slice(0, open).some((t) => isWord(t, 'AS'))) return out;
  const close = matchingParen(tokens, open);
  for (const [from, to] of splitTopLevel(tokens, open + 1, close)) {
    const first = tokens[from];
    if (first?.kind === 'word' && TABLE_CONSTRAINT_START.has(first.value.toUpperCase()))
      readTableConstraint(sql, tokens, from, to, out);
    else readColumn(sql, tokens, from, to, out);
  }
  for (let i = close + 1; i < tokens.length; i++) {
    if (isWord(tokens[i], 'WITHOUT') && isWord(tokens[i + 1], 'ROWID')) out.withoutRowid = true;
    if (isWord(tokens[i], 'STRICT')) out.strict = true;
  }
  return out;
}

function readColumn(sql: string, tokens: readonly Token[], from: number, to: number, out: ParsedTable) {
  const nameToken = tokens[from];
  if (!isName(nameToken)) return;
  const column: ParsedColumn = {
    name: nameToken.value,
    collation: null,
    generated: null,
    primaryKeyDesc: false,
    default: null,
  };
  out.columns.set(column.name.toLowerCase(), column);
  let i = from + 1;
  // The type: names and a parenthesised size, up to the first constraint word.
  while (
    i < to &&
    !(tokens[i]?.kind === 'word' && CONSTRAINT_START.has(tokens[i]?.value.toUpperCase() ?? ''))
  ) {
    i = isPunct(tokens[i], '(') ? matchingParen(tokens, i) + 1 : i + 1;
  }
  let pendingName: string | null = null;
  while (i < to) {
    const t = tokens[i];
    const word = t?.kind === 'word' ? t.value.toUpperCase() : '';
    if (word === 'CONSTRAINT') {
      pendingName = tokens[i + 1]?.value ?? null;
      i += 2;
      continue;
    }
    if (word === 'PRIMARY') {
      if (pendingName !== null) out.primaryKeyName = pendingName;
      if (isWord(tokens[i + 2], 'DESC')) column.primaryKeyDesc = true;
      i += 2;
    } else if (word === 'CHECK' && isPunct(tokens[i + 1], '(')) {
      const end = matchingParen(tokens, i + 1);
      out.checks.push({
        name: pendingName,
        column: column.name,
        expression: sourceOf(sql, tokens, i + 2, end - 1),
      });
      i = end + 1;
    } else if (word === 'COLLATE') {
      column.collation = tokens[i + 1]?.value ?? null;
      i += 2;
    } else if (word === 'GENERATED' || word === 'AS') {
      const open = tokens.findIndex((x, k) => k > i && k < to && isPunct(x, '('));
      if (open === -1) break;
      const end = matchingParen(tokens, open);
      column.generated = sourceOf(sql, tokens, open + 1, end - 1);
      i = end + 1;
    } else if (word === 'REFERENCES') {
      const fk = readReferences(tokens, i, to);
      out.foreignKeys.push({
        name: pendingName,
        columns: [column.name],
        table: fk.table,
        deferred: fk.deferred,
      });
      i = fk.end;
    } else if (word === 'DEFAULT') {
      const next = tokens[i + 1];
      const end = isPunct(next, '(')
        ? matchingParen(tokens, i + 1)
        : isPunct(next, '-') || isPunct(next, '+')
          ? i + 2
          : i + 1;
      column.default = sourceOf(sql, tokens, i + 1, end);
      i = end + 1;
    } else {
      // A name given to NOT NULL or UNIQUE is used up by it, not by the next constraint.
      if (word === 'NOT' || word === 'NULL' || word === 'UNIQUE') pendingName = null;
      i = isPunct(t, '(') ? matchingParen(tokens, i) + 1 : i + 1;
      continue;
    }
    pendingName = null;
  }
}

function readTableConstraint(
  sql: string,
  tokens: readonly Token[],
  from: number,
  to: number,
  out: ParsedTable,
) {
  let i = from;
  let name: string | null = null;
  if (isWord(tokens[i], 'CONSTRAINT')) {
    name = tokens[i + 1]?.value ?? null;
    i += 2;
  }
  const open = tokens.findIndex((t, k) => k > i && k < to && isPunct(t, '('));
  if (isWord(tokens[i], 'PRIMARY')) {
    out.primaryKeyName = name;
  } else if (isWord(tokens[i], 'CHECK') && open !== -1) {
    const end = matchingParen(tokens, open);
    out.checks.push({ name, column: null, expression: sourceOf(sql, tokens, open + 1, end - 1) });
  } else if (isWord(tokens[i], 'FOREIGN') && open !== -1) {
    const end = matchingParen(tokens, open);
    const columns = splitTopLevel(tokens, open + 1, end).flatMap(([a]) =>
      isName(tokens[a]) ? [(tokens[a] as Token).value] : [],
    );
    const ref = tokens.findIndex((t, k) => k > end && k < to && isWord(t, 'REFERENCES'));
    if (ref !== -1) {
      const fk = readReferences(tokens, ref, to);
      out.foreignKeys.push({ name, columns, table: fk.table, deferred: fk.deferred });
    }
  }
}

/** `REFERENCES table [(cols)] [ON …|MATCH …]* [[NOT] DEFERRABLE [INITIALLY …]]` from `at`. */
function readReferences(
  tokens: readonly Token[],
  at: number,
  to: number,
): { table: string; deferred: boolean; end: number } {
  const table = tokens[at + 1]?.value ?? '';
  let i = at + 2;
  if (isPunct(tokens[i], '(')) i = matchingParen(tokens, i) + 1;
  let deferrable = false;
  let initiallyDeferred = false;
  while (i < to) {
    const t = tokens[i];
    if (isWord(t, 'ON')) {
      // ON DELETE SET NULL / SET DEFAULT / CASCADE / RESTRICT / NO ACTION
      i += isWord(tokens[i + 2], 'SET', 'NO') ? 4 : 3;
    } else if (isWord(t, 'MATCH')) {
      i += 2;
    } else if (isWord(t, 'NOT') && isWord(tokens[i + 1], 'DEFERRABLE')) {
      i += 2;
    } else if (isWord(t, 'DEFERRABLE')) {
      deferrable = true;
      i += 1;
    } else if (isWord(t, 'INITIALLY')) {
      initiallyDeferred = isWord(tokens[i + 1], 'DEFERRED');
      i += 2;
    } else break;
  }
  return { table, deferred: deferrable && initiallyDeferred, end: i };
}
