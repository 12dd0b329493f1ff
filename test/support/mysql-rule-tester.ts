/**
 * The MySQL/MariaDB counterpart of rule-tester.ts: tables of valid and invalid SQL per rule,
 * analysed as MySQL against the MySQL rule-test schema (mysql-schema-fixture.ts). Each invalid
 * case also checks that the finding's safe alternative parses as MySQL, holds none of
 * PostgreSQL's words, and, analysed in turn, does not trigger the same rule again (unless the
 * case says it cannot avoid it). Whether it runs on the server is test/rules/mysql/safe-run.test.ts's job.
 */
import { expect } from 'vitest';
import { describeRuleCases } from './rule-cases.js';
import { analyze } from '../../src/api/analyze.js';
import type { Finding, Severity } from '../../src/core/analysis.js';
import type { SchemaSnapshot } from '../../src/core/snapshot.js';
import { DEFAULT_CONFIG, type ResolvedConfig } from '../../src/config/types.js';
import { dialectNamed } from '../../src/dialects/index.js';
import { loadMysqlParser, parseMysql } from '../../src/dialects/mysql/parser.js';
import { inlineMigration } from '../../src/formats/read.js';
import { mysqlTestSchema } from './mysql-schema-fixture.js';

/** Words only PostgreSQL's advice uses: never in a MySQL finding. */
export const POSTGRES_ONLY_WORDS = [
  /CONCURRENTLY/i,
  /NOT VALID/i,
  /\block_timeout\b/i,
  /\bstatement_timeout\b/i,
  /\bVACUUM\b/i,
  /\$\$/,
  /::/,
  /ACCESS EXCLUSIVE/i,
  /pg_\w+/i,
  /PL\/pgSQL/i,
  /\bpsql\b/i,
];

export interface MysqlRuleCase {
  sql: string;
  name?: string;
  /** Server version (default MariaDB 10.11.6; e.g. `8.0.36` for MySQL). */
  version?: string;
  /** Schema to analyse against; `null` for none; default the MySQL test schema. */
  schema?: SchemaSnapshot | null;
  config?: Partial<ResolvedConfig>;
}

export interface MysqlInvalidCase extends MysqlRuleCase {
  message?: RegExp;
  /** The safe alternative; null: the finding has none. */
  safe?: RegExp | null;
  severity?: Severity;
  count?: number;
  /** The safe alternative necessarily does the same thing (a drop): skip the re-analysis. */
  safeStillFlagged?: boolean;
}

export async function mysqlFindingsFor(ruleId: string, c: MysqlRuleCase): Promise<Finding[]> {
  const schema = c.schema === undefined ? mysqlTestSchema(c.version) : c.schema;
  const config: ResolvedConfig = { ...DEFAULT_CONFIG, rules: {}, ...c.config };
  const result = await analyze({
    files: [inlineMigration('test.sql', c.sql, 'plain')],
    snapshot: schema,
    config,
    dialect: dialectNamed('mysql'),
  });
  return result.statements.flatMap((s) => s.findings).filter((f) => f.rule === ruleId);
}

export function mysqlRuleTester(
  ruleId: string,
  cases: { valid: (string | MysqlRuleCase)[]; invalid: MysqlInvalidCase[] },
): void {
  describeRuleCases(ruleId, cases, {
    title: `rule ${ruleId} (MySQL)`,
    findings: mysqlFindingsFor,
    parse: async (sql) => {
      await loadMysqlParser();
      parseMysql(sql, 'safe.sql');
    },
    checkWords: (first) => {
      for (const word of POSTGRES_ONLY_WORDS) {
        expect(first.message).not.toMatch(word);
        expect(first.safeAlternative ?? '').not.toMatch(word);
      }
    },
  });
}
