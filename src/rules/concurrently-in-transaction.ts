import { CHANGE_KINDS, type Change } from '../core/change.js';
import type { TransactionContext } from '../core/rule.js';
import { defineRule } from '../core/rule.js';

/**
 * CREATE / DROP INDEX CONCURRENTLY, REINDEX … CONCURRENTLY, DETACH PARTITION … CONCURRENTLY,
 * VACUUM, DROP DATABASE (and ALTER TYPE … ADD VALUE before PostgreSQL 12) refuse to run inside
 * a transaction block: "cannot run inside a transaction block". Most migration runners wrap each file in a
 * transaction, so the migration fails at deploy time unless that wrapping is turned off.
 * https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY
 */
export default defineRule({
  meta: {
    id: 'concurrently-in-transaction',
    category: 'transactions',
    severity: 'error',
    description:
      'A statement PostgreSQL refuses inside a transaction block (CONCURRENTLY, VACUUM, …) runs inside one',
    // Every kind: facts.transactional says which statements refuse a transaction block.
    kinds: CHANGE_KINDS,
    scalesWithSize: false,
    // It fails on new tables too.
    skipNewTables: false,
    dialects: ['postgres'],
  },
  check({ change, facts, transaction, statement }) {
    if (facts.transactional || !transaction.inTransaction) return [];
    const sql = `${statement.sql.trim()};`;
    return [
      {
        message: `${label(change)} cannot run inside a transaction block, and here it runs inside ${opener(transaction)}: PostgreSQL rejects it and the migration fails.`,
        safeAlternative: [...howToLeave(transaction, statement.file), sql].join('\n'),
      },
    ];
  },
});

function label(change: Change): string {
  switch (change.kind) {
    case 'create index':
      return `CREATE ${change.index.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY`;
    case 'drop index':
      return 'DROP INDEX CONCURRENTLY';
    case 'reindex':
      return `REINDEX ${change.target.toUpperCase()}${change.concurrently ? ' CONCURRENTLY' : ''}`;
    case 'detach partition':
      return 'DETACH PARTITION … CONCURRENTLY';
    case 'vacuum':
      return change.full ? 'VACUUM FULL' : 'VACUUM';
    case 'cluster':
      return 'CLUSTER without a table name';
    case 'add enum value':
      return 'ALTER TYPE … ADD VALUE (before PostgreSQL 12)';
    case 'drop database':
      return 'DROP DATABASE';
    default:
      return change.kind.toUpperCase();
  }
}

function opener(transaction: TransactionContext): string {
  switch (transaction.startedBy) {
    case 'runner':
      return 'the transaction the migration runner opens for the whole file';
    case 'implicit':
      return 'the implicit transaction of a file sent as one multi-statement query (golang-migrate, Prisma before 7.4, a dbmate transaction:false section)';
    default:
      return 'the BEGIN … COMMIT block of this file';
  }
}

function howToLeave(transaction: TransactionContext, file: string): string[] {
  // Flyway reads a migration's settings from <its file name>.conf: named, not a pattern to fill in.
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const conf = /^V[^_]+__.+\.sql$/.test(base)
    ? `${base}.conf`
    : 'the .sql.conf file named after the migration';
  switch (transaction.startedBy) {
    case 'runner':
      return [
        '-- give this statement a migration of its own that runs without a transaction:',
        '--   Flyway: a migration holding only this statement (Flyway runs it outside a transaction),',
        `--           or executeInTransaction=false in ${conf} beside it`,
        '--   dbmate: first line "-- migrate:up transaction:false"',
        '--   golang-migrate, Prisma: a migration file holding only this statement',
        '--   Rails: disable_ddl_transaction!   Django: atomic = False on the Migration class',
        '--   Alembic: run it inside "with op.get_context().autocommit_block():"',
        '--   node-pg-migrate: pgm.noTransaction()   Knex: exports.config = { transaction: false }',
      ];
    case 'implicit':
      return [
        '-- a multi-statement file runs as one transaction: put this statement in a migration file of its own:',
      ];
    default:
      return ['-- move it outside BEGIN … COMMIT (after the COMMIT):'];
  }
}
