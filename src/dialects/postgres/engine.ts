/** The PostgreSQL dialect as the analysis loop sees it. */
import type { Engine } from '../../core/dialect/language.js';
import { postgresFacts } from './facts.js';
import { lowerStatement } from './lower.js';
import { parsePostgres } from './parser.js';
import { quoteIdent, quoteLiteral } from './quote.js';

export function postgresEngine(defaultSchema: string): Engine & { dialect: 'postgres' } {
  return {
    dialect: 'postgres' as const,
    parse: parsePostgres,
    lower: (ast, schema) => lowerStatement(ast, { defaultSchema: schema }),
    facts: postgresFacts,
    quote: {
      ident: quoteIdent,
      table: (qualified) => {
        const dot = qualified.indexOf('.');
        const schema = qualified.slice(0, dot);
        const name = qualified.slice(dot + 1);
        return schema === defaultSchema ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
      },
      literal: quoteLiteral,
    },
  };
}
