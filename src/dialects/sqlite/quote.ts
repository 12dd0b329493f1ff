/**
 * SQLite quoting: identifiers in double quotes with `"` doubled, strings in single quotes with
 * `'` doubled; no backslash escapes exist (https://www.sqlite.org/lang_keywords.html,
 * https://www.sqlite.org/lang_expr.html#literal_values_constants_). Every identifier is quoted,
 * keyword or not, so no list of keywords can go stale.
 */
import type { Quoter } from '../../core/rule.js';

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The default schema (`main`) is left out of table names, as people write them. */
export function sqliteQuoter(defaultSchema: string): Quoter {
  return {
    ident: quoteIdent,
    table: (qualified) => {
      const dot = qualified.indexOf('.');
      const schema = qualified.slice(0, dot);
      const name = qualified.slice(dot + 1);
      return schema === defaultSchema ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
    },
    literal: quoteLiteral,
  };
}
