/** What the three incident renderings share: rich text made safe, cells, clipping. */
import type { Rich } from '../../deploy/incident/rich.js';
import { clipOneLine, QUERY_CELL_CHARS } from '../../deploy/incident/rich.js';
import type { IncidentWords } from '../../core/dialect/deploy.js';
import { clipLines, codeSpan, escapeInline } from '../markdown-text.js';

/** Lines and characters of a query or statement shown in a code block. */
export const QUERY_BLOCK_LINES = 30;
export const QUERY_BLOCK_CHARS = 1000;
export const SQL_BLOCK_LINES = 80;
export const SQL_BLOCK_CHARS = 4000;
export const MESSAGE_CHARS = 500;

export function richMarkdown(text: Rich): string {
  return text
    .map((p) => (typeof p === 'string' ? p : 'code' in p ? codeSpan(p.code) : escapeInline(p.data)))
    .join('');
}

/** For a terminal: data on one line, without control characters (no escape sequences from data). */
export function richTerminal(text: Rich): string {
  return text.map((p) => (typeof p === 'string' ? p : safe('code' in p ? p.code : p.data))).join('');
}

export function safe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r?\n|\r/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

export function clipBlock(text: string, lines: number, chars: number): string {
  const clipped = clipLines(text, lines, chars);
  const cut = clipped.text.length < text.length;
  if (!cut) return text;
  return `${clipped.text}\n-- … cut: ${text.length - clipped.text.length} more characters`;
}

/** A table cell: escaped data; `|` is escaped even inside code spans (GFM splits cells first). */
export function cell(text: string | null): string {
  return text === null || text === '' ? '–' : escapeInline(clipOneLine(text, 120));
}

export function codeCell(text: string | null, max = QUERY_CELL_CHARS): string {
  return text === null || text === '' ? '–' : codeSpan(clipOneLine(text, max)).replace(/\|/g, '\\|');
}

export function sqlstateWords(error: { sqlstate: string | null }, words: IncidentWords): string {
  if (!error.sqlstate) return `no ${words.codeLabel}`;
  const name = words.errorName(error.sqlstate);
  return name ? `${words.codeLabel} ${error.sqlstate} (${name})` : `${words.codeLabel} ${error.sqlstate}`;
}
