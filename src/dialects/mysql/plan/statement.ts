/**
 * The planner's rewrites of a user's statement, cut from the text they wrote (node-sql-parser
 * gives no offsets inside a statement, and printing its AST back loses their words): an ALTER
 * TABLE reduced to one clause, ALGORITHM=/LOCK= replaced by the plan's, a DROP INDEX turned into
 * the ALTER TABLE form that takes them. The text is the parser's (comments blanked to spaces):
 * a `-- comment` left at the end of a clause would swallow the `, ALGORITHM=…` appended to it.
 */
import type { ColumnClause, DdlPin, DdlStatement } from '../../../core/dialect/safe-sql.js';
import { lowerAlterTable } from '../lowering/alter.js';
import { isNode, nodes, str, type Node } from '../lowering/common.js';
import { parserTextOf } from '../parser.js';
import { topLevel } from '../supplement.js';

const NAME = String.raw`(?:\`(?:\`\`|[^\`])*\`|[\w$]+)`;
const TABLE = `${NAME}(?:\\s*\\.\\s*${NAME})?`;
const ALTER_HEAD = new RegExp(
  `^\\s*(ALTER\\s+(?:ONLINE\\s+|IGNORE\\s+)*TABLE\\s+(?:IF\\s+EXISTS\\s+)?${TABLE})\\s+`,
  'i',
);
const DROP_INDEX = new RegExp(`^\\s*DROP\\s+INDEX\\s+(IF\\s+EXISTS\\s+)?(${NAME})\\s+ON\\s+(${TABLE})`, 'i');
const DDL_OPTION = /^(ALGORITHM|LOCK)\s*=?\s*(DEFAULT|INSTANT|NOCOPY|INPLACE|COPY|NONE|SHARED|EXCLUSIVE)$/i;
const TRAILING_OPTIONS =
  /(?:\s+(?:ALGORITHM|LOCK)\s*=?\s*(?:DEFAULT|INSTANT|NOCOPY|INPLACE|COPY|NONE|SHARED|EXCLUSIVE))+\s*$/i;

export interface AlterParts {
  /** `ALTER TABLE <name as written>`. */
  head: string;
  /** The clauses as written, trimmed, ALGORITHM= and LOCK= left out. */
  clauses: string[];
  /** How many Changes each clause lowers to; null when the text and the AST disagree. */
  changeCounts: number[] | null;
}

const alterCache = new WeakMap<object, AlterParts | null>();

function isDdlOption(node: Node): boolean {
  return node['resource'] === 'algorithm' || node['resource'] === 'lock';
}

/** The ALTER TABLE statement `ast` cut into its clauses; null for other statements. */
export function alterParts(ast: unknown): AlterParts | null {
  if (!isNode(ast) || ast['type'] !== 'alter') return null;
  if (alterCache.has(ast)) return alterCache.get(ast) ?? null;
  const text = parserTextOf(ast);
  const head = text ? ALTER_HEAD.exec(text) : null;
  let parts: AlterParts | null = null;
  if (text && head) {
    const clauses = topLevel(text.slice(head[0].length), ',')
      .map((c) => c.trim().replace(/\s+/g, ' '))
      .filter((c) => c !== '' && !DDL_OPTION.test(c));
    const exprs = nodes(ast['expr']).filter((n) => !isDdlOption(n));
    // Each AST clause lowered alone: how many Changes it makes (a MODIFY makes several).
    const counts = exprs.map((n) => lowerAlterTable({ ...ast, expr: [n] }, 'schemapilot').length);
    parts = {
      head: head[1] ?? '',
      clauses,
      changeCounts: counts.length === clauses.length ? counts : null,
    };
  }
  alterCache.set(ast, parts);
  return parts;
}

/** The clause (action) of `ast` that its Change number `change` comes from. */
export function actionOf(ast: unknown, change: number): number {
  const counts = alterParts(ast)?.changeCounts;
  // Text and AST disagree (table options run together without commas): one action, kept whole.
  if (!counts) return 0;
  let seen = 0;
  for (const [i, n] of counts.entries()) {
    seen += n;
    if (change < seen) return i;
  }
  return Math.max(0, counts.length - 1);
}

/** `ALTER TABLE t <clause>`; the whole statement, without ALGORITHM/LOCK, when it cannot be cut. */
export function alterTableAction(ast: unknown, action: number): string {
  const parts = alterParts(ast);
  if (!parts) throw new Error('not an ALTER TABLE statement the planner can split');
  if (!parts.changeCounts) return `${parts.head} ${parts.clauses.join(', ')}`;
  const clause = parts.clauses[action];
  if (clause === undefined) throw new Error(`the ALTER TABLE has no clause ${action}`);
  return `${parts.head} ${clause}`;
}

export function ddlStatement(ast: unknown): DdlStatement | null {
  if (!isNode(ast)) return null;
  const alter = alterParts(ast);
  if (alter)
    return { kind: 'alter table', clauses: alter.changeCounts ? alter.clauses : [alter.clauses.join(', ')] };
  const text = parserTextOf(ast);
  if (!text) return null;
  if (ast['type'] === 'create' && ast['keyword'] === 'index') return { kind: 'create index', clauses: [] };
  if (ast['type'] === 'drop' && str(ast['keyword']) === 'index' && DROP_INDEX.test(text))
    return { kind: 'drop index', clauses: [] };
  return { kind: 'other', clauses: [] };
}

export function pinWords(pin: DdlPin | null, separator: string): string {
  if (!pin) return '';
  const words = [`ALGORITHM=${pin.algorithm}`, ...(pin.lock ? [`LOCK=${pin.lock}`] : [])];
  return `${separator}${words.join(separator)}`;
}

/** The statement (or clause `action` of an ALTER TABLE) with the plan's ALGORITHM/LOCK. */
export function pinnedStatement(ast: unknown, action: number | null, pin: DdlPin | null): string {
  const alter = alterParts(ast);
  if (alter) {
    const body =
      action === null ? `${alter.head} ${alter.clauses.join(', ')}` : alterTableAction(ast, action);
    return `${body}${pinWords(pin, ', ')}`;
  }
  const text = parserTextOf(ast)?.trim().replace(/\s+/g, ' ');
  if (!text) throw new Error('a statement the MySQL parser did not make');
  const drop = DROP_INDEX.exec(text);
  if (drop)
    return `ALTER TABLE ${drop[3] ?? ''} DROP INDEX ${drop[1] ? 'IF EXISTS ' : ''}${drop[2] ?? ''}${pinWords(pin, ', ')}`;
  if (isNode(ast) && ast['type'] === 'create' && ast['keyword'] === 'index')
    return `${text.replace(TRAILING_OPTIONS, '')}${pinWords(pin, ' ')}`;
  return text;
}

const COLUMN_VERB = /^(ADD|MODIFY|CHANGE)(?:\s+COLUMN)?(?:\s+IF\s+(?:NOT\s+)?EXISTS)?\s+/i;
/** What may follow ADD other than a column (ADD INDEX, ADD CONSTRAINT, …). */
const NOT_A_COLUMN =
  /^(?:\(|(?:INDEX|KEY|CONSTRAINT|PRIMARY|UNIQUE|FOREIGN|FULLTEXT|SPATIAL|CHECK|PARTITION|PERIOD|SYSTEM)(?:\s|\(|$))/i;
const LEADING_NAME = new RegExp(`^(${NAME})\\s+`);
const POSITION = new RegExp(`\\s+(FIRST|AFTER\\s+${NAME})\\s*$`, 'i');

function unquoteName(name: string): string {
  return name.startsWith('`') ? name.slice(1, -1).replace(/``/g, '`') : name;
}

/** Clause `action` when it adds, modifies or changes one column: its name, definition, position. */
export function columnClauseOf(ast: unknown, action: number): ColumnClause | null {
  const parts = alterParts(ast);
  const clause = parts?.changeCounts ? parts.clauses[action] : undefined;
  const verb = clause === undefined ? null : COLUMN_VERB.exec(clause);
  if (clause === undefined || !verb) return null;
  let rest = clause.slice(verb[0].length);
  if (NOT_A_COLUMN.test(rest)) return null;
  // CHANGE names the old column, then the new one; ADD and MODIFY name one (ADD (a, b) none).
  const names = (verb[1] ?? '').toUpperCase() === 'CHANGE' ? 2 : 1;
  let column = '';
  for (let i = 0; i < names; i++) {
    const m = LEADING_NAME.exec(rest);
    if (!m) return null;
    column = unquoteName(m[1] ?? '');
    rest = rest.slice(m[0].length);
  }
  const position = POSITION.exec(rest);
  return {
    column,
    definition: position ? rest.slice(0, position.index).trim() : rest.trim(),
    position: position ? (position[1] ?? '').replace(/\s+/g, ' ') : null,
  };
}
