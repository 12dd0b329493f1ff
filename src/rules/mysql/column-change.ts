/** A MODIFY/CHANGE of a column read against the catalog: what it was, what it becomes. */
import type { ChangeOf } from '../../core/change.js';
import type { RuleContext } from '../../core/rule.js';
import type { Column } from '../../core/snapshot.js';
import { isTextual, parseMysqlType, writtenType, type MysqlType } from './types.js';

export interface ColumnChange {
  current: Column;
  from: MysqlType;
  to: MysqlType;
  /** The charset after the statement (written, else the table's default for a text type). */
  toCharset: string | null;
  /** The collation after the statement, when written. */
  toCollation: string | null;
}

export function columnChange(ctx: RuleContext, change: ChangeOf<'alter column type'>): ColumnChange | null {
  const table = ctx.table(change.table);
  const current = table?.columns.find((c) => c.name === change.column);
  if (!table || !current) return null;
  const to = writtenType(change.type);
  // MODIFY without CHARACTER SET gives a text column the table's default charset, not its own.
  const toCharset = isTextual(to) ? (to.charset ?? table.charset?.toLowerCase() ?? null) : null;
  return { current, from: parseMysqlType(current.type), to, toCharset, toCollation: change.collation };
}

/** The user's column clause as written in the statement, to paste back with one part changed. */
export function typeSpan(sql: string, column: string): { start: number; end: number } | null {
  const name = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const head = new RegExp(
    `\\b(?:MODIFY|CHANGE)(?:\\s+COLUMN)?\\s+(?:\`?[^\\s\`]+\`?\\s+)?\`?${name}\`?\\s+`,
    'i',
  ).exec(sql);
  if (!head) return null;
  const start = head.index + head[0].length;
  const word = /^[A-Za-z]+(\s+precision)?/i.exec(sql.slice(start));
  if (!word) return null;
  let end = start + word[0].length;
  if (sql[end] === '(' || /^\s*\(/.test(sql.slice(end))) {
    let depth = 0;
    let quote: string | null = null;
    for (let i = sql.indexOf('(', end); i < sql.length; i++) {
      const ch = sql[i];
      if (quote) {
        if (ch === quote && sql[i + 1] === quote) i++;
        else if (ch === quote) quote = null;
      } else if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) {
        end = i + 1;
        break;
      }
    }
  }
  return { start, end };
}
