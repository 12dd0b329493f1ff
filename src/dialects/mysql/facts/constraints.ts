/**
 * Constraints: ADD FOREIGN KEY (foreign_key_checks decides), CHECK, and DROP of a constraint or
 * of the primary key (also spelled DROP INDEX `PRIMARY`), told apart by the catalog.
 *
 * MariaDB: measured on 10.11 (test/dialects/mysql/facts/cases/keys.ts). MySQL: the manual's
 * "Foreign Key Operations" and "Primary Key Operations" tables (MANUAL).
 */
import type { ChangeOf, ConstraintSpec } from '../../../core/change.js';
import type { FactContext } from '../../../core/facts.js';
import type { Table } from '../../../core/snapshot.js';
import { addPrimaryKey, dropIndex } from './keys.js';
import { copy, instant, nocopy, noop, rebuild, WORDS, type Operation } from './operation.js';
import { mysqlSince, type Server } from './server.js';

const MANUAL = 'https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html';

export function addConstraint(
  change: ChangeOf<'add constraint'>,
  ctx: FactContext,
  server: Server,
): Operation {
  const table = ctx.table(change.table);
  const c = change.constraint;
  switch (c.type) {
    case 'primary key':
      return addPrimaryKey(c, table, ctx, server);
    case 'unique':
      return nocopy(
        server.mariadb,
        server.evidence,
        [
          'builds the UNIQUE index by reading the whole table; fails on duplicate values; reads and writes go on',
        ],
        {
          buildsIndex: true,
          rejects: true,
        },
      );
    case 'foreign key':
      return addForeignKey(c, change.table, table, ctx, server);
    case 'check':
      return addCheck(c, server);
    default:
      return copy(server.evidence, [`${c.type} is not a MySQL constraint: taken as ${WORDS.copy}`]);
  }
}

/** DROP INDEX `PRIMARY` ON t drops the primary key. */
export function dropIndexStatement(
  change: ChangeOf<'drop index'>,
  ctx: FactContext,
  server: Server,
): Operation {
  const primary = change.indexes.some((i) => i.slice(i.lastIndexOf('.') + 1).toUpperCase() === 'PRIMARY');
  if (primary && change.table)
    return dropConstraint(
      {
        kind: 'drop constraint',
        table: change.table,
        name: 'PRIMARY',
        ifExists: change.ifExists,
        cascade: false,
      },
      ctx,
      server,
    );
  return dropIndex(server);
}

/** foreign_key_checks as the migration set it (on unless a SET turned it off). */
export function foreignKeyChecks(ctx: FactContext): boolean {
  const value = ctx.sessionVariable?.('foreign_key_checks');
  if (value === undefined) return true;
  return !/^[`'"]?(0|off|false)[`'"]?$/i.test(value.trim());
}

function addForeignKey(
  c: Extract<ConstraintSpec, { type: 'foreign key' }>,
  child: string,
  table: Table | undefined,
  ctx: FactContext,
  server: Server,
): Operation {
  const ev = server.evidence;
  const indexed =
    table?.indexes.some((i) => c.columns.every((n, k) => i.columns[k]?.toLowerCase() === n.toLowerCase())) ??
    false;
  if (!foreignKeyChecks(ctx)) {
    // Checks off: nothing is verified. Measured: INSTANT when an index on the columns exists,
    // else NOCOPY building one. Manual, "Adding a foreign key constraint": INPLACE only when
    // foreign_key_checks is disabled.
    const notes = ['foreign_key_checks=0: existing rows are NOT checked against the parent'];
    if (indexed)
      return server.mariadb
        ? instant(ev, notes, { kind: 'innodb' })
        : nocopy(false, ev, notes, { kind: 'frm' });
    return nocopy(server.mariadb, ev, [...notes, 'builds an index on the columns; reads and writes go on'], {
      buildsIndex: true,
    });
  }
  const parent = c.references.table === child ? [] : [c.references.table];
  // Checks on: COPY, measured, with SHARED_NO_WRITE on the parent too (its writers wait as
  // well). Manual: "Otherwise, only the COPY algorithm is supported."
  return copy(
    ev,
    [
      `foreign_key_checks=1: every row is checked against ${c.references.table} while ${WORDS.copy.replace('copies', 'the table is copied')}${parent.length ? `; writes to ${c.references.table} wait too` : ''}`,
    ],
    {
      validates: ['foreign key'],
      rejects: true,
      buildsIndex: !indexed,
      alsoLocks: parent,
    },
  );
}

function addCheck(c: Extract<ConstraintSpec, { type: 'check' }>, server: Server): Operation {
  const ev = server.evidence;
  if (c.notEnforced) return instant(ev, ['NOT ENFORCED: kept in the definition, no row is checked']);
  // MySQL before 8.0.16 parses CHECK and ignores it.
  if (!server.mariadb && !mysqlSince(server, 16))
    return noop(ev, ['MySQL before 8.0.16 parses CHECK and ignores it']);
  // MariaDB measured: COPY (INPLACE refused). MySQL: not in the manual's online DDL tables;
  // an enforced CHECK is verified against every row, taken to be the same COPY.
  return copy(ev, [`every row is checked while ${WORDS.copy.replace('copies', 'the table is copied')}`], {
    validates: ['check'],
    rejects: true,
  });
}

export function dropConstraint(
  change: ChangeOf<'drop constraint'>,
  ctx: FactContext,
  server: Server,
): Operation {
  const ev = server.evidence;
  const table = ctx.table(change.table);
  const name = change.name;
  if (name.toUpperCase() === 'PRIMARY') {
    const adds = ctx.statementChanges?.some(
      (s) => s.kind === 'add constraint' && s.constraint.type === 'primary key',
    );
    // Measured: COPY ("Dropping a primary key is not allowed without also adding a new primary
    // key"); with a new one in the same ALTER, a rebuild in place. Manual: the same two rows.
    if (adds) return rebuild(ev, [`the primary key is replaced: ${WORDS.rebuild}`]);
    return copy(ev, [`dropping the primary key without adding another: ${WORDS.copy}`]);
  }
  const known = table !== undefined;
  if (
    table?.foreignKeys.some((f) => f.name === name) ||
    table?.checkConstraints.some((k) => k.name === name) ||
    (!known && !server.mariadb)
  ) {
    // MariaDB: ALGORITHM=INSTANT accepted for both (measured). Manual, "Dropping a foreign key
    // constraint": In Place Yes, metadata only.
    if (server.mariadb) return instant(ev, ['drops the constraint from the definition: instant']);
    return nocopy(false, ev, [`drops the constraint from the definition (${MANUAL})`], { kind: 'frm' });
  }
  if (table && !table.indexes.some((i) => i.name === name) && change.ifExists) return noop(ev);
  if (!known)
    return instant(ev, [
      'drops the constraint from the definition: instant (a UNIQUE key drops its index: quick)',
    ]);
  return dropIndex(server);
}
