/**
 * What a CREATE INDEX statement says that pragma_index_xinfo does not: the text of an
 * expression key (xinfo reports cid -2 and no name) and the WHERE of a partial index
 * (pragma_index_list only flags it). https://www.sqlite.org/lang_createindex.html
 */
import { isPunct, isWord, matchingParen, sourceOf, splitTopLevel, tokenize } from './lexer.js';

export interface ParsedIndexPart {
  /** The key as written, without a trailing COLLATE, ASC or DESC. */
  expression: string;
  /** COLLATE written on this key, if any. */
  collation: string | null;
}

export interface ParsedIndex {
  parts: ParsedIndexPart[];
  /** The WHERE expression of a partial index, as written; null otherwise. */
  where: string | null;
}

export function parseCreateIndex(sql: string): ParsedIndex {
  const tokens = tokenize(sql);
  const on = tokens.findIndex((t) => isWord(t, 'ON'));
  const open = tokens.findIndex((t, i) => i > on && isPunct(t, '('));
  if (on === -1 || open === -1) return { parts: [], where: null };
  const close = matchingParen(tokens, open);
  const parts = splitTopLevel(tokens, open + 1, close).map(([from, to]) => {
    let end = to - 1;
    if (isWord(tokens[end], 'ASC', 'DESC')) end--;
    let collation: string | null = null;
    if (end - 1 > from && isWord(tokens[end - 1], 'COLLATE')) {
      collation = tokens[end]?.value ?? null;
      end -= 2;
    }
    return { expression: sourceOf(sql, tokens, from, end), collation };
  });
  const where = tokens.findIndex((t, i) => i > close && isWord(t, 'WHERE'));
  return {
    parts,
    where: where === -1 ? null : sourceOf(sql, tokens, where + 1, tokens.length - 1) || null,
  };
}
