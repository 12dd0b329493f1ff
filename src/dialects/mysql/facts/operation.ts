/**
 * One ALTER as the server carries it out, before ALGORITHM=/LOCK= and the statement's other
 * clauses are taken into account (options.ts) and before it becomes ChangeFacts (result.ts).
 */
import type { FactEvidence, OnlineAlgorithm, ValidatedConstraint } from '../../../core/analysis.js';
import type { MetadataLockMode } from '../../../core/locks.js';

/** LOCK= levels, weakest first: what concurrent traffic the operation lets through. */
export const LOCK_LEVELS = ['NONE', 'SHARED', 'EXCLUSIVE'] as const;
export type LockLevel = (typeof LOCK_LEVELS)[number];

/** Algorithms, cheapest first (MariaDB's hierarchy; MySQL has no NOCOPY). */
export const ALGORITHMS: readonly OnlineAlgorithm[] = ['INSTANT', 'NOCOPY', 'INPLACE', 'COPY'];

export function algorithmRank(a: OnlineAlgorithm): number {
  return ALGORITHMS.indexOf(a);
}

export function lockRank(l: LockLevel): number {
  return LOCK_LEVELS.indexOf(l);
}

export interface Operation {
  /** What the server runs when no ALGORITHM is named: the cheapest it supports. */
  algorithm: OnlineAlgorithm;
  /** The table is written anew (INPLACE with rebuild, or COPY). */
  rebuilds: boolean;
  /** The weakest LOCK the server allows, which is what it takes when none is named. */
  lock: LockLevel;
  /**
   * - `row`: an instant change of the row format (ADD/DROP/reorder COLUMN) that stays instant
   *   only if every clause of the ALTER is instant: beside an index build or other in-place
   *   work the server rebuilds the table instead;
   * - `frm`: a change of the definition alone, which engines other than InnoDB can do too
   *   (rename column, defaults, comments, ENUM members at the end; measured on MyISAM);
   * - `innodb`: instant on InnoDB only (a longer VARCHAR, a wider character set, a new
   *   AUTO_INCREMENT value): other engines copy;
   * - `work`: anything else.
   */
  kind: 'row' | 'frm' | 'innodb' | 'work';
  /** Nothing changes (a MODIFY restating what the column already is). */
  noop?: boolean;
  /** A written LOCK= stronger than the one the server needs for this operation. */
  lockRaised?: boolean;
  /** MySQL: ALGORITHM=INPLACE on an instant operation rebuilds the table (ADD COLUMN). */
  inplaceRebuilds?: boolean;
  scans?: boolean;
  buildsIndex?: boolean;
  rejects?: boolean;
  validates?: ValidatedConstraint[];
  /** Other tables held in the same metadata lock mode while it works (a foreign key's parent). */
  alsoLocks?: string[];
  /** Tables held EXCLUSIVE (RENAME's new name). */
  exclusive?: string[];
  /** TRUNCATE: every row discarded. */
  empties?: boolean;
  /** Not an ALTER algorithm at all (TRUNCATE, DROP TABLE): no `online` in the facts. */
  notOnline?: boolean;
  /** The statement fails as written (an ALGORITHM/LOCK the server refuses): nothing changes. */
  fails?: string;
  notes: string[];
  evidence: FactEvidence;
}

type Extra = Partial<Omit<Operation, 'algorithm' | 'rebuilds' | 'notes' | 'evidence'>>;

export function instant(evidence: FactEvidence, notes: string[], extra: Extra = {}): Operation {
  return { algorithm: 'INSTANT', rebuilds: false, lock: 'NONE', kind: 'frm', notes, evidence, ...extra };
}

/** In place without rebuilding the table; MySQL calls it INPLACE, MariaDB NOCOPY. */
export function nocopy(
  mariadb: boolean,
  evidence: FactEvidence,
  notes: string[],
  extra: Extra = {},
): Operation {
  return {
    algorithm: mariadb ? 'NOCOPY' : 'INPLACE',
    rebuilds: false,
    lock: 'NONE',
    kind: 'work',
    notes,
    evidence,
    ...extra,
  };
}

export function rebuild(evidence: FactEvidence, notes: string[], extra: Extra = {}): Operation {
  return { algorithm: 'INPLACE', rebuilds: true, lock: 'NONE', kind: 'work', notes, evidence, ...extra };
}

export function copy(evidence: FactEvidence, notes: string[], extra: Extra = {}): Operation {
  return { algorithm: 'COPY', rebuilds: true, lock: 'SHARED', kind: 'work', notes, evidence, ...extra };
}

export function noop(evidence: FactEvidence, notes: string[] = []): Operation {
  return instant(evidence, notes, { noop: true });
}

/**
 * The metadata lock held while the operation works (the convention of core/analysis.ts
 * OnlineDdl): an instant one holds EXCLUSIVE for a moment; an online one SHARED_UPGRADABLE;
 * LOCK=SHARED (every COPY before MariaDB 11.2) SHARED_NO_WRITE; LOCK=EXCLUSIVE EXCLUSIVE.
 * Measured in METADATA_LOCK_INFO on MariaDB 10.11 (test/dialects/mysql/facts).
 */
export function heldMode(op: Pick<Operation, 'algorithm' | 'lock'>): MetadataLockMode {
  if (op.algorithm === 'INSTANT' || op.lock === 'EXCLUSIVE') return 'EXCLUSIVE';
  return op.lock === 'SHARED' ? 'SHARED_NO_WRITE' : 'SHARED_UPGRADABLE';
}

/** Words shared by several operations. */
export const WORDS = {
  instant: 'changes only the table definition: instant whatever the table size',
  copy: 'copies every row into a new table (ALGORITHM=COPY): writes wait for the whole copy, reads go on',
  copyOnline:
    'copies every row into a new table (ALGORITHM=COPY); MariaDB 11.2+ logs concurrent writes and replays them, so writes go on',
  rebuild:
    'rebuilds the table in place (ALGORITHM=INPLACE): reads and writes go on, the time grows with the table',
  rebuildShared:
    'rebuilds the table in place with LOCK=SHARED: writes wait for the whole rebuild, reads go on',
  nocopy: 'works in place without rebuilding the table: reads and writes go on',
  queue:
    'waits for every open transaction that has used the table to end ("Waiting for table metadata lock"), at the start and again to finish; meanwhile every new query on the table queues behind it: set a short lock_wait_timeout',
  mysqlDocumented: 'MySQL: from the reference manual, not measured here',
} as const;
