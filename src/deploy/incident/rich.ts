/**
 * The words of an incident report before rendering: trusted prose with data and code pieces,
 * which each renderer (src/reporters/incident) turns safe for its output, and the advice items.
 */

/** Characters of a query shown in a table cell or a one-line summary. */
export const QUERY_CELL_CHARS = 80;

// ---------------------------------------------------------------------------------------------
// Rich text: trusted prose with data and code pieces, rendered safely for each output.

export type Piece = string | { data: string } | { code: string };
export type Rich = Piece[];

/** Template literal: the literal parts are our prose; interpolated strings and numbers are data. */
export function r(
  strings: TemplateStringsArray,
  ...values: (string | number | { code: string } | Rich)[]
): Rich {
  const out: Rich = [];
  strings.forEach((s, i) => {
    if (s) out.push(s);
    if (i < values.length) {
      const v = values[i];
      if (Array.isArray(v)) out.push(...v);
      else if (typeof v === 'object' && v !== null) out.push(v);
      else out.push({ data: String(v) });
    }
  });
  return out;
}

export const code = (text: string | number): { code: string } => ({ code: String(text) });

export function richPlain(text: Rich): string {
  return text.map((p) => (typeof p === 'string' ? p : 'code' in p ? p.code : p.data)).join('');
}

/** One thing to do: words, and SQL to run when there is some. */
export interface Advice {
  text: Rich;
  sql?: string[];
}

export function formatMs(ms: number): string {
  const n = Math.max(0, Math.round(ms));
  if (n < 1000) return `${n} ms`;
  if (n < 60_000) return `${(n / 1000).toFixed(1)} s`;
  if (n < 3_600_000) return `${Math.round(n / 60_000)} min`;
  return `${(n / 3_600_000).toFixed(1)} h`;
}

export function clipOneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
