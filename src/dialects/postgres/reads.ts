/**
 * Plain reads on a PostgreSQL session (core/dialect/driver.ts PlainReads): the SQL is the
 * caller's, written for every dialect (information_schema, a migration tool's history table).
 */
import type { PlainReads } from '../../core/dialect/driver.js';
import { pgClient } from './session.js';

export const postgresReads: PlainReads = {
  async currentSchema(session) {
    // The first schema of the search path that exists: where CREATE TABLE without a schema goes,
    // and where migration tools that do not name one keep their table.
    const { rows } = await pgClient(session).query<{ s: string | null }>('SELECT current_schema() AS s');
    return rows[0]?.s ?? null;
  },
  async select(session, sql) {
    return (await pgClient(session).query<Record<string, unknown>>(sql)).rows;
  },
};
