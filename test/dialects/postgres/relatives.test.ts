/**
 * The analysis lists locks on relatives a statement does not name, from the schema as the
 * migration leaves it (FactContext lookups wired in src/linter/run.ts): partitions, views
 * dropped earlier, partitions created earlier. The facts themselves are measured in test/facts.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/api/analyze.js';
import type { AnalysisResult } from '../../../src/core/analysis.js';
import type { SchemaSnapshot, Table } from '../../../src/core/snapshot.js';
import { DEFAULT_CONFIG } from '../../../src/config/types.js';
import { inlineMigration } from '../../../src/formats/read.js';
import { testSchema } from '../../support/schema-fixture.js';

/** testSchema plus `events`, partitioned, with a range partition and a default one. */
function withPartitions(): SchemaSnapshot {
  const base = testSchema();
  const users = base.tables.find((t) => t.name === 'users');
  if (!users) throw new Error('testSchema has no users table');
  const part = (name: string, extra: Partial<Table>): Table => ({
    ...structuredClone(users),
    foreignKeys: [],
    indexes: [],
    name,
    primaryKey: null,
    ...extra,
  });
  return {
    ...base,
    tables: [
      ...base.tables,
      part('events', { kind: 'partitioned table', partitionKey: 'RANGE (id)' }),
      part('events_2024', { partitionOf: 'public.events', partitionBound: 'FOR VALUES FROM (0) TO (100)' }),
      part('events_default', { partitionOf: 'public.events', partitionBound: 'DEFAULT' }),
    ],
  };
}

async function run(sql: string, snapshot: SchemaSnapshot = withPartitions()): Promise<AnalysisResult> {
  return analyze({
    files: [inlineMigration('m.sql', sql, 'plain')],
    snapshot,
    config: { ...DEFAULT_CONFIG, rules: {}, targetVersion: 15 },
  });
}

describe('locks on relatives in the analysis output', () => {
  it('lists every partition CREATE INDEX locks, and lock-timeout-missing reads that list', async () => {
    const [statement] = (await run('CREATE INDEX events_score_idx ON events (score)')).statements;
    expect(statement?.locks).toEqual([
      { table: 'public.events', mode: 'SHARE' },
      { table: 'public.events_2024', mode: 'SHARE' },
      { table: 'public.events_default', mode: 'SHARE' },
    ]);
    expect(statement?.findings.map((f) => f.rule)).toContain('lock-timeout-missing');
  });

  it('counts a partition created earlier in the migration, and the default partition it narrows', async () => {
    const result = await run(`CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM (100) TO (200);
      CREATE INDEX events_score_idx ON events (score)`);
    expect(result.statements[0]?.locks).toContainEqual({
      table: 'public.events_default',
      mode: 'ACCESS EXCLUSIVE',
    });
    expect(result.statements[0]?.scansTable).toBe(true);
    expect(result.statements[1]?.locks).toContainEqual({ table: 'public.events_2025', mode: 'SHARE' });
  });

  it('locks the views DROP COLUMN … CASCADE drops, unless an earlier statement dropped them', async () => {
    const alone = await run('ALTER TABLE users DROP COLUMN email CASCADE');
    expect(alone.statements[0]?.locks).toContainEqual({
      table: 'public.user_emails',
      mode: 'ACCESS EXCLUSIVE',
    });
    const after = await run('DROP VIEW user_emails; ALTER TABLE users DROP COLUMN email CASCADE');
    expect(after.statements[1]?.locks).toEqual([{ table: 'public.users', mode: 'ACCESS EXCLUSIVE' }]);
  });

  it('locks the tables whose foreign keys reference one dropped with CASCADE', async () => {
    const [statement] = (await run('DROP TABLE users CASCADE')).statements;
    expect(statement?.locks).toEqual(
      expect.arrayContaining([
        { table: 'public.users', mode: 'ACCESS EXCLUSIVE' },
        { table: 'public.orders', mode: 'ACCESS EXCLUSIVE' },
        { table: 'public.user_emails', mode: 'ACCESS EXCLUSIVE' },
      ]),
    );
  });
});
