import type { TestProject } from 'vitest/node';
import pg from 'pg';
import {
  startEmbeddedPostgres,
  type EmbeddedServer,
} from '../../src/dialects/postgres/scratch/embedded-server.js';
import { parsePgTargetSpecs, type PgTarget } from './targets.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgTargets: PgTarget[];
    /** mysql://… of a MariaDB/MySQL server, or null when TEST_MYSQL_URL is unset. */
    mysqlUrl: string | null;
  }
}

/** Vitest global setup: start the embedded servers the run asks for, stop them afterwards. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started: EmbeddedServer[] = [];
  const targets: PgTarget[] = [];
  try {
    for (const spec of parsePgTargetSpecs(process.env['TEST_PG_URLS'])) {
      if (spec.kind === 'embedded') {
        const server = await startEmbeddedPostgres({ packageName: spec.packageName });
        started.push(server);
        targets.push({
          label: `pg${server.major} embedded`,
          url: server.url,
          major: server.major,
          embedded: true,
        });
      } else {
        const major = await majorOf(spec.url);
        const host = new URL(spec.url).host;
        targets.push({ label: `pg${major} ${host}`, url: spec.url, major, embedded: false });
      }
    }
  } catch (error) {
    await Promise.all(started.map((s) => s.stop()));
    throw error;
  }
  project.provide('pgTargets', targets);
  project.provide('mysqlUrl', process.env['TEST_MYSQL_URL'] || null);
  process.stderr.write(
    `[schemapilot tests] PostgreSQL targets: ${targets.map((t) => t.label).join(', ') || 'none'}\n`,
  );
  return async () => {
    await Promise.all(started.map((s) => s.stop()));
  };
}

async function majorOf(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: number }>(
      `SELECT current_setting('server_version_num')::int / 10000 AS v`,
    );
    return rows[0]?.v ?? 0;
  } finally {
    await client.end();
  }
}
