/**
 * Column references in an expression the server printed (a CHECK constraint's definition from
 * pg_get_constraintdef), found token by token: a name may hold quotes, `$$` or newlines, and a
 * string literal may hold anything, so a regular expression over the text finds references
 * inside literals and misses quoted names.
 */

/**
 * `sql` with every reference to `column` replaced by `replacement` (already quoted), and how
 * many there were. Skipped: string literals ('…', E'…'), type names after `::`, function names
 * (followed by `(`) and qualified parts (next to a `.`).
 */
export function replaceColumnRefs(
  sql: string,
  column: string,
  replacement: string,
): { text: string; count: number } {
  let out = '';
  let count = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql.charAt(i);
    if (ch === "'") {
      const end = literalEnd(sql, i, /[eE]$/.test(out) && !/[\p{L}\p{N}_$][eE]$/u.test(out));
      out += sql.slice(i, end);
      i = end;
      continue;
    }
    let name: string | null = null;
    let end = i;
    if (ch === '"') {
      end = i + 1;
      while (end < sql.length) {
        if (sql[end] === '"' && sql[end + 1] === '"') end += 2;
        else if (sql[end] === '"') break;
        else end++;
      }
      end = Math.min(end + 1, sql.length);
      name = sql.slice(i + 1, end - 1).replace(/""/g, '"');
    } else if (/[\p{L}_]/u.test(ch)) {
      end = i + 1;
      while (end < sql.length && /[\p{L}\p{N}_$]/u.test(sql.charAt(end))) end++;
      // Unquoted names are folded to lower case.
      name = sql.slice(i, end).toLowerCase();
    } else if (/[0-9]/.test(ch)) {
      end = i + 1;
      while (end < sql.length && /[\p{L}\p{N}_.]/u.test(sql.charAt(end))) end++;
    } else {
      end = i + 1;
    }
    const token = sql.slice(i, end);
    const isReference =
      name === column &&
      !/::\s*$/.test(out) &&
      !/\.\s*$/.test(out) &&
      !/^\s*[(.]/.test(sql.slice(end)) &&
      // E'…': the E is a prefix, not a name.
      !(/^[eE]$/.test(token) && sql[end] === "'");
    out += isReference ? replacement : token;
    if (isReference) count++;
    i = end;
  }
  return { text: out, count };
}

/** Index just after the string literal starting at `start` (a quote). */
function literalEnd(sql: string, start: number, backslashEscapes: boolean): number {
  let j = start + 1;
  while (j < sql.length) {
    if (backslashEscapes && sql[j] === '\\') j += 2;
    else if (sql[j] === "'" && sql[j + 1] === "'") j += 2;
    else if (sql[j] === "'") return j + 1;
    else j++;
  }
  return sql.length;
}
