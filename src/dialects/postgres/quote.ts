/**
 * Identifier and literal quoting for generated PostgreSQL, matching the server's quote_ident
 * and quote_literal, so generated SQL compares equal to what the server prints. A test checks
 * `quoteIdent` against `quote_ident()` for every keyword of the server it runs on.
 */

/**
 * Keywords that quote_ident quotes: every category except unreserved (pg_get_keywords() catcode
 * <> 'U'), the union over PostgreSQL 15 and 18. Quoting a word that is not a keyword on an
 * older server is harmless.
 */
const QUOTED_KEYWORDS: ReadonlySet<string> = new Set([
  'all',
  'analyse',
  'analyze',
  'and',
  'any',
  'array',
  'as',
  'asc',
  'asymmetric',
  'authorization',
  'between',
  'bigint',
  'binary',
  'bit',
  'boolean',
  'both',
  'case',
  'cast',
  'char',
  'character',
  'check',
  'coalesce',
  'collate',
  'collation',
  'column',
  'concurrently',
  'constraint',
  'create',
  'cross',
  'current_catalog',
  'current_date',
  'current_role',
  'current_schema',
  'current_time',
  'current_timestamp',
  'current_user',
  'dec',
  'decimal',
  'default',
  'deferrable',
  'desc',
  'distinct',
  'do',
  'else',
  'end',
  'except',
  'exists',
  'extract',
  'false',
  'fetch',
  'float',
  'for',
  'foreign',
  'freeze',
  'from',
  'full',
  'grant',
  'greatest',
  'group',
  'grouping',
  'having',
  'ilike',
  'in',
  'initially',
  'inner',
  'inout',
  'int',
  'integer',
  'intersect',
  'interval',
  'into',
  'is',
  'isnull',
  'join',
  'json',
  'json_array',
  'json_arrayagg',
  'json_exists',
  'json_object',
  'json_objectagg',
  'json_query',
  'json_scalar',
  'json_serialize',
  'json_table',
  'json_value',
  'lateral',
  'leading',
  'least',
  'left',
  'like',
  'limit',
  'localtime',
  'localtimestamp',
  'merge_action',
  'national',
  'natural',
  'nchar',
  'none',
  'normalize',
  'not',
  'notnull',
  'null',
  'nullif',
  'numeric',
  'offset',
  'on',
  'only',
  'or',
  'order',
  'out',
  'outer',
  'overlaps',
  'overlay',
  'placing',
  'position',
  'precision',
  'primary',
  'real',
  'references',
  'returning',
  'right',
  'row',
  'select',
  'session_user',
  'setof',
  'similar',
  'smallint',
  'some',
  'substring',
  'symmetric',
  'system_user',
  'table',
  'tablesample',
  'then',
  'time',
  'timestamp',
  'to',
  'trailing',
  'treat',
  'trim',
  'true',
  'union',
  'unique',
  'user',
  'using',
  'values',
  'varchar',
  'variadic',
  'verbose',
  'when',
  'where',
  'window',
  'with',
  'xmlattributes',
  'xmlconcat',
  'xmlelement',
  'xmlexists',
  'xmlforest',
  'xmlnamespaces',
  'xmlparse',
  'xmlpi',
  'xmlroot',
  'xmlserialize',
  'xmltable',
]);

/** `users` stays `users`; `User`, `order`, `my-table` become `"User"`, `"order"`, `"my-table"`. */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !QUOTED_KEYWORDS.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.name` with each part quoted as needed. */
export function quoteQualified(qualified: string): string {
  const dot = qualified.indexOf('.');
  if (dot < 0) return quoteIdent(qualified);
  return `${quoteIdent(qualified.slice(0, dot))}.${quoteIdent(qualified.slice(dot + 1))}`;
}

/** A string literal; E'' form when it holds a backslash, as quote_literal does. */
export function quoteLiteral(value: string): string {
  const escaped = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${escaped.replace(/\\/g, '\\\\')}'` : `'${escaped}'`;
}

/**
 * `body` dollar-quoted, for function bodies and DO blocks: `$tag$body$tag$` with the first of
 * `tag`, `tag_1`, `tag_2`, … whose delimiter does not occur in the body, so no name or literal
 * inside it (a column called `c$$`, a default holding `$schemapilot$`) can end the string early.
 * Deterministic: the same body gets the same tag.
 * https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-DOLLAR-QUOTING
 */
export function dollarQuote(body: string, tag = 'schemapilot'): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tag)) throw new Error(`not a dollar-quote tag: ${tag}`);
  for (let n = 0; ; n++) {
    const delimiter = `$${n === 0 ? tag : `${tag}_${n}`}$`;
    // Checked with the closing delimiter appended: a body ending in `$tag` would otherwise
    // close early on the delimiter's own characters.
    if ((body + delimiter).indexOf(delimiter) === body.length) return `${delimiter}${body}${delimiter}`;
  }
}
