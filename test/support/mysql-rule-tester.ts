/**
 * The MySQL/MariaDB counterpart of rule-tester.ts: tables of valid and invalid SQL per rule,
 * analysed as MySQL against the MySQL rule-test schema (mysql-schema-fixture.ts). Each invalid
 * case also checks that the finding's safe alternative parses as MySQL, holds none of
 * PostgreSQL's words, and, analysed in turn, does not trigger the same rule again (unless the
 * case says it cannot avoid it). Whether it runs on the server is test/rules/mysql/safe-run.test.ts's job.
 */
import { describe, expect, it } from 'vitest';
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
  describe(`rule ${ruleId} (MySQL)`, () => {
    for (const v of cases.valid) {
      const c = typeof v === 'string' ? { sql: v } : v;
      it(`valid: ${c.name ?? c.sql}`, async () => {
        expect(await mysqlFindingsFor(ruleId, c)).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name ?? c.sql}`, async () => {
        const findings = await mysqlFindingsFor(ruleId, c);
        if (c.count !== undefined) expect(findings).toHaveLength(c.count);
        else expect(findings.length).toBeGreaterThan(0);
        const [first] = findings;
        if (!first) return;
        if (c.message) expect(first.message).toMatch(c.message);
        if (c.severity) expect(first.severity).toBe(c.severity);
        if (c.safe === null) expect(first.safeAlternative).toBeNull();
        else if (c.safe) expect(first.safeAlternative ?? '').toMatch(c.safe);
        for (const word of POSTGRES_ONLY_WORDS) {
          expect(first.message).not.toMatch(word);
          expect(first.safeAlternative ?? '').not.toMatch(word);
        }
        if (first.safeAlternative) {
          await loadMysqlParser();
          // Ready to paste: it parses as MySQL.
          expect(() => parseMysql(first.safeAlternative ?? '', 'safe.sql')).not.toThrow();
          if (!c.safeStillFlagged) {
            const again = await mysqlFindingsFor(ruleId, { ...c, sql: first.safeAlternative });
            expect(again, `safe alternative still triggers ${ruleId}:\n${first.safeAlternative}`).toEqual([]);
          }
        }
      });
    }
  });
}
