/**
 * What a failed CREATE INDEX CONCURRENTLY leaves behind: an INVALID index, which slows writes
 * and is never used. Deploy drops the ones that were not there before it.
 */
import type { Leftovers } from '../../../core/dialect/deploy.js';
import { quoteIdent } from '../quote.js';
import { pgClient } from '../session.js';

export const postgresLeftovers: Leftovers = {
  async list(session) {
    const { rows } = await pgClient(session).query<{ name: string }>(
      `SELECT n.nspname || '.' || c.relname AS name
       FROM pg_catalog.pg_index i
       JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE NOT i.indisvalid AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'`,
    );
    return rows.map((r) => r.name).sort();
  },
  drop(session, name) {
    const dot = name.indexOf('.');
    const sql = `DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(name.slice(0, dot))}.${quoteIdent(name.slice(dot + 1))}`;
    return pgClient(session)
      .query(sql)
      .then(
        () => true,
        () => false,
      );
  },
};
