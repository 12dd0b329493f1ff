/** The MySQL/MariaDB dialect as the analysis loop sees it. */
import type { Engine } from '../../core/dialect/language.js';
import { mysqlFacts } from './facts/index.js';
import { lowerMysql } from './lower.js';
import { parseMysql } from './parser.js';
import { mysqlQuoter } from './quote.js';

export function mysqlEngine(defaultSchema: string): Engine {
  return {
    dialect: 'mysql',
    parse: parseMysql,
    lower: lowerMysql,
    facts: mysqlFacts,
    quote: mysqlQuoter(defaultSchema),
    ddlCommitsTransaction: true,
  };
}
