/**
 * Task of issue 16: no PostgreSQL or MySQL advice on a SQLite analysis. Every file of the parser
 * corpus (test/fixtures/sqlite/corpus/, each on its own, as --dialect sqlite without a schema,
 * and on the rule-test schema) and the unsafe fixtures (test/fixtures/sqlite/rules/: unsafe.sql
 * on SQLite 3.53.2 and 3.31.1 and without a schema, rebuild.sql, rebuild-runner.sql under
 * Drizzle's transaction) are analysed as SQLite; no finding's message or safe alternative may
 * hold a PostgreSQL or MySQL word, no rule written for another dialect may fire, and every
 * SQLite rule fires on the fixtures.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/api/analyze.js';
import type { Finding } from '../../../src/core/analysis.js';
import type { SchemaSnapshot } from '../../../src/core/snapshot.js';
import { DEFAULT_CONFIG, type RunnerName } from '../../../src/config/types.js';
import { dialectNamed } from '../../../src/dialects/index.js';
import { inlineMigration } from '../../../src/formats/read.js';
import { allRules } from '../../../src/rules/index.js';
import { corpusFiles } from '../../dialects/sqlite/support.js';
import { expectSqliteWords } from '../../support/sqlite-rule-tester.js';
import { SQLITE_FIXTURE_DIR, sqliteTestSchema } from '../../support/sqlite-schema-fixture.js';

const fixture = (name: string) => ({ name, text: readFileSync(new URL(name, SQLITE_FIXTURE_DIR), 'utf8') });
const otherDialects = new Set(
  allRules.filter((r) => r.meta.dialects && !r.meta.dialects.includes('sqlite')).map((r) => r.meta.id),
);

async function findings(
  file: { name: string; text: string },
  schema: SchemaSnapshot | null,
  runner: RunnerName = 'plain',
): Promise<Finding[]> {
  const result = await analyze({
    files: [inlineMigration(file.name, file.text, runner)],
    snapshot: schema,
    config: { ...DEFAULT_CONFIG, rules: {} },
    dialect: dialectNamed('sqlite'),
  });
  return result.statements.flatMap((s) => s.findings);
}

function expectSqliteOnly(all: readonly Finding[]): void {
  expect(all.filter((f) => otherDialects.has(f.rule)).map((f) => f.rule)).toEqual([]);
  for (const f of all) expectSqliteWords(f);
}

describe('SQLite findings speak SQLite: the parser corpus, file by file', () => {
  const files = corpusFiles();
  it('has files to analyse', () => expect(files.length).toBeGreaterThanOrEqual(9));
  for (const file of files) {
    it(`${file.name} without a schema (--dialect sqlite)`, async () =>
      expectSqliteOnly(await findings(file, null)));
    it(`${file.name} on the rule-test schema`, async () =>
      expectSqliteOnly(await findings(file, sqliteTestSchema())));
  }
});

const CASES: { name: string; run: () => Promise<Finding[]> }[] = [
  { name: 'unsafe.sql on SQLite 3.53.2', run: () => findings(fixture('unsafe.sql'), sqliteTestSchema()) },
  {
    name: 'unsafe.sql on SQLite 3.31.1',
    run: () => findings(fixture('unsafe.sql'), sqliteTestSchema('3.31.1')),
  },
  { name: 'unsafe.sql without a schema', run: () => findings(fixture('unsafe.sql'), null) },
  { name: 'rebuild.sql', run: () => findings(fixture('rebuild.sql'), sqliteTestSchema()) },
  {
    name: "rebuild-runner.sql in Drizzle's transaction",
    run: () => findings(fixture('rebuild-runner.sql'), sqliteTestSchema(), 'drizzle'),
  },
];

describe('SQLite findings speak SQLite: the unsafe fixtures', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const all = await c.run();
      // Something to check: the fixtures are written to make findings.
      expect(all.length).toBeGreaterThan(3);
      expectSqliteOnly(all);
    });
  }

  it('every SQLite rule fires on the fixtures', async () => {
    const fired = new Set((await Promise.all(CASES.map((c) => c.run()))).flat().map((f) => f.rule));
    const sqliteRules = allRules.filter((r) => r.meta.dialects?.includes('sqlite')).map((r) => r.meta.id);
    expect(sqliteRules.length).toBe(7);
    expect(sqliteRules.filter((id) => !fired.has(id))).toEqual([]);
  });

  it('the rules for every dialect that speak SQLite fire on them too', async () => {
    const fired = new Set((await Promise.all(CASES.map((c) => c.run()))).flat().map((f) => f.rule));
    for (const id of [
      'drop-column',
      'drop-table',
      'rename-column',
      'rename-table',
      'dml-without-where',
      'drop-not-null',
      'missing-object',
    ])
      expect(fired.has(id), id).toBe(true);
  });
});
