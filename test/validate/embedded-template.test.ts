/**
 * The initdb template of the embedded server: the first start keeps its fresh data directory,
 * later starts copy it (initdb is most of a cold start). Each server still gets its own copy.
 */
import { readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/dialects/postgres/scratch/embedded-server.js';

async function tableCount(url: string, create?: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    if (create) await client.query(create);
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`,
    );
    return rows[0]?.n ?? -1;
  } finally {
    await client.end();
  }
}

it('keeps one initdb template per set of binaries and gives every server its own copy', async () => {
  const first = await startEmbeddedPostgres();
  const second = await startEmbeddedPostgres();
  try {
    const templates = readdirSync(tmpdir()).filter(
      (n) => n.startsWith('schemapilot-pgtemplate-') && !n.includes('.'),
    );
    expect(templates.length).toBeGreaterThan(0);
    const template = templates
      .map((n) => join(tmpdir(), n))
      .find((dir) => readdirSync(dir).includes('complete'));
    expect(template).toBeDefined();
    // The password beside the template is readable by its owner only.
    expect(statSync(join(template ?? '', 'password')).mode & 0o077).toBe(0);
    expect(second.dataDir).not.toBe(first.dataDir);
    // A table created on one server does not appear on the other: separate copies.
    expect(await tableCount(first.url, 'CREATE TABLE only_here (id int)')).toBe(1);
    expect(await tableCount(second.url)).toBe(0);
  } finally {
    await first.stop();
    await second.stop();
  }
  // A server started after both stopped still works from the template.
  const third = await startEmbeddedPostgres();
  try {
    expect(await tableCount(third.url)).toBe(0);
  } finally {
    await third.stop();
  }
}, 120_000);
