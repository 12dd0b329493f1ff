import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inspectPostgres } from '../../../../src/dialects/postgres/introspect.js';
import { diffSnapshots, formatDifferences } from '../../../../src/schema/diff.js';
import { snapshotDdl } from '../../../../src/dialects/postgres/validate/clone.js';
import { createTempDatabase, describePg, type TempDatabase } from '../../../support/pg.js';

const fixture = readFileSync(new URL('../../../fixtures/all-kinds.sql', import.meta.url), 'utf8');

describePg('schema clone from a snapshot', (target) => {
  let source: TempDatabase;
  beforeAll(async () => {
    source = await createTempDatabase(target, fixture);
  });
  afterAll(async () => {
    await source?.drop();
  });

  it('recreates every object kind: the clone has no structural difference from the source', async () => {
    const snapshot = await inspectPostgres(source.url);
    const clone = await createTempDatabase(target);
    try {
      await clone.client.query('SET check_function_bodies = off');
      for (const statement of snapshotDdl(snapshot)) {
        await clone.client.query(statement.sql).catch((error: Error) => {
          throw new Error(`${statement.object}: ${error.message}\n${statement.sql}`);
        });
      }
      const cloned = await inspectPostgres(clone.url);
      expect(formatDifferences(diffSnapshots(snapshot, cloned))).toBe('');
      expect(cloned.hash).toBe(snapshot.hash);
    } finally {
      await clone.drop();
    }
  });
});
