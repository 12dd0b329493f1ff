import { describe, expect, it } from 'vitest';
import { renderAnalysisText } from '../../src/reporters/analysis-text.js';
import { formatLines, GROUP_MIN_STATEMENTS, reportEntries } from '../../src/reporters/grouping.js';
import { analyzeSql } from './support.js';

describe('grouping findings of one rule', () => {
  it('writes line lists short: runs of three or more as ranges, a few items, then a count', () => {
    expect(formatLines([1, 2, 3, 5, 7, 8, 9, 10])).toBe('1–3, 5, 7–10');
    expect(formatLines([4, 5])).toBe('4, 5');
    expect(formatLines([9, 1, 5, 1])).toBe('1, 5, 9');
    expect(formatLines([1, 3, 5, 7, 9], 2)).toBe('1, 3, … and 3 more');
    expect(formatLines([1, 3, 4, 5, 6, 9], 2)).toBe('1, 3–6, … and 1 more');
  });

  it(`groups a rule from ${GROUP_MIN_STATEMENTS} statements of a file on, not below`, async () => {
    const indexes = (n: number) =>
      Array.from({ length: n }, (_, i) => `CREATE INDEX idx_${i} ON orders (total)`).join(';\n');
    const below = reportEntries((await analyzeSql(indexes(GROUP_MIN_STATEMENTS - 1))).statements);
    expect(below.every((e) => e.kind === 'statement')).toBe(true);
    const at = reportEntries((await analyzeSql(indexes(GROUP_MIN_STATEMENTS))).statements);
    const groups = at.filter((e) => e.kind === 'group');
    expect(groups.map((g) => g.rule)).toEqual(['index-create-not-concurrent']);
  });

  it('keeps a grouped statement’s other findings with it, and counts statements, not findings', async () => {
    // Three TRUNCATEs of two tables each: six truncate-table findings on three statements.
    const sql = ['TRUNCATE users, orders', 'TRUNCATE users, orders', 'TRUNCATE users, orders'].join(';\n');
    const result = await analyzeSql(sql);
    const truncates = result.statements.flatMap((s) => s.findings.filter((f) => f.rule === 'truncate-table'));
    expect(truncates).toHaveLength(6);
    const text = renderAnalysisText(result);
    expect(text).toContain('migrations/V2__change.sql: truncate-table on 3 statements, lines 1–3');
    expect(text).toMatch(/^ {4}public\.users: 3 statements, lines 1–3$/m);
    expect(text).toMatch(/^ {4}public\.orders: 3 statements, lines 1–3$/m);
    // The first statement's lock-timeout finding is still shown with it, then a pointer to the group.
    const first = text.slice(0, text.indexOf('migrations/V2__change.sql: truncate-table'));
    expect(first).toMatch(/^migrations\/V2__change\.sql:1:1 TRUNCATE users, orders\n/);
    expect(first).toContain('[lock-timeout-missing]');
    expect(first.trimEnd().endsWith('  also truncate-table: shown once for the file, below')).toBe(true);
    expect(first).not.toContain('[truncate-table]');
    // Identical recipes per table say so.
    expect(text).toContain('safe alternative (the same for each):');
  });
});
