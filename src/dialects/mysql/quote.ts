/** MySQL quoting: identifiers in backticks, strings in single quotes. */
import type { Quoter } from '../../core/rule.js';

/** `name` with backticks doubled: https://dev.mysql.com/doc/refman/8.0/en/identifiers.html */
export function quoteMysqlIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/**
 * A string literal. Backslashes are doubled as well as quotes: under the default sql_mode a
 * backslash escapes; under NO_BACKSLASH_ESCAPES the doubled backslash would stay two, so
 * generated SQL never puts a user's backslash in a literal that must round-trip exactly there.
 * https://dev.mysql.com/doc/refman/8.0/en/string-literals.html
 */
export function quoteMysqlLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** The default schema (the session's database) is left out of table names, as people write them. */
export function mysqlQuoter(defaultSchema: string): Quoter {
  return {
    ident: quoteMysqlIdent,
    table: (qualified) => {
      const dot = qualified.indexOf('.');
      const schema = qualified.slice(0, dot);
      const name = qualified.slice(dot + 1);
      return schema === defaultSchema
        ? quoteMysqlIdent(name)
        : `${quoteMysqlIdent(schema)}.${quoteMysqlIdent(name)}`;
    },
    literal: quoteMysqlLiteral,
  };
}
