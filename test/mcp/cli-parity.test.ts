/**
 * The MCP analyze tool and `schemapilot analyze --db` gather their input with the same library
 * code (src/api/input.ts): on the same live database and migration they give the same locks,
 * rewrites, lock times and findings. In particular the MCP tool also measures the tables the
 * migration touches now rather than trusting statistics from the last ANALYZE, and asks the
 * server how volatile a function in a default is.
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTempDatabase, describePg, type TempDatabase } from '../support/pg.js';
import { json as cliJson, type JsonReport } from '../cli/support.js';

vi.setConfig({ testTimeout: 180_000 });

const root = fileURLToPath(new URL('../..', import.meta.url));

const SCHEMA = `
  -- Grows after ANALYZE with autovacuum off: its planner statistics say 5,000 rows, it has 200,000.
  CREATE TABLE events (id bigint, kind text) WITH (autovacuum_enabled = false);
  INSERT INTO events SELECT g, 'seen' FROM generate_series(1, 5000) AS g;
  ANALYZE events;
  INSERT INTO events SELECT g, 'seen' FROM generate_series(5001, 200000) AS g;
  CREATE FUNCTION default_kind() RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT 'seen' $$;
  CREATE FUNCTION random_code() RETURNS text VOLATILE LANGUAGE sql AS $$ SELECT md5(random()::text) $$;
`;

const MIGRATIONS = [
  'ALTER TABLE events ADD COLUMN r float8 DEFAULT random()',
  'ALTER TABLE events ADD COLUMN code text NOT NULL DEFAULT random_code();\nALTER TABLE events ADD COLUMN k text NOT NULL DEFAULT default_kind();',
  'CREATE INDEX events_kind_idx ON events (kind);\nALTER TABLE events ALTER COLUMN kind SET NOT NULL;',
];

/** What the lock and size based analysis decided, statement by statement (not where the SQL came from). */
function verdict(report: JsonReport) {
  return {
    safe: report.assessment.safe_to_deploy,
    statements: report.statements.map((s) => ({
      sql: s.sql,
      locks: s.locks,
      rewritesTable: s.rewritesTable,
      estimatedLockMs: s.estimatedLockMs,
      findings: s.findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message })),
    })),
  };
}

describePg('MCP analyze and the CLI agree on a live database', (target) => {
  let db: TempDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await createTempDatabase(target, SCHEMA);
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', 'src/cli/main.ts', 'mcp'],
      cwd: root,
      env: { ...env, NO_COLOR: '1', DATABASE_URL: db.url },
      stderr: 'pipe',
    });
    client = new Client({ name: 'schemapilot-test', version: '0.0.0' });
    await client.connect(transport);
  });
  afterAll(async () => {
    await client?.close();
    await db?.drop();
  });

  const mcpAnalyze = async (sql: string): Promise<JsonReport> => {
    const result = (await client.callTool({ name: 'analyze', arguments: { sql } })) as CallToolResult;
    const first = result.content[0];
    if (first?.type !== 'text') throw new Error(`expected text content, got ${JSON.stringify(result)}`);
    expect(result.isError, first.text).toBeFalsy();
    return JSON.parse(first.text) as JsonReport;
  };

  it.each(MIGRATIONS)('same locks, rewrites and findings: %s', async (sql) => {
    const [mcp, cli] = await Promise.all([
      mcpAnalyze(sql),
      runCli(['analyze', '--db', db.url, '--format', 'json', '--change', sql]),
    ]);
    expect(verdict(mcp)).toEqual(verdict(cliJson(cli)));
  });

  it('measures the grown table now (an error on 200,000 rows), where its statistics say 5,000', async () => {
    const report = await mcpAnalyze(MIGRATIONS[0] ?? '');
    const finding = report.statements[0]?.findings.find((f) => f.rule === 'add-column-volatile-default');
    expect(finding?.severity).toBe('error');
  });

  it("asks the server how volatile a user function is: IMMUTABLE doesn't rewrite, VOLATILE does", async () => {
    const report = await mcpAnalyze(MIGRATIONS[1] ?? '');
    expect(report.statements.map((s) => s.rewritesTable)).toEqual([true, false]);
  });
});
