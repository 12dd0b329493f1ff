/**
 * RuleTester, in the style of ESLint's: tables of valid and invalid SQL per rule. Each invalid
 * case also checks that the finding's safe alternative parses as PostgreSQL and, analysed in
 * turn, does not trigger the same rule again (unless the case says it cannot avoid it).
 */
import { describeRuleCases } from './rule-cases.js';
import { analyze } from '../../src/api/analyze.js';
import type { Finding, Severity } from '../../src/core/analysis.js';
import type { SchemaSnapshot } from '../../src/core/snapshot.js';
import { DEFAULT_CONFIG, type ResolvedConfig, type RunnerName } from '../../src/config/types.js';
import { inlineMigration } from '../../src/formats/read.js';
import { loadPostgresParser, parsePostgres } from '../../src/dialects/postgres/parser.js';
import { testSchema } from './schema-fixture.js';

export interface RuleCase {
  sql: string;
  /** Test title; defaults to the SQL. */
  name?: string;
  /** Server major (default 15). */
  major?: number;
  runner?: RunnerName;
  /** Schema to analyse against; `null` for none; default testSchema(major). */
  schema?: SchemaSnapshot | null;
  config?: Partial<ResolvedConfig>;
}

export interface InvalidCase extends RuleCase {
  message?: RegExp;
  /** The safe alternative; null: the finding has none (the message says what to do). */
  safe?: RegExp | null;
  severity?: Severity;
  /** Number of findings of this rule (default: at least one). */
  count?: number;
  /** The safe alternative necessarily does the same thing (e.g. a drop): skip the re-analysis. */
  safeStillFlagged?: boolean;
}

export async function findingsFor(ruleId: string, c: RuleCase): Promise<Finding[]> {
  const major = c.major ?? 15;
  const snapshot = c.schema === undefined ? testSchema(major) : c.schema;
  const config: ResolvedConfig = { ...DEFAULT_CONFIG, rules: {}, targetVersion: major, ...c.config };
  const result = await analyze({
    files: [inlineMigration('test.sql', c.sql, c.runner ?? 'plain')],
    snapshot,
    config,
  });
  return result.statements.flatMap((s) => s.findings).filter((f) => f.rule === ruleId);
}

export function ruleTester(
  ruleId: string,
  cases: { valid: (string | RuleCase)[]; invalid: InvalidCase[] },
): void {
  describeRuleCases(ruleId, cases, {
    title: `rule ${ruleId}`,
    findings: findingsFor,
    parse: async (sql) => {
      await loadPostgresParser();
      parsePostgres(sql, 'safe.sql');
    },
  });
}
