/** The SQLite dialect as the analysis loop sees it. */
import type { Engine } from '../../core/dialect/language.js';
import { sqliteFacts } from './facts/index.js';
import { lowerSqlite } from './lower.js';
import { parseSqlite } from './parser.js';
import { sqliteQuoter } from './quote.js';

export function sqliteEngine(defaultSchema: string): Engine {
  return {
    dialect: 'sqlite',
    parse: parseSqlite,
    lower: lowerSqlite,
    facts: sqliteFacts,
    quote: sqliteQuoter(defaultSchema),
    settingsOf: (snapshot): Record<string, string> => {
      const journalMode = snapshot?.sqliteFile?.journalMode;
      return journalMode ? { journal_mode: journalMode } : {};
    },
  };
}
