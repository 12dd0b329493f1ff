/**
 * From what an operation needs on InnoDB to what the statement really does: the table's engine,
 * the other clauses of the same ALTER, and ALGORITHM=/LOCK= as written.
 */
import type { Change, DdlOptions } from '../../../core/change.js';
import {
  algorithmRank,
  copy,
  instant,
  lockRank,
  WORDS,
  type LockLevel,
  type Operation,
} from './operation.js';
import { mariadbOnlineCopy, type Server } from './server.js';

/**
 * Engines without online DDL (MyISAM, Aria, MEMORY…): a change of the definition alone (rename
 * column, defaults, comments, ENUM members at the end, DROP CHECK, RENAME INDEX) is instant,
 * anything else copies the table with LOCK=SHARED at best. Measured on MyISAM 10.11
 * (test/dialects/mysql/facts/cases/myisam.ts): `ALGORITHM=INPLACE is not supported … Try
 * ALGORITHM=COPY`; `LOCK=NONE is not supported … Try LOCK=SHARED`.
 */
export function onEngine(op: Operation, engine: string | null, server: Server): Operation {
  if (engine === null || op.noop || op.notOnline) return op;
  const measured = engine.toLowerCase() === 'myisam' ? server.evidence : 'documented-only';
  if (op.algorithm === 'COPY') return { ...op, evidence: measured };
  const note = `${engine} has no online DDL`;
  if (op.kind === 'frm' && op.algorithm === 'INSTANT' && !op.buildsIndex)
    return {
      ...op,
      evidence: measured,
      notes: [
        ...op.notes,
        `${note}: instant here too, but it waits for the table lock of every running INSERT/UPDATE and, under a steady write load, can wait until lock_wait_timeout (measured on MyISAM)`,
      ],
    };
  return copy(
    measured,
    [
      `${note}: ${WORDS.copy}`,
      'a reader can still wait behind a writer that queued for the table lock (MyISAM gives writes priority)',
    ],
    {
      ...pick(op),
      alsoLocks: op.alsoLocks ?? [],
    },
  );
}

/**
 * MariaDB 11.2+ copies online: concurrent writes are logged and replayed, so a COPY takes
 * LOCK=NONE unless asked otherwise (MDEV-16329, https://mariadb.com/kb/en/online-schema-change/).
 * Documented only: the server here is 10.11. Left out where a parent table is held too (a
 * foreign key checked while copying): not said to be online.
 */
export function onlineCopy(op: Operation, server: Server): Operation {
  if (
    !mariadbOnlineCopy(server) ||
    op.algorithm !== 'COPY' ||
    op.lock !== 'SHARED' ||
    (op.alsoLocks ?? []).length > 0
  )
    return op;
  return {
    ...op,
    lock: 'NONE',
    evidence: 'documented-only',
    notes: [...op.notes.map((n) => n.replace(WORDS.copy, WORDS.copyOnline))],
  };
}

function pick(op: Operation): Partial<Operation> {
  return {
    scans: op.scans,
    buildsIndex: op.buildsIndex,
    rejects: op.rejects,
    validates: op.validates,
    empties: op.empties,
  };
}

/**
 * An instant ADD/DROP/reorder COLUMN stays instant only when every clause of the ALTER is:
 * beside an index build or any other in-place work, the server rebuilds the table and does
 * them all in one pass (measured: ADD COLUMN + ADD INDEX, DROP COLUMN + ADD INDEX → INPLACE
 * with rebuild; RENAME COLUMN or SET DEFAULT + ADD INDEX stay NOCOPY). MySQL's manual: "A
 * statement cannot combine the addition of a column with other ALTER TABLE actions that do
 * not support the INSTANT algorithm."
 */
export function inStatement(op: Operation, others: readonly Operation[]): Operation {
  if (op.kind !== 'row' || op.algorithm !== 'INSTANT') return op;
  const heavier = others.find((o) => !o.noop && o.algorithm !== 'INSTANT');
  if (!heavier) return op;
  return {
    ...op,
    algorithm: 'INPLACE',
    rebuilds: true,
    notes: [
      `beside ${heavier.algorithm} work in the same ALTER the column change is not instant: ${WORDS.rebuild}`,
    ],
  };
}

/** `ALGORITHM=`/`LOCK=` as written, applied: a stronger lock is taken; a refused one fails. */
export function withOptions(op: Operation, options: DdlOptions, server: Server): Operation {
  let out = op;
  const algorithm = options.algorithm && options.algorithm !== 'DEFAULT' ? options.algorithm : null;
  if (algorithm) out = withAlgorithm(out, algorithm, server);
  if (out.fails) return out;
  const lock = options.lock && options.lock !== 'DEFAULT' ? options.lock : null;
  if (lock) out = withLock(out, lock);
  return out;
}

function withAlgorithm(
  op: Operation,
  requested: NonNullable<DdlOptions['algorithm']>,
  server: Server,
): Operation {
  if (requested === 'DEFAULT') return op;
  if (requested === 'COPY') {
    if (op.algorithm === 'COPY' || op.noop) return op.noop ? op : op;
    // Both servers copy when asked to, whatever the operation could do instead (measured:
    // ADD INDEX, ALGORITHM=COPY copies every row).
    return copy(op.evidence, [`ALGORITHM=COPY forces a copy: ${WORDS.copy}`], {
      ...pick(op),
      lock: mariadbOnlineCopy(server) ? 'NONE' : 'SHARED',
      alsoLocks: op.alsoLocks ?? [],
    });
  }
  if (!server.mariadb) return mysqlAlgorithm(op, requested);
  // MariaDB takes the named algorithm as the least efficient it accepts: a cheaper one still
  // runs (measured: ADD COLUMN, ALGORITHM=INPLACE is instant), a costlier one fails.
  if (algorithmRank(op.algorithm) <= algorithmRank(requested)) return op;
  return refused(op, `ALGORITHM=${requested}`, `ALGORITHM=${op.algorithm}`);
}

/**
 * MySQL runs exactly the algorithm named when the operation supports it (manual, "ALGORITHM"
 * in https://dev.mysql.com/doc/refman/8.0/en/alter-table.html): INPLACE on an instant ADD/DROP
 * COLUMN rebuilds the table; MySQL has no NOCOPY (a syntax error).
 */
function mysqlAlgorithm(op: Operation, requested: 'INSTANT' | 'NOCOPY' | 'INPLACE'): Operation {
  if (requested === 'NOCOPY')
    return { ...op, fails: 'MySQL has no ALGORITHM=NOCOPY (a syntax error): use INPLACE', notes: [] };
  if (requested === 'INSTANT')
    return op.algorithm === 'INSTANT' ? op : refused(op, 'ALGORITHM=INSTANT', `ALGORITHM=${op.algorithm}`);
  if (op.algorithm === 'COPY') return refused(op, 'ALGORITHM=INPLACE', 'ALGORITHM=COPY');
  if (op.algorithm === 'INSTANT' && op.inplaceRebuilds)
    return {
      ...op,
      algorithm: 'INPLACE',
      rebuilds: true,
      kind: 'work',
      notes: [`ALGORITHM=INPLACE: ${WORDS.rebuild}`],
    };
  return { ...op, algorithm: 'INPLACE' };
}

function withLock(op: Operation, requested: 'NONE' | 'SHARED' | 'EXCLUSIVE'): Operation {
  // An instant operation holds its brief EXCLUSIVE lock whatever LOCK says (measured: LOCK=SHARED
  // and LOCK=EXCLUSIVE on an instant ADD COLUMN leave it instant, writers not held).
  if (op.algorithm === 'INSTANT' || op.noop) return op;
  if (lockRank(requested) < lockRank(op.lock)) return refused(op, `LOCK=${requested}`, `LOCK=${op.lock}`);
  if (requested === op.lock) return op;
  return {
    ...op,
    lock: requested as LockLevel,
    lockRaised: true,
    notes: [...op.notes, lockWords(requested)],
  };
}

function lockWords(lock: 'SHARED' | 'EXCLUSIVE' | 'NONE'): string {
  if (lock === 'SHARED') return 'LOCK=SHARED: writes wait for the whole statement, reads go on';
  if (lock === 'EXCLUSIVE') return 'LOCK=EXCLUSIVE: reads and writes wait for the whole statement';
  return 'LOCK=NONE: reads and writes go on';
}

/**
 * The server refuses the statement before doing anything: ER_ALTER_OPERATION_NOT_SUPPORTED
 * (1845, "ALGORITHM=INSTANT is not supported for this operation. Try ALGORITHM=COPY") or
 * ER_ALTER_OPERATION_NOT_SUPPORTED_REASON (1846, "… Reason: …"), measured.
 */
function refused(op: Operation, asked: string, needs: string): Operation {
  return {
    ...instant(op.evidence, []),
    algorithm: op.algorithm,
    lock: 'NONE',
    kind: 'work',
    fails: `${asked} is refused: the server needs ${needs} for this (ER_ALTER_OPERATION_NOT_SUPPORTED_REASON, errno 1845/1846); the statement fails and changes nothing`,
  };
}

/** The Changes of a statement that share its ALTER (all but the one asked about). */
export function siblings(change: Change, all: readonly Change[] | undefined): Change[] {
  return (all ?? []).filter((c) => c !== change);
}
