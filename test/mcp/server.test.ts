/**
 * `schemapilot mcp` driven by the real MCP client over stdio, as Claude Desktop runs it: the
 * child is the CLI itself (through tsx), DATABASE_URL points at a temporary database. Every tool
 * answers with JSON text; bad SQL is a tool error with its position; the target is never written.
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inspectPostgres } from '../../src/dialects/postgres/introspect.js';
import { createTempDatabase, describePg, settledWriteCount, type TempDatabase } from '../support/pg.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

const SCHEMA = `
  CREATE TABLE users (
    id bigserial PRIMARY KEY,
    email varchar(255) NOT NULL UNIQUE,
    name text,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    status text NOT NULL DEFAULT 'new'
  );
  INSERT INTO users (email, name) SELECT 'u' || g || '@example.com', 'User ' || g FROM generate_series(1, 200) g;
  INSERT INTO orders (user_id) SELECT 1 + g % 200 FROM generate_series(1, 500) g;
  ANALYZE;
`;

const ADD_COLUMN = 'ALTER TABLE users ADD COLUMN email_verified boolean NOT NULL DEFAULT false';
const CREATE_INDEX = 'CREATE INDEX orders_status_idx ON orders (status)';

interface Analysis {
  statements: { sql: string; locks: { mode: string; table: string }[]; findings: { rule: string }[] }[];
  assessment: { safe_to_deploy: boolean };
}

describePg('schemapilot mcp (stdio)', (target) => {
  let db: TempDatabase;
  let client: Client;
  let writesBefore: number;
  let stderr = '';

  beforeAll(async () => {
    db = await createTempDatabase(target, SCHEMA);
    writesBefore = await settledWriteCount(db.client);
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', 'src/cli/main.ts', 'mcp'],
      cwd: root,
      env: { ...env, NO_COLOR: '1', DATABASE_URL: db.url },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    client = new Client({ name: 'schemapilot-test', version: '0.0.0' });
    await client.connect(transport);
  });
  afterAll(async () => {
    await client?.close();
    await db?.drop();
  });

  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = (result: CallToolResult) => {
    const first = result.content[0];
    if (first?.type !== 'text') throw new Error(`expected text content, got ${JSON.stringify(result)}`);
    return first.text;
  };
  const json = <T>(result: CallToolResult): T => {
    expect(result.isError, text(result)).toBeFalsy();
    return JSON.parse(text(result)) as T;
  };

  it('lists the five tools with their input schemas', async () => {
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect([...byName.keys()].sort()).toEqual(['analyze', 'impact', 'inspect', 'plan', 'validate']);
    expect(Object.keys(byName.get('inspect')?.inputSchema.properties ?? {}).sort()).toEqual(['db', 'table']);
    for (const name of ['analyze', 'plan']) {
      expect(Object.keys(byName.get(name)?.inputSchema.properties ?? {}).sort()).toEqual(['db', 'sql']);
      expect(byName.get(name)?.inputSchema.required).toEqual(['sql']);
    }
    expect(Object.keys(byName.get('validate')?.inputSchema.properties ?? {}).sort()).toEqual([
      'db',
      'devUrl',
      'sql',
      'synthesize',
    ]);
    for (const tool of tools) expect(tool.description?.length).toBeGreaterThan(40);
  });

  it("inspect returns the table's columns as the database has them, and the whole snapshot", async () => {
    const { rows } = await db.client.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = 'users' ORDER BY ordinal_position`,
    );
    const table = json<{ columns: { name: string }[]; primary_key: unknown }>(
      await call('inspect', { table: 'users' }),
    );
    expect(table.columns.map((c) => c.name)).toEqual(rows.map((r) => r.column_name));
    expect(table.primary_key).toBeDefined();

    const snapshot = json<{ hash: string; tables: { name: string }[] }>(await call('inspect', {}));
    expect(snapshot.tables.map((t) => t.name).sort()).toEqual(['orders', 'users']);
    expect(snapshot.hash).toBe((await inspectPostgres(db.url)).hash);

    const missing = await call('inspect', { table: 'nope' });
    expect(missing.isError).toBe(true);
  });

  it('analyze reports the lock of ADD COLUMN with a default and flags a non-concurrent index build', async () => {
    const added = json<Analysis>(await call('analyze', { sql: ADD_COLUMN }));
    expect(added.statements[0]?.locks).toContainEqual(
      expect.objectContaining({ mode: 'ACCESS EXCLUSIVE', table: 'public.users' }),
    );
    if (target.major >= 11) expect(added.assessment.safe_to_deploy).toBe(true);

    const index = json<Analysis>(await call('analyze', { sql: CREATE_INDEX, db: db.url }));
    expect(index.statements[0]?.findings.map((f) => f.rule)).toContain('index-create-not-concurrent');
  });

  it('plan builds the index CONCURRENTLY', async () => {
    const p = json<{ steps: { sql: string[]; transactional: boolean }[] }>(
      await call('plan', { sql: CREATE_INDEX }),
    );
    const build = p.steps.find((s) => s.sql.some((q) => /CREATE INDEX CONCURRENTLY/i.test(q)));
    expect(build, JSON.stringify(p.steps)).toBeDefined();
    expect(build?.transactional).toBe(false);
  });

  it('validate passes on a scratch database on the dev server', async () => {
    const result = json<{ passed: boolean }>(
      await call('validate', { sql: `${ADD_COLUMN};\n${CREATE_INDEX};`, devUrl: target.url }),
    );
    expect(result.passed, JSON.stringify(result)).toBe(true);
  }, 120_000);

  it('validate with synthesize puts rows on the scratch copy, with NULLs only where the live data has them', async () => {
    const result = json<{ passed: boolean; data: { table: string; rows: number }[] }>(
      await call('validate', {
        sql: 'ALTER TABLE users ALTER COLUMN name SET NOT NULL',
        devUrl: target.url,
        synthesize: 50,
      }),
    );
    // users.name has no NULL in the target (ANALYZEd): the synthesized copy has none either.
    expect(result.data.find((t) => t.table === 'public.users')?.rows).toBe(50);
    expect(result.passed, JSON.stringify(result)).toBe(true);
  }, 120_000);

  it('answers a syntax error and an unreachable database with a one-line tool error', async () => {
    const bad = await call('analyze', { sql: 'ALTER TABLE users ADD COLUMN x int NOT NUL' });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toMatch(/^migration\.sql:1:\d+: syntax error/);
    expect(text(bad)).toContain('line 1');

    const unreachable = await call('inspect', { db: 'postgres://someone:hunter2@127.0.0.1:1/nowhere' });
    expect(unreachable.isError).toBe(true);
    expect(text(unreachable)).not.toContain('hunter2');
    expect(text(unreachable)).not.toContain('\n');
  });

  it('never wrote to the target database, and printed progress only to stderr', async () => {
    expect(await settledWriteCount(db.client)).toBe(writesBefore);
    expect(stderr).toContain('schemapilot mcp: serving');
  }, 30_000);
});
