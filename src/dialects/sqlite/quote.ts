/**
 * TODO: quote identifiers and literals exactly as SQLite reads them, so generated SQL never
 * pastes a name or a value as it came. A test checks them against the server's own quoting of
 * every keyword and of odd names, as test/dialects/postgres/catalog-details.test.ts does with quote_ident.
 */
import { notImplemented } from './not-implemented.js';

export function quoteIdent(_name: string): string {
  return notImplemented('identifier quoting', 'quote.ts');
}

export function quoteLiteral(_value: string): string {
  return notImplemented('literal quoting', 'quote.ts');
}
