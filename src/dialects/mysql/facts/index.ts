/**
 * MySQL/MariaDB facts per Change. Placeholder until the measured facts land (issue 14): every
 * DDL Change is taken to hold an EXCLUSIVE metadata lock on its table.
 */
import { NO_FACTS, type ChangeFacts } from '../../../core/analysis.js';
import { changeTable, type Change } from '../../../core/change.js';
import type { DialectFacts, FactContext } from '../../../core/facts.js';

export const mysqlFacts: DialectFacts = {
  changeFacts(change: Change, _ctx: FactContext): ChangeFacts {
    const table = changeTable(change);
    if (
      change.kind === 'dml' ||
      change.kind === 'select' ||
      change.kind === 'set' ||
      change.kind === 'set timeout'
    )
      return NO_FACTS;
    return { ...NO_FACTS, locks: table ? [{ table, mode: 'EXCLUSIVE' }] : [], transactional: false };
  },
};
