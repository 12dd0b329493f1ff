import { CHANGE_KINDS, changeTable, type Change, type DdlOptions } from '../../core/change.js';
import { defineRule } from '../../core/rule.js';
import { atStatementEnd, expectedOnline, noteOnline } from './online.js';
import { dedicatedRule } from './owners.js';
import { expandExpressionDefault } from './expand.js';
import { alterClauses, onlineSchemaChange } from './sql.js';
import { copyCost, shown } from './words.js';

/**
 * ALGORITHM=COPY builds a new table and copies every row into it while writes to the table
 * wait (the copy holds a metadata lock that only lets reads through), needs the disk space of
 * a second table, and reaches replicas only when it is done, which then replay it as long
 * again. Changes that a dedicated rule covers (type changes, foreign keys, rebuilds, …) are
 * left to it; this rule reports the others, and any ALGORITHM=COPY written out.
 * https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-copy-alter-algorithm/
 * https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html
 */
export default defineRule({
  meta: {
    id: 'mysql-copy-large-table',
    category: 'locking',
    severity: 'error',
    description: 'An ALTER that runs as ALGORITHM=COPY copies the whole table while writes to it wait',
    kinds: CHANGE_KINDS.filter((k) => k !== 'dml' && k !== 'select' && k !== 'set' && k !== 'transaction'),
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['mysql'],
  },
  check(ctx) {
    // Judged at each Change's turn (the schema moves on); decided at the statement's last one.
    noteOnline(ctx);
    dedicatedRule(ctx.change, ctx);
    if (!atStatementEnd(ctx)) return [];
    const all = ctx.statementChanges;
    const written = all.some((c) => (c as DdlOptions).algorithm === 'COPY');
    const copies = all.flatMap((c, i) => {
      const e = expectedOnline(ctx, c, i);
      return e?.algorithm === 'COPY' && dedicatedRule(c, ctx) === null
        ? [{ change: c, source: e.source }]
        : [];
    });
    if (!written && copies.length === 0) return [];
    const table = changeTable(ctx.change) ?? changeTable(all[0] ?? ctx.change) ?? '';
    const first = copies[0];
    const cause = written
      ? 'ALGORITHM=COPY is written on this ALTER'
      : `${first ? what(first.change) : 'this ALTER'} can only be done by copying the table${first?.source === 'facts' ? '' : ' (documented)'}`;
    const clauses = alterClauses(ctx.statement.sql);
    // One ADD COLUMN with a per-row default: added without it, then filled in batches.
    const only = copies.length === 1 && all.length === 1 && !written ? first?.change : undefined;
    const expand =
      only?.kind === 'add column' &&
      only.column.default &&
      !only.column.default.constant &&
      !only.column.generated
        ? expandExpressionDefault(ctx, only)
        : null;
    return [
      {
        message: `${cause}: ${copyCost(ctx, table)}.`,
        safeAlternative: expand
          ? expand.join('\n')
          : clauses
            ? onlineSchemaChange(table, clauses).join('\n')
            : null,
        table,
      },
    ];
  },
});

function what(change: Change): string {
  switch (change.kind) {
    case 'add column': {
      const c = change.column;
      if (c.generated?.stored)
        return `ADD COLUMN ${c.name} (a STORED generated column, computed for every row)`;
      if (c.default && !c.default.constant)
        return `ADD COLUMN ${c.name} with the non-constant DEFAULT ${c.default.sql} (evaluated for every row)`;
      return `ADD COLUMN ${c.name}`;
    }
    case 'add constraint':
      return change.constraint.type === 'check' ? 'ADD CHECK (checked against every row)' : 'ADD CONSTRAINT';
    case 'alter table other':
      return change.subtype;
    case 'set generated expression':
      return `changing the expression of ${change.column}`;
    default:
      return `${change.kind.toUpperCase()} on ${shown(changeTable(change) ?? '')}`;
  }
}
