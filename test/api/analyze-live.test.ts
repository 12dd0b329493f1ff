/**
 * What `analyze --db` learns from the live database beyond the snapshot, and that it never
 * writes: current sizes of the tables a migration touches, function volatility from pg_proc,
 * objects created earlier in the same migration, size thresholds from the config.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { readLive } from '../../src/cli/commands/analyze.js';
import { DEFAULT_CONFIG } from '../../src/config/types.js';
import { readInline } from '../../src/api/read.js';
import { connectPostgres } from '../../src/dialects/postgres/connect.js';
import { PostgresSession } from '../../src/dialects/postgres/session.js';
import { runCli } from '../support/cli.js';
import { createTempDatabase, describePg, type TempDatabase } from '../support/pg.js';
import { USERS_SQL } from '../cli/database.js';
import { json, rules, type JsonReport } from '../cli/support.js';
import { tempLayout } from '../formats/support.js';

// Every test here runs the real CLI (a Node process each): slow when the machine is busy.
vi.setConfig({ testTimeout: 180_000 });

const SCHEMA = `
  ${USERS_SQL}
  -- Grows after ANALYZE with autovacuum off: its planner statistics go stale.
  CREATE TABLE events (id bigint, kind text) WITH (autovacuum_enabled = false);
  INSERT INTO events SELECT g, 'seen' FROM generate_series(1, 5000) AS g;
  ANALYZE events;
  INSERT INTO events SELECT g, 'seen' FROM generate_series(5001, 200000) AS g;
  CREATE TABLE sessions (id bigint, kind text) WITH (autovacuum_enabled = false);
  INSERT INTO sessions SELECT g, 'web' FROM generate_series(1, 5000) AS g;
  ANALYZE sessions;
  INSERT INTO sessions SELECT g, 'web' FROM generate_series(5001, 200000) AS g;
  CREATE FUNCTION default_plan() RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT 'free' $$;
  CREATE FUNCTION random_code() RETURNS text VOLATILE LANGUAGE sql AS $$ SELECT md5(random()::text) $$;
`;

const analyzeJson = async (args: string[], input?: string) => {
  const result = await runCli(['analyze', ...args, '--format', 'json'], input === undefined ? {} : { input });
  return { code: result.code, report: json(result) };
};
const severityOf = (report: JsonReport, rule: string) =>
  report.statements.flatMap((s) => s.findings).find((f) => f.rule === rule)?.severity;

describePg('analyze --db: live facts', (target) => {
  let db: TempDatabase;
  let snapshot: string;
  beforeAll(async () => {
    db = await createTempDatabase(target, SCHEMA);
    snapshot = join(tempLayout({}), 'snapshot.json');
    const inspect = await runCli(['inspect', '--db', db.url, '--format', 'json', '-o', snapshot]);
    expect(inspect.code, inspect.stderr).toBe(0);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('measures the tables the migration touches now, as pg_table_size does, and leaves the others', async () => {
    const { files } = await readInline('--change', 'ALTER TABLE events ADD COLUMN r float8 DEFAULT random()');
    const client = await connectPostgres(db.url);
    try {
      const { snapshot: live } = await readLive(new PostgresSession(client), files, DEFAULT_CONFIG);
      const { rows } = await db.client.query<{ name: string; bytes: string; pages: string }>(
        `SELECT relname AS name, pg_table_size(oid)::text AS bytes, relpages::text AS pages
         FROM pg_class WHERE relname IN ('events', 'sessions')`,
      );
      const server = new Map(rows.map((r) => [r.name, r]));
      const events = live.tables.find((t) => t.name === 'events');
      const sessions = live.tables.find((t) => t.name === 'sessions');
      expect(events?.stats.tableBytes).toBe(Number(server.get('events')?.bytes));
      // Untouched: still the statistics of the last ANALYZE, well below its real size.
      expect(sessions?.stats.tableBytes).toBeLessThan(Number(server.get('sessions')?.bytes) / 10);
      expect(events?.stats.rowEstimate).toBeGreaterThan(150_000);
    } finally {
      await client.end();
    }
  });

  it('so a table that grew since ANALYZE gets the severity of its real size', async () => {
    const change = 'ALTER TABLE events ADD COLUMN r float8 DEFAULT random()';
    const [stale, live] = await Promise.all([
      analyzeJson(['--schema', snapshot, '--change', change]),
      analyzeJson(['--db', db.url, '--change', change]),
    ]);
    // 5,000 rows by the snapshot's statistics: below largeTableRows (100,000); 200,000 in fact.
    expect(severityOf(stale.report, 'add-column-volatile-default')).toBe('warning');
    expect(severityOf(live.report, 'add-column-volatile-default')).toBe('error');
    expect(live.code).toBe(1);
  });

  it('asks pg_proc how volatile a user function in a default is: an IMMUTABLE one does not rewrite, a VOLATILE one does', async () => {
    const immutable = 'ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT default_plan()';
    const volatile = 'ALTER TABLE users ADD COLUMN code text NOT NULL DEFAULT random_code()';
    const [i, v, fromSnapshot, offline] = await Promise.all([
      analyzeJson(['--db', db.url, '--change', immutable]),
      analyzeJson(['--db', db.url, '--change', volatile]),
      // The snapshot records each function's volatility: same verdict as with the database.
      analyzeJson(['--schema', snapshot, '--change', immutable]),
      analyzeJson(['--target-version', '15', '--change', immutable]),
    ]);
    expect(fromSnapshot.report.statements[0]?.rewritesTable).toBe(false);
    expect(i.report.statements[0]?.rewritesTable).toBe(false);
    expect(i.code).toBe(0);
    expect(v.report.statements[0]?.rewritesTable).toBe(true);
    expect(rules(v.report)).toContain('add-column-volatile-default');
    expect(v.code).toBe(1);
    // Without any schema it cannot know, assumes the worst, and says so.
    expect(offline.report.statements[0]?.rewritesTable).toBe(true);
    expect(offline.report.assumptions.join('\n')).toMatch(/default_plan/);
  });

  it('treats tables created earlier in the migration as new: no lock findings, no lock time', async () => {
    const migration = [
      'CREATE TABLE audit_log (id bigserial PRIMARY KEY, user_id bigint NOT NULL);',
      'ALTER TABLE audit_log ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();',
      'CREATE INDEX audit_log_user_idx ON audit_log (user_id);',
      'ALTER TABLE audit_log ALTER COLUMN user_id TYPE numeric;',
      // The same on an existing table, for contrast.
      'ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();',
    ].join('\n');
    const { report } = await analyzeJson(['--db', db.url, '-'], migration);
    const onNew = report.statements.slice(1, 4);
    expect(onNew.flatMap((s) => s.findings)).toEqual([]);
    expect(onNew.map((s) => s.estimatedLockMs)).toEqual([0, 0, 0]);
    expect(report.statements[4]?.findings.map((f) => f.rule)).toContain('add-column-volatile-default');
  });

  it('largeTableRows in the config decides which tables count as large', async () => {
    const config = join(tempLayout({}), 'schemapilot.config.json');
    writeFileSync(config, JSON.stringify({ largeTableRows: 1_000_000 }));
    const change = 'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()';
    const [byDefault, configured] = await Promise.all([
      analyzeJson(['--schema', snapshot, '--change', change]),
      analyzeJson(['--schema', snapshot, '--config', config, '--change', change]),
    ]);
    expect(severityOf(byDefault.report, 'add-column-volatile-default')).toBe('error');
    expect(severityOf(configured.report, 'add-column-volatile-default')).toBe('warning');
  });

  it('never writes to the database: write counters unchanged, and it works on a read-only database', async () => {
    const read = async () => {
      await db.client.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await db.client.query<{ n: string }>(
        `SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::text AS n FROM pg_stat_user_tables`,
      );
      return rows[0]?.n;
    };
    // Sessions report their counters at most once a second: wait until the fixture's have landed.
    const settled = async () => {
      let last = await read();
      for (let i = 0; i < 10; i++) {
        if (target.major >= 15) await db.client.query('SELECT pg_stat_force_next_flush()');
        await new Promise((r) => setTimeout(r, 1200));
        const now = await read();
        if (now === last) return now;
        last = now;
      }
      return last;
    };
    const before = await settled();
    const migration =
      'UPDATE users SET name = upper(name);\nDELETE FROM events;\nALTER TABLE users ADD COLUMN x int;\n';
    await analyzeJson(['--db', db.url, '-'], migration);
    // The CLI's session reported its counters when it exited.
    expect(await settled()).toBe(before);

    await db.client.query(`ALTER DATABASE ${db.name} SET default_transaction_read_only = on`);
    const readOnly = await runCli([
      'analyze',
      '--db',
      db.url,
      '--change',
      'ALTER TABLE users ADD COLUMN y int',
    ]);
    expect(readOnly.code, readOnly.stderr).toBe(0);
  });

  it("uses the database's version over --target-version, and says so", async () => {
    const { report } = await analyzeJson([
      '--db',
      db.url,
      '--target-version',
      '10',
      '--change',
      'ALTER TABLE users ADD COLUMN flag boolean NOT NULL DEFAULT false',
    ]);
    expect(report.serverVersion?.split('.')[0]).toBe(String(target.major));
    expect(report.statements[0]?.rewritesTable).toBe(target.major < 11);
    expect(report.assumptions).toContain(
      `target version 10 not used: the database is PostgreSQL ${target.major}`,
    );
  });

  it.runIf(target.embedded)('a wrong password fails with exit 2 and is never printed', async () => {
    const url = new URL(db.url);
    url.password = 'wrong-Pa55word';
    const result = await runCli(['analyze', '--db', url.toString(), '--change', 'SELECT 1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^schemapilot: cannot connect to .*: password authentication failed\n$/);
    expect(result.stderr + result.stdout).not.toContain('wrong-Pa55word');
  });
});
