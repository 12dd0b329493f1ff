import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/api/analyze.js';
import { estimateChangeMs } from '../../src/assess/duration.js';
import { DEFAULT_THROUGHPUT } from '../../src/assess/throughput.js';
import type { ChangeFacts } from '../../src/core/analysis.js';
import { DEFAULT_CONFIG } from '../../src/config/types.js';
import { inlineMigration } from '../../src/formats/read.js';
import { testSchema } from '../support/schema-fixture.js';

const base: ChangeFacts = {
  locks: [],
  rewritesTable: false,
  scansTable: false,
  rebuildsIndexes: false,
  buildsIndex: false,
  rejectsExistingValues: false,
  validates: [],
  emptiesTable: false,
  transactional: true,
  notes: [],
};
const size = { tableBytes: 600e6, indexBytes: 100e6 };

describe('lock duration model', () => {
  it('grows with the bytes a rewrite, scan or index build must read', () => {
    const rewrite = estimateChangeMs({ ...base, rewritesTable: true }, size, 0);
    expect(rewrite).toBe(
      Math.round(DEFAULT_THROUGHPUT.catalogOnlyMs + (600e6 / DEFAULT_THROUGHPUT.rewriteBytesPerSec) * 1000),
    );
    expect(
      estimateChangeMs({ ...base, rewritesTable: true }, { tableBytes: 1200e6, indexBytes: 0 }, 0),
    ).toBeGreaterThan(rewrite * 1.9);
    expect(estimateChangeMs(base, size, 3)).toBe(DEFAULT_THROUGHPUT.catalogOnlyMs);
    expect(
      estimateChangeMs({ ...base, rewritesTable: true, rebuildsIndexes: true }, size, 2),
    ).toBeGreaterThan(rewrite);
  });

  it('treats TRUNCATE as instant whatever the size: it discards rows, it does not rewrite them', async () => {
    const config = { ...DEFAULT_CONFIG, rules: {}, targetVersion: 15 };
    // orders holds 5 million rows in the test schema.
    const result = await analyze({
      files: [inlineMigration('t.sql', 'TRUNCATE orders', 'plain')],
      snapshot: testSchema(),
      config,
    });
    const [statement] = result.statements;
    expect(statement?.rewritesTable).toBe(false);
    expect(statement?.estimatedLockMs).toBe(DEFAULT_THROUGHPUT.catalogOnlyMs);
    expect(result.assessment.performance_impact).toBe('low');
  });

  it('counts a lock until its transaction ends, across the statements that follow', async () => {
    const config = { ...DEFAULT_CONFIG, rules: {}, targetVersion: 15 };
    const sql = `BEGIN; ALTER TABLE users ADD COLUMN a int; UPDATE settings SET value = 'x' WHERE id = 1;
                 ALTER TABLE users ALTER COLUMN score SET NOT NULL; COMMIT;`;
    const inTx = await analyze({
      files: [inlineMigration('t.sql', sql, 'plain')],
      snapshot: testSchema(),
      config,
    });
    const separate = await analyze({
      files: [inlineMigration('t.sql', sql.replace('BEGIN;', '').replace('COMMIT;', ''), 'plain')],
      snapshot: testSchema(),
      config,
    });
    const seconds = (text: string) => Number(/^([\d.]+) seconds/.exec(text)?.[1] ?? 'NaN');
    expect(inTx.assessment.lock_duration_estimate).toMatch(/ACCESS EXCLUSIVE on public\.users/);
    expect(seconds(inTx.assessment.lock_duration_estimate)).toBeGreaterThan(
      seconds(separate.assessment.lock_duration_estimate),
    );
  });
});

describe('assessment of statements that destroy data', () => {
  it('DROP DATABASE: unsafe, rollback only from a backup', async () => {
    const result = await analyze({
      files: [inlineMigration('t.sql', 'DROP DATABASE legacy', 'plain')],
      snapshot: testSchema(),
      config: { ...DEFAULT_CONFIG, rules: {}, targetVersion: 15 },
    });
    expect(result.statements[0]?.findings.map((f) => [f.rule, f.severity])).toContainEqual([
      'drop-database',
      'error',
    ]);
    expect(result.assessment.safe_to_deploy).toBe(false);
    expect(result.assessment.rollback_complexity).toBe(5);
  });
});
