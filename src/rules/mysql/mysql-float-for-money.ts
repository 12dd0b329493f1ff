import type { ColumnSpec } from '../../core/change.js';
import { defineRule } from '../../core/rule.js';
import { shown } from './words.js';

/**
 * FLOAT and DOUBLE hold binary approximations: 0.1 + 0.2 is not 0.3, sums of prices drift by
 * cents, and equality tests on amounts fail. Money wants DECIMAL, which stores exact digits.
 * Fired on columns whose name says money (price, amount, total, cost, balance, fee, …).
 * https://dev.mysql.com/doc/refman/8.0/en/problems-with-float.html
 * https://dev.mysql.com/doc/refman/8.0/en/fixed-point-types.html
 */
const MONEY =
  /(^|_)(price|prices|amount|amounts|total|subtotal|cost|costs|balance|fee|fees|tax|salary|wage|payment|revenue|money|credit|debit|charge|discount|refund|paid|owed|cents)(_|$)/i;
const FLOATING = new Set(['float', 'double', 'double precision', 'real']);

function floating(column: ColumnSpec): boolean {
  return FLOATING.has(column.type.name.replace(/ unsigned$/, '')) && MONEY.test(column.name);
}

export default defineRule({
  meta: {
    id: 'mysql-float-for-money',
    category: 'hygiene',
    severity: 'warning',
    description: 'A money column (price, amount, total, …) declared FLOAT/DOUBLE loses cents to rounding',
    kinds: ['create table', 'add column', 'alter column type'],
    scalesWithSize: false,
    skipNewTables: false,
    dialects: ['mysql'],
  },
  check(ctx) {
    const { change } = ctx;
    const columns =
      change.kind === 'create table'
        ? change.columns.filter(floating)
        : change.kind === 'add column'
          ? [change.column].filter(floating)
          : change.kind === 'alter column type' &&
              FLOATING.has(change.type.name.replace(/ unsigned$/, '')) &&
              MONEY.test(change.column)
            ? [{ name: change.column, type: change.type }]
            : [];
    if (columns.length === 0) return [];
    let fixed = ctx.statement.sql;
    for (const c of columns) {
      const name = c.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      fixed = fixed.replace(
        new RegExp(
          `(\`?${name}\`?\\s+)(float|double(\\s+precision)?|real)(\\s*\\(\\s*\\d+\\s*(,\\s*\\d+\\s*)?\\))?`,
          'i',
        ),
        '$1DECIMAL(19,4)',
      );
    }
    const table = 'table' in change && typeof change.table === 'string' ? shown(change.table) : '';
    return [
      {
        message: `${columns.map((c) => `${table}.${c.name}`).join(', ')} ${columns.length > 1 ? 'are' : 'is'} ${columns[0]?.type.sql.toUpperCase() ?? 'FLOAT'}: binary floating point cannot hold most decimal amounts exactly (0.1 + 0.2 is not 0.3), so sums and comparisons of money drift. Use DECIMAL, e.g. DECIMAL(19,4).`,
        safeAlternative: fixed === ctx.statement.sql ? null : `${fixed};`,
      },
    ];
  },
});
