/**
 * Task of issue 14: no PostgreSQL advice on a MySQL analysis. The parser corpus
 * (test/fixtures/mysql/corpus/, every file in order, without a schema) and the unsafe fixture
 * (test/fixtures/mysql/rules/unsafe.sql, on the rule-test schema) are analysed as MySQL 8.4 and
 * MariaDB 10.11; no finding's message or safe alternative may hold a PostgreSQL-only word, and
 * no rule written for PostgreSQL only may fire.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/api/analyze.js';
import type { Finding } from '../../../src/core/analysis.js';
import type { SchemaSnapshot } from '../../../src/core/snapshot.js';
import { DEFAULT_CONFIG } from '../../../src/config/types.js';
import { dialectNamed } from '../../../src/dialects/index.js';
import { inlineMigration } from '../../../src/formats/read.js';
import { allRules } from '../../../src/rules/index.js';
import { corpusFiles } from '../../dialects/mysql/corpus.js';
import { MYSQL_FIXTURE_DIR, mysqlTestSchema } from '../../support/mysql-schema-fixture.js';
import { POSTGRES_ONLY_WORDS } from '../../support/mysql-rule-tester.js';

const UNSAFE = readFileSync(new URL('unsafe.sql', MYSQL_FIXTURE_DIR), 'utf8');
const postgresOnly = new Set(
  allRules.filter((r) => r.meta.dialects && !r.meta.dialects.includes('mysql')).map((r) => r.meta.id),
);

async function findings(
  files: { name: string; text: string }[],
  schema: SchemaSnapshot | null,
  version: number | null,
): Promise<Finding[]> {
  const result = await analyze({
    files: files.map((f) => inlineMigration(f.name, f.text, 'plain')),
    snapshot: schema,
    config: { ...DEFAULT_CONFIG, rules: {}, targetVersion: version },
    dialect: dialectNamed('mysql'),
  });
  return result.statements.flatMap((s) => s.findings);
}

const CASES: { name: string; run: () => Promise<Finding[]> }[] = [
  { name: 'the parser corpus as MySQL 8.4', run: () => findings(corpusFiles(), null, null) },
  { name: 'the parser corpus as MariaDB 10.11', run: () => findings(corpusFiles(), mysqlTestSchema(), null) },
  {
    name: 'the unsafe fixture on MariaDB 10.11',
    run: () => findings([{ name: 'unsafe.sql', text: UNSAFE }], mysqlTestSchema(), null),
  },
  {
    name: 'the unsafe fixture on MySQL 8.0.36',
    run: () => findings([{ name: 'unsafe.sql', text: UNSAFE }], mysqlTestSchema('8.0.36'), null),
  },
  {
    name: 'the unsafe fixture without a schema',
    run: () => findings([{ name: 'unsafe.sql', text: UNSAFE }], null, null),
  },
];

describe('MySQL findings speak MySQL', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const all = await c.run();
      // Something to check: the fixtures are written to make findings.
      expect(all.length).toBeGreaterThan(10);
      expect(all.filter((f) => postgresOnly.has(f.rule)).map((f) => f.rule)).toEqual([]);
      for (const f of all) {
        const text = `${f.message}\n${f.safeAlternative ?? ''}`;
        for (const word of POSTGRES_ONLY_WORDS) expect(text, `${f.rule}: ${text}`).not.toMatch(word);
      }
    });
  }

  it('every MySQL rule fires on the unsafe fixture', async () => {
    const fired = new Set(
      (await findings([{ name: 'unsafe.sql', text: UNSAFE }], mysqlTestSchema(), null)).map((f) => f.rule),
    );
    const mysqlRules = allRules.filter((r) => r.meta.dialects?.includes('mysql')).map((r) => r.meta.id);
    expect(mysqlRules.filter((id) => !fired.has(id))).toEqual([]);
  });
});
