/**
 * The SQLite counterpart of rule-tester.ts: tables of valid and invalid SQL per rule, analysed
 * as SQLite against the SQLite rule-test schema (sqlite-schema-fixture.ts). Each invalid case
 * also checks that the finding speaks SQLite (none of PostgreSQL's or MySQL's words), that its
 * safe alternative parses as SQLite and, analysed in turn, does not trigger the same rule again
 * (unless the case says it cannot avoid it). Whether it runs on the library is
 * test/rules/sqlite/safe-run.test.ts's job.
 */
import { expect } from 'vitest';
import { describeRuleCases } from './rule-cases.js';
import { analyze } from '../../src/api/analyze.js';
import type { Finding, Severity } from '../../src/core/analysis.js';
import type { SchemaSnapshot } from '../../src/core/snapshot.js';
import { DEFAULT_CONFIG, type ResolvedConfig, type RunnerName } from '../../src/config/types.js';
import { dialectNamed } from '../../src/dialects/index.js';
import { parseSqlite } from '../../src/dialects/sqlite/parser.js';
import { inlineMigration } from '../../src/formats/read.js';
import { sqliteTestSchema, sqliteVersionNumber } from './sqlite-schema-fixture.js';

/**
 * Words only PostgreSQL's or MySQL's advice uses: never in a SQLite finding. (VACUUM is
 * SQLite's too; backticks are left out because a finding may quote the user's own statement.)
 */
export const NOT_SQLITE_WORDS = [
  /CONCURRENTLY/i,
  /NOT VALID/i,
  /\block_timeout\b/i,
  /\bstatement_timeout\b/i,
  /\$\$/,
  /::/,
  /ACCESS EXCLUSIVE/i,
  /SHARE ROW EXCLUSIVE|SHARE UPDATE EXCLUSIVE/i,
  /pg_\w+/i,
  /PL\/pgSQL/i,
  /\bpsql\b/i,
  /\bTG_OP\b/,
  /\bpublic\./,
  /\bVACUUM FULL\b/i,
  /ALGORITHM\s*=/i,
  /\bLOCK\s*=/i,
  /lock_wait_timeout/i,
  /mysqldump/i,
  /pt-online-schema-change|gh-ost/i,
  /\bMySQL\b|\bMariaDB\b|\bInnoDB\b/,
  /\bER_[A-Z_]+\b/,
  /\berror \d{4}\b/,
  /\b42P\d\d\b|\b42703\b|\b42701\b|\b42704\b/,
];

export interface SqliteRuleCase {
  sql: string;
  name?: string;
  /** SQLite version the schema reports (default 3.53.2, the bundled library). */
  version?: string;
  /** Schema to analyse against; `null` for none; default the SQLite test schema. */
  schema?: SchemaSnapshot | null;
  runner?: RunnerName;
  config?: Partial<ResolvedConfig>;
}

export interface SqliteInvalidCase extends SqliteRuleCase {
  message?: RegExp;
  /** The safe alternative; null: the finding has none. */
  safe?: RegExp | null;
  severity?: Severity;
  count?: number;
  /** The safe alternative necessarily does the same thing (a drop): skip the re-analysis. */
  safeStillFlagged?: boolean;
}

export async function sqliteFindingsFor(ruleId: string | null, c: SqliteRuleCase): Promise<Finding[]> {
  const schema = c.schema === undefined ? sqliteTestSchema(c.version) : c.schema;
  const config: ResolvedConfig = {
    ...DEFAULT_CONFIG,
    rules: {},
    // Without a schema the version is the config's.
    targetVersion: schema === null && c.version ? sqliteVersionNumber(c.version) : null,
    ...c.config,
  };
  const result = await analyze({
    files: [inlineMigration('test.sql', c.sql, c.runner ?? 'plain')],
    snapshot: schema,
    config,
    dialect: dialectNamed('sqlite'),
  });
  const all = result.statements.flatMap((s) => s.findings);
  return ruleId === null ? all : all.filter((f) => f.rule === ruleId);
}

/** No PostgreSQL or MySQL word in the finding's message or safe alternative. */
export function expectSqliteWords(finding: Finding): void {
  for (const word of NOT_SQLITE_WORDS) {
    expect(finding.message, `${finding.rule}: ${finding.message}`).not.toMatch(word);
    expect(finding.safeAlternative ?? '', `${finding.rule}: ${finding.safeAlternative}`).not.toMatch(word);
  }
}

export function sqliteRuleTester(
  ruleId: string,
  cases: { valid: (string | SqliteRuleCase)[]; invalid: SqliteInvalidCase[] },
): void {
  describeRuleCases(ruleId, cases, {
    title: `rule ${ruleId} (SQLite)`,
    findings: sqliteFindingsFor,
    parse: (sql) => {
      parseSqlite(sql, 'safe.sql');
    },
    checkWords: (_first, findings) => {
      for (const f of findings) expectSqliteWords(f);
    },
  });
}
