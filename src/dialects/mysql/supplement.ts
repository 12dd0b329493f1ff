/**
 * What node-sql-parser 5.4.0 refuses but MySQL/MariaDB run, measured on our corpus
 * (docs/decisions/0019-mysql-parser.md): tried only after the parser refused a statement, so
 * everything it parses keeps its exact AST. Each form is recognised by its shape and becomes
 * an AST in node-sql-parser's style, with our additions marked in ast.ts. A statement no form
 * matches stays the parser's syntax error.
 */
import type { AST } from 'node-sql-parser';
import type { AlterExtra, MysqlAst } from './ast.js';

type Astify = (text: string) => AST;

export function supplement(text: string, astify: Astify): MysqlAst | null {
  const sql = text.trim();
  let m: RegExpExecArray | null;
  // MariaDB's ALGORITHM=NOCOPY (10.3+), which node-sql-parser's MySQL grammar lacks: parsed as
  // INPLACE, then named NOCOPY again on the algorithm nodes.
  // https://mariadb.com/kb/en/alter-table/#algorithm
  if (NOCOPY.test(sql)) {
    const inplace = sql.replace(NOCOPY_ALL, '$1INPLACE');
    const ast = tryAstify(inplace, astify) ?? supplement(inplace, astify);
    return ast ? withNocopy(ast) : null;
  }
  if ((m = /^(OPTIMIZE|ANALYZE)\s+(?:NO_WRITE_TO_BINLOG\s+|LOCAL\s+)?TABLES?\s+([\s\S]+)$/i.exec(sql))) {
    const tables = topLevel(m[2] ?? '', ',').map((t) => tableName(t.trim()));
    if (tables.some((t) => t === null)) return null;
    return { type: (m[1] ?? '').toLowerCase() as 'optimize' | 'analyze', table: tables as TableRef[] };
  }
  if ((m = /^SET\s+(?:NAMES|CHARACTER\s+SET|CHARSET)\s+(\S+?)(?:\s+COLLATE\s+(\S+))?$/i.exec(sql))) {
    return { type: 'set_names', charset: unquote(m[1] ?? ''), collate: m[2] ? unquote(m[2]) : null };
  }
  if (/^DROP\s+TEMPORARY\s+TABLE\b/i.test(sql)) {
    const ast = tryAstify(sql.replace(/TEMPORARY/i, '         '), astify);
    return ast ? ({ ...ast, temporary: 'temporary' } as MysqlAst) : null;
  }
  if (/^CREATE\s+(?:TEMPORARY\s+)?TABLE\b/i.test(sql)) {
    const at = topLevelKeyword(sql, /^PARTITION\s+BY\b/i);
    if (at < 0) return null;
    const ast = tryAstify(sql.slice(0, at), astify);
    return ast ? ({ ...ast, partition_by: sql.slice(at).trim() } as MysqlAst) : null;
  }
  if (/^SET\b/i.test(sql) && /=\s*DEFAULT\s*(?:,|$)/i.test(sql)) return setDefault(sql, astify);
  const program = storedProgram(sql);
  if (program) return program;
  if (
    (m =
      /^ALTER\s+(?:ONLINE\s+|IGNORE\s+)*TABLE\s+(IF\s+EXISTS\s+)?((?:`(?:``|[^`])*`|[\w$]+)(?:\s*\.\s*(?:`(?:``|[^`])*`|[\w$]+))?)\s+([\s\S]+)$/i.exec(
        sql,
      ))
  ) {
    return alterTable(m[2] ?? '', m[3] ?? '', Boolean(m[1]), astify);
  }
  return null;
}

const NOCOPY = /\bALGORITHM(\s*=?\s*)NOCOPY\b/i;
const NOCOPY_ALL = /\b(ALGORITHM\s*=?\s*)NOCOPY\b/gi;

/** The algorithm nodes of an ALTER TABLE (or CREATE INDEX's algorithm option) say NOCOPY. */
function withNocopy(ast: MysqlAst): MysqlAst {
  const node = ast as { expr?: unknown; algorithm_option?: unknown };
  const nocopy = (n: unknown) =>
    typeof n === 'object' && n !== null && (n as { resource?: unknown }).resource === 'algorithm'
      ? { ...n, algorithm: 'NOCOPY' }
      : n;
  if (Array.isArray(node.expr)) return { ...ast, expr: node.expr.map(nocopy) } as MysqlAst;
  if (node.algorithm_option) return { ...ast, algorithm_option: nocopy(node.algorithm_option) } as MysqlAst;
  return ast;
}

export interface TableRef {
  db: string | null;
  table: string;
}

function alterTable(name: string, rest: string, ifExists: boolean, astify: Astify): MysqlAst | null {
  const table = tableName(name);
  if (!table) return null;
  const expr: unknown[] = [];
  for (const raw of topLevel(rest, ',')) {
    const clause = raw.trim();
    const flags: Record<string, boolean> = {};
    let text = clause;
    // MariaDB's IF [NOT] EXISTS on a clause, and MySQL's [NOT] ENFORCED on a CHECK: the words
    // come out, the clause is parsed without them, and the flag goes on its node.
    const ifm =
      /^((?:ADD|DROP)\s+(?:COLUMN\s+|INDEX\s+|KEY\s+|UNIQUE\s+(?:INDEX\s+|KEY\s+)?|FOREIGN\s+KEY\s+|CONSTRAINT\s+|PARTITION\s+)?)IF\s+(NOT\s+)?EXISTS\s+/i.exec(
        text,
      );
    if (ifm) {
      flags[ifm[2] ? 'if_not_exists' : 'if_exists'] = true;
      text = (ifm[1] ?? '') + text.slice(ifm[0].length);
    }
    const enf = /\s+(NOT\s+)?ENFORCED$/i.exec(text);
    if (enf && /\bCHECK\b/i.test(text)) {
      flags['enforced'] = !enf[1];
      text = text.slice(0, enf.index);
    }
    // ADD [COLUMN] (a INT, b INT): several columns in one clause, as several ADD COLUMN.
    const group = /^ADD\s+(?:COLUMN\s+)?\(([\s\S]*)\)$/i.exec(text);
    if (group) {
      const each = topLevel(group[1] ?? '', ',').map((d) => `ADD COLUMN ${d.trim()}`);
      text = each.join(', ');
    }
    const parsed = tryAstify(`ALTER TABLE t ${text}`, astify) as { expr?: unknown[] } | null;
    if (parsed?.expr) {
      expr.push(...parsed.expr.map((e) => ({ ...(e as object), ...flags })));
      continue;
    }
    const extra = alterExtra(text);
    if (!extra) return null;
    expr.push({ ...extra, ...flags });
  }
  return { type: 'alter', table: [table], expr, ...(ifExists ? { if_exists: true } : {}) } as MysqlAst;
}

/** The ALTER TABLE clauses node-sql-parser has no rule for. */
function alterExtra(clause: string): AlterExtra | null {
  const c = clause.replace(/\s+/g, ' ');
  let m: RegExpExecArray | null;
  if ((m = /^ALTER (?:COLUMN )?(\S+) SET DEFAULT ([\s\S]+)$/i.exec(c))) {
    return {
      type: 'alter',
      resource: 'column_default',
      action: 'set',
      column: unquote(m[1] ?? ''),
      default: m[2] ?? '',
    };
  }
  if ((m = /^ALTER (?:COLUMN )?(\S+) DROP DEFAULT$/i.exec(c))) {
    return { type: 'alter', resource: 'column_default', action: 'drop', column: unquote(m[1] ?? '') };
  }
  if ((m = /^ALTER (?:COLUMN )?(\S+) SET (VISIBLE|INVISIBLE)$/i.exec(c))) {
    return {
      type: 'alter',
      resource: 'column_visibility',
      column: unquote(m[1] ?? ''),
      visible: /^VISIBLE$/i.test(m[2] ?? ''),
    };
  }
  if ((m = /^ALTER (?:INDEX|KEY) (\S+) (VISIBLE|INVISIBLE|IGNORED|NOT IGNORED)$/i.exec(c))) {
    const word = (m[2] ?? '').toUpperCase();
    return {
      type: 'alter',
      resource: 'index_visibility',
      index: unquote(m[1] ?? ''),
      visible: word === 'VISIBLE' || word === 'NOT IGNORED',
    };
  }
  if ((m = /^RENAME (?:INDEX|KEY) (\S+) TO (\S+)$/i.exec(c))) {
    return {
      type: 'alter',
      resource: 'index',
      action: 'rename',
      old: unquote(m[1] ?? ''),
      new: unquote(m[2] ?? ''),
    };
  }
  if (/^FORCE$/i.test(c)) return { type: 'alter', resource: 'force' };
  if ((m = /^RENAME (?:TO |AS )?(\S+)$/i.exec(c))) {
    const to = tableName(m[1] ?? '');
    if (!to) return null;
    const table = to.db ? `${to.db}.${to.table}` : to.table;
    return { type: 'alter', resource: 'table', action: 'rename', keyword: 'to', table };
  }
  if ((m = /^CONVERT TO (?:CHARACTER SET|CHARSET) (\S+)(?: COLLATE (\S+))?$/i.exec(c))) {
    return {
      type: 'alter',
      resource: 'convert_charset',
      charset: unquote(m[1] ?? ''),
      collate: m[2] ? unquote(m[2]) : null,
    };
  }
  if (
    (m =
      /^(ADD|DROP|DISCARD|IMPORT|TRUNCATE|COALESCE|REORGANIZE|EXCHANGE|ANALYZE|CHECK|OPTIMIZE|REBUILD|REPAIR) PARTITION\b/i.exec(
        c,
      )) ||
    (m = /^(REMOVE) PARTITIONING$/i.exec(c)) ||
    (m = /^PARTITION (BY)\b/i.exec(c))
  ) {
    return { type: 'alter', resource: 'partition', action: (m[1] ?? '').toLowerCase(), text: clause };
  }
  return null;
}

/**
 * CREATE TRIGGER / PROCEDURE / FUNCTION / EVENT with a body node-sql-parser cannot read (a
 * BEGIN … END block), and DROP PROCEDURE / FUNCTION / EVENT: the name and, for a trigger, its
 * table are what analysis needs; the body is not analysed.
 */
function storedProgram(sql: string): MysqlAst | null {
  const name = String.raw`(\`(?:\`\`|[^\`])*\`|[\w$]+)(?:\s*\.\s*(\`(?:\`\`|[^\`])*\`|[\w$]+))?`;
  const create = String.raw`^CREATE\s+(?:OR\s+REPLACE\s+)?(?:DEFINER\s*=\s*\S+\s+)?(?:SQL\s+SECURITY\s+\w+\s+)?(?:AGGREGATE\s+)?`;
  let m = new RegExp(
    `${create}TRIGGER\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${name}\\s+(BEFORE|AFTER)\\s+(INSERT|UPDATE|DELETE)\\s+ON\\s+${name}\\s`,
    'i',
  ).exec(sql);
  if (m) {
    const trigger = ref(m[1], m[2]);
    const table = ref(m[5], m[6]);
    return {
      type: 'create',
      keyword: 'trigger',
      trigger: { db: trigger.db, table: trigger.table },
      time: (m[3] ?? '').toUpperCase(),
      events: [{ keyword: (m[4] ?? '').toLowerCase() }],
      table,
    } as unknown as MysqlAst;
  }
  m = new RegExp(`${create}(PROCEDURE|FUNCTION|EVENT)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${name}`, 'i').exec(sql);
  if (m) return { type: 'create_program', objectType: (m[1] ?? '').toLowerCase(), name: ref(m[2], m[3]) };
  m = new RegExp(`^DROP\\s+(PROCEDURE|FUNCTION|EVENT)\\s+(IF\\s+EXISTS\\s+)?${name}\\s*$`, 'i').exec(sql);
  if (m)
    return {
      type: 'drop_program',
      objectType: (m[1] ?? '').toLowerCase(),
      name: ref(m[3], m[4]),
      if_exists: Boolean(m[2]),
    };
  return null;
}

function ref(first: string | undefined, second: string | undefined): TableRef {
  return second
    ? { db: unquote(first ?? ''), table: unquote(second) }
    : { db: null, table: unquote(first ?? '') };
}

/**
 * `SET [SESSION] x = DEFAULT, y = 1`: DEFAULT puts a variable back to its global value. The
 * parser takes a string in its place; the assignment's right side becomes `{ type: 'default' }`.
 */
function setDefault(sql: string, astify: Astify): MysqlAst | null {
  const marker = "'schemapilot:default'";
  const ast = tryAstify(sql.replace(/=\s*DEFAULT(\s*(?:,|$))/gi, `= ${marker}$1`), astify) as {
    expr?: { right?: { value?: unknown } }[];
  } | null;
  if (!ast?.expr) return null;
  for (const a of ast.expr)
    if (a.right?.value === 'schemapilot:default') a.right = { type: 'default', value: 'DEFAULT' } as never;
  return ast as unknown as MysqlAst;
}

function tryAstify(text: string, astify: Astify): AST | null {
  try {
    return astify(text);
  } catch {
    return null;
  }
}

/** `db.table`, `` `t` `` or `t` as node-sql-parser gives a table; null for anything else. */
function tableName(text: string): TableRef | null {
  const m = /^(`(?:``|[^`])*`|[\w$]+)(?:\s*\.\s*(`(?:``|[^`])*`|[\w$]+))?$/.exec(text);
  if (!m) return null;
  return m[2] ? { db: unquote(m[1] ?? ''), table: unquote(m[2]) } : { db: null, table: unquote(m[1] ?? '') };
}

function unquote(name: string): string {
  if (name.startsWith('`') && name.endsWith('`')) return name.slice(1, -1).replace(/``/g, '`');
  if (/^'.*'$|^".*"$/.test(name)) return name.slice(1, -1);
  return name;
}

/** `text` split at `separator` outside parentheses, quotes and backticks. */
/** `text` cut at each `separator` outside quotes and parentheses. */
export function topLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === "'" || c === '"' || c === '`') i = skipQuote(text, i) - 1;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts;
}

/** Offset of the first match of `keyword` at depth 0 and a word start, or -1. */
function topLevelKeyword(text: string, keyword: RegExp): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === "'" || c === '"' || c === '`') i = skipQuote(text, i) - 1;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && /\s/.test(text[i - 1] ?? '') && keyword.test(text.slice(i))) return i;
  }
  return -1;
}

/** Offset just past the quote closing the one at `open` (the splitter already checked it closes). */
function skipQuote(text: string, open: number): number {
  const quote = text[open];
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\' && quote !== '`') i++;
    else if (text[i] === quote) {
      if (text[i + 1] === quote) i++;
      else return i + 1;
    }
  }
  return text.length;
}
