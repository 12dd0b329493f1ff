import { defineRule } from '../core/rule.js';
import { lines } from './sql.js';

/** SET NOT NULL scans every row while holding ACCESS EXCLUSIVE (unless a validated CHECK proves it, 12+). */
export default defineRule({
  meta: {
    id: 'set-not-null-scan',
    category: 'locking',
    severity: 'error',
    description: 'ALTER COLUMN SET NOT NULL scans the whole table under ACCESS EXCLUSIVE',
    kinds: ['set not null'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['postgres'],
  },
  check({ change, facts, q, major, sql }) {
    if (!sql) return [];
    if (change.kind !== 'set not null' || !facts.scansTable) return [];
    return [
      {
        message: `SET NOT NULL on ${change.table}.${change.column} reads every row while holding ACCESS EXCLUSIVE: reads and writes wait for the whole scan.`,
        safeAlternative: lines(sql.notNullScript(q, change.table, change.column, major)),
      },
    ];
  },
});
