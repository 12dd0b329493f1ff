/**
 * Plain reads on a MySQL/MariaDB session (core/dialect/driver.ts PlainReads): the SQL is the
 * caller's, written for every dialect (information_schema, a migration tool's history table).
 * Sessions come from connectMysql: wide integers and dates arrive as strings.
 */
import type { PlainReads } from '../../core/dialect/driver.js';
import { mysqlSession } from './session.js';

export const mysqlReads: PlainReads = {
  async currentSchema(session) {
    // A schema is a database here: the one the URL named (tools keep their table there).
    const rows = await mysqlSession(session).rows<{ s: string | null }>('SELECT DATABASE() AS s');
    return rows[0]?.s ?? null;
  },
  select(session, sql) {
    return mysqlSession(session).rows<Record<string, unknown>>(sql);
  },
};
