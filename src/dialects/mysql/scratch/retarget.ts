/**
 * On MySQL/MariaDB a database is a schema: `shop.users` names the table `users` of the database
 * `shop` on whatever server the session is on. A scratch database cannot be called `shop` on a
 * server that holds `shop` (the user's own, on a shared dev server), so SQL written for the
 * target runs on the scratch copy with its database names rewritten: `retargetSql` replaces the
 * database qualifiers (and the names after USE / DATABASE / SCHEMA) that name the target with
 * the scratch database, and refuses a statement that still names another database on the
 * server (docs/decisions/0023-mysql-validate.md). This is what keeps a migration that writes
 * `ALTER TABLE shop.users …` off the real `shop` when validating next to it.
 *
 * Token level, not a parser: strings, comments and backtick identifiers are skipped or read as
 * MySQL reads them; the text inside an executable comment (`/*! … *\/`) is code. A table or an
 * alias named like the target database (`shop.id` with a table `shop`) is rewritten too: the
 * statement then fails on the scratch copy, loudly, rather than reaching another database.
 */
import { quoteMysqlIdent } from '../quote.js';

export interface RetargetRules {
  /** The database the statement must stay in (the scratch database). */
  to: string;
  /** Database names that mean `to` (the target's name as the SQL was written for it). */
  from: readonly string[];
  /** Databases on the server a statement may not name (lowercase); `to` and `from` excluded. */
  forbidden: ReadonlySet<string>;
}

/** Readable by anyone, written by no statement: catalog queries and plan checks use them. */
export const READ_ONLY_DATABASES: ReadonlySet<string> = new Set(['information_schema', 'performance_schema']);

/** A statement named a database other than the scratch one: refused before it reaches the server. */
export class ForeignDatabaseError extends Error {
  readonly code = 'SCHEMAPILOT_FOREIGN_DATABASE';
  constructor(
    /** The database named, as written. */
    readonly database: string,
    scratch: string,
  ) {
    super(
      `refused on the scratch database ${scratch}: the statement names the database \`${database}\`, which is not the migration's (validate only writes to its own scratch databases)`,
    );
    this.name = 'ForeignDatabaseError';
  }
}

interface Ident {
  start: number;
  end: number;
  name: string;
}

/** `sql` with the target's database names replaced by `rules.to`; throws ForeignDatabaseError. */
export function retargetSql(sql: string, rules: RetargetRules): string {
  const from = new Set(rules.from.map((n) => n.toLowerCase()));
  from.delete(rules.to.toLowerCase());
  const edits: { start: number; end: number; text: string }[] = [];
  const idents = scanIdentifiers(sql);
  for (const [i, id] of idents.entries()) {
    if (!namesDatabase(sql, idents, i)) continue;
    const lower = id.name.toLowerCase();
    if (from.has(lower)) edits.push({ start: id.start, end: id.end, text: quoteMysqlIdent(rules.to) });
    else if (lower !== rules.to.toLowerCase() && rules.forbidden.has(lower) && !READ_ONLY_DATABASES.has(lower))
      throw new ForeignDatabaseError(id.name, rules.to);
  }
  let out = sql;
  for (const e of edits.reverse()) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/**
 * Whether identifier `i` is in a database position: followed by `.` and another identifier
 * (`db.table`, not `table.column` of a three-part name's second part), or right after USE,
 * DATABASE or SCHEMA (with IF [NOT] EXISTS in between).
 */
function namesDatabase(sql: string, idents: readonly Ident[], i: number): boolean {
  const id = idents[i];
  if (!id) return false;
  const after = /^\s*\.\s*/.exec(sql.slice(id.end));
  if (after) {
    const previous = sql.slice(0, id.start).trimEnd();
    // The middle of `a.b.c` is a table, not a database.
    if (previous.endsWith('.')) return false;
    const next = idents[i + 1];
    return next !== undefined && next.start === id.end + after[0].length;
  }
  const before = sql.slice(Math.max(0, id.start - 40), id.start);
  return /\b(?:USE|DATABASE|SCHEMA)(?:\s+IF\s+(?:NOT\s+)?EXISTS)?\s+$/i.test(before);
}

/** Identifiers (bare or backtick-quoted) outside strings and comments, with their offsets. */
export function scanIdentifiers(sql: string): Ident[] {
  const out: Ident[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] ?? '';
    const next = sql[i + 1] ?? '';
    if (c === "'" || c === '"') i = closeQuote(sql, i, c);
    else if (c === '`') {
      const end = closeQuote(sql, i, c);
      out.push({ start: i, end, name: sql.slice(i + 1, end - 1).replace(/``/g, '`') });
      i = end;
    } else if (c === '#' || (c === '-' && next === '-' && /^\s?$/.test(sql[i + 2] ?? ''))) {
      const newline = sql.indexOf('\n', i);
      i = newline < 0 ? sql.length : newline;
    } else if (c === '/' && next === '*') {
      // An executable comment's body is code: skip only its marker (and later its `*/`).
      const marker = /^\/\*M?!\d{0,6}/.exec(sql.slice(i, i + 10));
      if (marker) i += marker[0].length;
      else {
        const close = sql.indexOf('*/', i + 2);
        i = close < 0 ? sql.length : close + 2;
      }
    } else if (/[\p{L}\p{N}_$]/u.test(c)) {
      let end = i + 1;
      while (end < sql.length && /[\p{L}\p{N}_$]/u.test(sql[end] ?? '')) end++;
      const name = sql.slice(i, end);
      // A number (`1.5`) or a variable (`@x`, `@@session.x`) is not a name.
      const variable = sql[i - 1] === '@';
      if (!/^\d+(e\d*)?$/i.test(name) && !variable) out.push({ start: i, end, name });
      else if (variable) {
        // Skip `@@session.lock_wait_timeout` whole: `session` is not a database.
        while (end < sql.length && /[\p{L}\p{N}_$.]/u.test(sql[end] ?? '')) end++;
      }
      i = end;
    } else i++;
  }
  return out;
}

function closeQuote(sql: string, open: number, quote: string): number {
  let i = open + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (c === '\\' && quote !== '`') i += 2;
    else if (c === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}
