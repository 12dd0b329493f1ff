import { defineRule } from '../../core/rule.js';
import { shown } from './words.js';

/**
 * `utf8` in MySQL is utf8mb3: at most 3 bytes a character, so emoji and every other character
 * outside the Basic Multilingual Plane fail to insert (strict mode) or are cut off. The name is
 * deprecated (MySQL 8.0 warns on it, and `utf8` is to mean utf8mb4 one day). Use utf8mb4.
 * https://dev.mysql.com/doc/refman/8.0/en/charset-unicode-utf8mb3.html
 * https://mariadb.com/kb/en/unicode/
 */
const UTF8MB3 = /\b(CHARSET|CHARACTER\s+SET|COLLATE)(\s*=?\s*)(utf8mb3|utf8)(?![a-z0-9])(_\w+)?/gi;

/** The statement with string literals blanked, so that a DEFAULT 'utf8' is not read as a charset. */
function code(sql: string): string {
  return sql.replace(/'(?:[^'\\]|''|\\.)*'/g, (s) => ' '.repeat(s.length));
}

export default defineRule({
  meta: {
    id: 'mysql-utf8mb3',
    category: 'hygiene',
    severity: 'warning',
    description: 'utf8 / utf8mb3 cannot store emoji and other 4-byte characters, and the name is deprecated',
    kinds: ['create table', 'add column', 'alter column type', 'alter table other'],
    scalesWithSize: false,
    skipNewTables: false,
    dialects: ['mysql'],
  },
  check(ctx) {
    // One finding per statement: its first Change speaks for it.
    if (ctx.statementChanges[0] !== ctx.change) return [];
    const text = ctx.statement.sql;
    const blanked = code(text);
    if (!new RegExp(UTF8MB3.source, 'i').test(blanked)) return [];
    let fixed = '';
    let at = 0;
    for (const m of blanked.matchAll(UTF8MB3)) {
      const [all, keyword = '', gap = '', , suffix = ''] = m;
      fixed += `${text.slice(at, m.index)}${keyword}${gap}utf8mb4${suffix}`;
      at = (m.index ?? 0) + all.length;
    }
    fixed += text.slice(at);
    const table =
      'table' in ctx.change && typeof ctx.change.table === 'string' ? shown(ctx.change.table) : 'this table';
    return [
      {
        message: `${table} gets the utf8 (utf8mb3) character set: it stores at most 3 bytes a character, so emoji and other characters outside the Basic Multilingual Plane cannot be stored, and the name is deprecated. Use utf8mb4.`,
        safeAlternative: `${fixed};`,
      },
    ];
  },
});
