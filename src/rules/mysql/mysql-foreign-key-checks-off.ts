import { defineRule } from '../../core/rule.js';

/**
 * `SET foreign_key_checks = 0` lasts for the session: set in a migration and not set back, every
 * later statement on that connection (and, through a pool, whatever code gets the connection
 * next) writes rows without checking their parents, and foreign keys added meanwhile are never
 * checked against the rows already there. `SET GLOBAL` does it for every new connection.
 * https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html#sysvar_foreign_key_checks
 */
const OFF = new Set(['0', 'off', 'false']);
const ON = new Set(['1', 'on', 'true', 'default']);
const value = (v: string): string => v.replace(/[`'"]/g, '').toLowerCase();

export default defineRule({
  meta: {
    id: 'mysql-foreign-key-checks-off',
    category: 'transactions',
    severity: 'warning',
    description: 'foreign_key_checks turned off and not turned back on: later writes skip foreign key checks',
    kinds: ['set'],
    scalesWithSize: false,
    skipNewTables: false,
    dialects: ['mysql'],
  },
  check(ctx) {
    const { change } = ctx;
    if (change.kind !== 'set' || !OFF.has(value(change.value))) return [];
    if (change.name.toLowerCase() === 'global.foreign_key_checks')
      return [
        {
          message:
            'SET GLOBAL foreign_key_checks = 0 turns the checks off for every connection opened from now on, not only this migration: rows that break foreign keys can be written by any application until someone sets it back.',
          safeAlternative:
            'SET SESSION foreign_key_checks = 0;\n-- … the statements that need it …\nSET SESSION foreign_key_checks = 1;',
        },
      ];
    if (change.name.toLowerCase() !== 'foreign_key_checks') return [];
    const restored = ctx.anyLater(
      (c) => c.kind === 'set' && c.name.toLowerCase() === 'foreign_key_checks' && ON.has(value(c.value)),
    );
    if (restored) return [];
    return [
      {
        message:
          'foreign_key_checks is turned off and not turned back on in this file: the rest of the session (and, through a connection pool, the next code to get this connection) writes rows without checking foreign keys.',
        safeAlternative: `${ctx.statement.sql};\n-- … the statements that need it …\nSET SESSION foreign_key_checks = 1;`,
      },
    ];
  },
});
