/**
 * The dialect contract, proven by a dialect that is not PostgreSQL: the toy dialect of this
 * folder (two statements, parse/lower/facts) goes through analyze() end to end. The only line
 * outside its folder that knows it is the registerDialect call below.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/api/analyze.js';
import { dialectNamed, registerDialect } from '../../../src/dialects/index.js';
import { renderAnalysisText } from '../../../src/reporters/analysis-text.js';
import { toyDialect } from './index.js';

beforeAll(() => registerDialect(toyDialect));

const migration = {
  path: 'migrations/001_cleanup.sql',
  sql: '-- tidy up\nDROP TABLE sessions;\n  ALTER TABLE users DROP COLUMN nickname;\n',
  transaction: 'none' as const,
};

describe('a toy dialect through analyze()', () => {
  it('parses, lowers and judges with its own facts, and only the rules for every dialect run', async () => {
    const result = await analyze({ files: [migration], dialect: dialectNamed('toy') });
    expect(result.dialect).toBe('toy');
    expect(result.statements.map((s) => [s.line, s.column, s.sql])).toEqual([
      [2, 1, 'DROP TABLE sessions'],
      [3, 3, 'ALTER TABLE users DROP COLUMN nickname'],
    ]);
    // The toy's facts, not PostgreSQL's: every statement locks its table, with the toy's note.
    for (const s of result.statements) expect(s.locks.map((l) => l.mode)).toEqual(['ACCESS EXCLUSIVE']);
    expect(result.statements[1]?.locks[0]?.table).toBe('main.users');
    // Rules for every dialect found the breaking changes; PostgreSQL-only rules (lock_timeout,
    // CONCURRENTLY) stayed silent although nothing here sets a lock timeout.
    const rules = result.statements.flatMap((s) => s.findings.map((f) => f.rule));
    expect(rules).toContain('drop-table');
    expect(rules).toContain('drop-column');
    expect(rules).not.toContain('lock-timeout-missing');
    expect(result.assessment.breaking_changes.join('\n')).toMatch(/sessions/);
    expect(result.assessment.breaking_changes.join('\n')).toMatch(/nickname/);
    expect(result.assessment.safe_to_deploy).toBe(false);
    // The version it assumed is the toy's, in its words.
    expect(result.assumptions.join('\n')).toContain('Toy 1');
    expect(result.assumptions.join('\n')).not.toContain('PostgreSQL');
    const text = renderAnalysisText(result);
    expect(text).toContain('DROP TABLE sessions');
  });

  it("reports the toy parser's syntax errors with file, line and column", async () => {
    const bad = { ...migration, sql: 'DROP TABLE a;\nCREATE TABLE b (id int);' };
    await expect(analyze({ files: [bad], dialect: dialectNamed('toy') })).rejects.toThrow(
      'migrations/001_cleanup.sql:2:1: toy does not understand "CREATE TABLE b (id int)"',
    );
  });

  it('is refused under a name the registry already holds', () => {
    expect(() => registerDialect({ ...toyDialect })).toThrow('a dialect named "toy" is already registered');
  });
});
