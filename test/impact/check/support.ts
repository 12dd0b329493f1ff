/**
 * Shared by the impact check suites: the schema of the brief's example, hand-built service
 * extractions (the extractor is not needed to test the check), and an independent witness of a
 * break: the query run on a database where the migration was applied as written.
 */
import pg from 'pg';
import type { ExtractedQuery, QueryLanguage, ServiceExtraction } from '../../../src/core/impact.js';
import type { ScratchServer } from '../../../src/core/dialect/scratch.js';

export const SCHEMA = `
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text, created_at timestamptz);
CREATE TABLE orders (
  id bigint PRIMARY KEY, user_id bigint REFERENCES users, total numeric, status text, note text
);
-- Another table with a "name" column, for the queries that look alike but are fine.
CREATE TABLE teams (id bigint PRIMARY KEY, name text);`;

export function service(
  name: string,
  language: QueryLanguage,
  queries: readonly { file: string; line: number; sql: string; parameters?: number }[],
): ServiceExtraction {
  return {
    service: name,
    languages: [language],
    filesScanned: new Set(queries.map((q) => q.file)).size,
    queries: queries.map((q): ExtractedQuery => ({
      file: q.file,
      line: q.line,
      column: 1,
      sql: q.sql,
      parameters:
        q.parameters ?? (q.sql.match(/\$\d+/g) ?? []).reduce((n, p) => Math.max(n, Number(p.slice(1))), 0),
      language,
      api: 'pool.query',
    })),
    unresolved: [],
  };
}

/**
 * The SQLSTATE the server gives when `sql` runs (all parameters NULL) on `url`, in a
 * transaction rolled back; null when it runs.
 */
export async function sqlstateOf(url: string, sql: string, parameters: number): Promise<string | null> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      sql,
      Array.from({ length: parameters }, () => null),
    );
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? 'no code';
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

/** A scratch server that remembers the databases it made, to prove they are gone afterwards. */
export function recording(server: ScratchServer): { server: ScratchServer; created: string[] } {
  const created: string[] = [];
  return {
    created,
    server: {
      ...server,
      major: server.major,
      kind: server.kind,
      createDatabase: async (template) => {
        const db = await server.createDatabase(template);
        created.push(db.name);
        return db;
      },
      close: () => server.close(),
    },
  };
}
