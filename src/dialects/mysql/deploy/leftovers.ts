/**
 * What an online schema change that did not finish leaves in the database: the shadow table it
 * was filling and the triggers that fed it. pt-online-schema-change names them
 * `_<table>_new` (more leading underscores when that is taken) and
 * `pt_osc_<database>_<table>_{ins,upd,del}`; gh-ost `_<table>_gho` (the ghost table) and
 * `_<table>_ghc` (its changelog). The triggers write every change of the table into the shadow
 * table, so they slow every write until dropped, and dropping the shadow table while they exist
 * would make those writes fail: triggers go first.
 * https://docs.percona.com/percona-toolkit/pt-online-schema-change.html
 * https://github.com/github/gh-ost/blob/master/doc/cheatsheet.md
 *
 * The old table a finished swap keeps (`_<table>_old`, gh-ost's `_<table>_del`) is the data a
 * rollback may need: never listed. A plain ALTER leaves nothing: MariaDB 10.6+ and MySQL 8.0
 * clean up a crashed ALTER's intermediate `#sql-` table at restart (atomic DDL).
 * Half-applied multi-statement steps are not here but in the journal (statements_done).
 */
import type { Leftovers } from '../../../core/dialect/deploy.js';
import { quoteMysqlIdent } from '../quote.js';
import { mysqlSession, type MysqlSession } from '../session.js';

const SHADOW = /^_+(.+)_(new|gho|ghc)$/;
const TRIGGER = /^pt_osc_/;

interface Named {
  schema: string;
  name: string;
}

async function shadowTables(s: MysqlSession): Promise<Named[]> {
  const rows = await s.rows<Named>(
    `SELECT t.TABLE_SCHEMA AS \`schema\`, t.TABLE_NAME AS name FROM information_schema.TABLES t
      WHERE t.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE'
        AND (t.TABLE_NAME LIKE '\\_%\\_new' OR t.TABLE_NAME LIKE '\\_%\\_gho' OR t.TABLE_NAME LIKE '\\_%\\_ghc')`,
  );
  const all = new Set(
    (
      await s.rows<{ name: string }>(
        'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()',
      )
    ).map((r) => r.name),
  );
  // A user's own `_audit_new` is not a leftover: the tool's shadow tables sit beside their table.
  return rows.filter((r) => {
    const base = SHADOW.exec(r.name)?.[1];
    return base !== undefined && all.has(base);
  });
}

async function toolTriggers(s: MysqlSession): Promise<(Named & { table: string })[]> {
  return s.rows<Named & { table: string }>(
    `SELECT TRIGGER_SCHEMA AS \`schema\`, TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS \`table\`
       FROM information_schema.TRIGGERS
      WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME LIKE 'pt\\_osc\\_%'`,
  );
}

function qualified(n: Named): string {
  return `${quoteMysqlIdent(n.schema)}.${quoteMysqlIdent(n.name)}`;
}

export const mysqlLeftovers: Leftovers = {
  /** Triggers first, then tables, each group sorted: the order they are safely dropped in. */
  async list(session) {
    const s = mysqlSession(session);
    const triggers = (await toolTriggers(s)).map((t) => `${t.schema}.${t.name}`).sort();
    const tables = (await shadowTables(s)).map((t) => `${t.schema}.${t.name}`).sort();
    return [...triggers, ...tables];
  },

  async drop(session, name) {
    const s = mysqlSession(session);
    const dot = name.indexOf('.');
    const target = { schema: name.slice(0, dot), name: name.slice(dot + 1) };
    try {
      if (TRIGGER.test(target.name)) {
        await s.rows(`DROP TRIGGER IF EXISTS ${qualified(target)}`);
        return true;
      }
      // The tool's triggers on the base table write into this one: drop them before it.
      const base = SHADOW.exec(target.name)?.[1];
      for (const t of await toolTriggers(s))
        if (t.schema === target.schema && t.table === base)
          await s.rows(`DROP TRIGGER IF EXISTS ${qualified(t)}`);
      await s.rows(`DROP TABLE IF EXISTS ${qualified(target)}`);
      return true;
    } catch {
      return false;
    }
  },
};
