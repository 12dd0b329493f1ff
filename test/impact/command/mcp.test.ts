/**
 * The MCP tool `impact` over stdio with the real MCP client: the same JSON as
 * `schemapilot impact --format json`, the break confirmed by preparing the query on a database
 * after the migration, and a bad service path as a one-line tool error.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ImpactResult } from '../../../src/core/impact.js';
import { createTempDatabase, describePg, type TempDatabase } from '../../support/pg.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const SCHEMA = 'CREATE TABLE accounts (id bigint PRIMARY KEY, nickname text, plan text NOT NULL)';
const MIGRATION = 'ALTER TABLE accounts RENAME COLUMN nickname TO display_name';
const QUERY = 'SELECT nickname FROM accounts WHERE id = $1';

describePg('MCP tool impact', (target) => {
  let db: TempDatabase;
  let dir: string;
  let client: Client;

  beforeAll(async () => {
    db = await createTempDatabase(target, SCHEMA);
    dir = mkdtempSync(join(tmpdir(), 'sp-impact-mcp-'));
    mkdirSync(join(dir, 'api'));
    writeFileSync(join(dir, 'api', 'accounts.sql'), `${QUERY};\nSELECT plan FROM accounts;\n`);
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
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async (args: Record<string, unknown>) =>
    (await client.callTool({ name: 'impact', arguments: args })) as CallToolResult;
  const text = (r: CallToolResult) => (r.content[0] as { text: string }).text;

  it('returns the brief JSON with the query the server refuses after the migration', async () => {
    const r = await call({
      sql: MIGRATION,
      services: [{ name: 'api', path: join(dir, 'api') }],
      devUrl: target.url,
    });
    expect(r.isError, text(r)).toBeFalsy();
    const result = JSON.parse(text(r)) as ImpactResult;
    // The server's own verdict on the query after the migration.
    await db.client.query('BEGIN');
    await db.client.query(MIGRATION);
    const code = await db.client
      .query(`PREPARE probe AS ${QUERY}`)
      .then(() => null)
      .catch((e: { code: string }) => e.code);
    await db.client.query('ROLLBACK');
    expect(code).not.toBeNull();
    expect(result.affected_services).toHaveLength(1);
    expect(result.affected_services[0]?.queries).toEqual([
      expect.objectContaining({
        file: 'accounts.sql',
        line: 1,
        sql: QUERY,
        status: 'broken',
        error: expect.objectContaining({ code }),
      }),
    ]);
    expect(result.services[0]).toMatchObject({ service: 'api', queriesChecked: 2, alreadyBroken: [] });
  }, 60_000);

  it('a missing service path is a one-line tool error', async () => {
    const r = await call({
      sql: MIGRATION,
      services: [{ name: 'api', path: join(dir, 'nope') }],
      devUrl: target.url,
    });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^services: service "api": .*nope: no such directory$/);
  }, 30_000);
});
