/**
 * The operations the calibration times, each as: untimed setup, the one timed statement, and
 * whether it runs inside a transaction that is rolled back afterwards (everything except
 * CREATE INDEX CONCURRENTLY, which cannot, and is undone with DROP INDEX instead).
 */
import { PARENT, secondaryIndex, tableName } from './tables.js';

/** Which part of the throughput model an operation measures. */
export type RateKind = 'scan' | 'rewrite' | 'index build' | 'rewrite + index rebuild';

export interface Operation {
  id: string;
  label: string;
  kind: RateKind;
  setup(rows: number): string[];
  timed(rows: number): string;
  /** False: runs in autocommit; `undo` removes what it made. */
  inTransaction: boolean;
  undo?(rows: number): string[];
  /** Indexes rebuilt by the timed statement (for the per-index rate). */
  indexesRebuilt?: number;
}

const t = tableName;

export const OPERATIONS: readonly Operation[] = [
  {
    id: 'check',
    label: 'ADD CONSTRAINT … CHECK (validated)',
    kind: 'scan',
    setup: () => [],
    timed: (n) => `ALTER TABLE ${t(n)} ADD CONSTRAINT cal_amount_check CHECK (amount >= 0)`,
    inTransaction: true,
  },
  {
    id: 'set-not-null',
    label: 'ALTER COLUMN … SET NOT NULL',
    kind: 'scan',
    setup: () => [],
    timed: (n) => `ALTER TABLE ${t(n)} ALTER COLUMN email SET NOT NULL`,
    inTransaction: true,
  },
  {
    id: 'validate-check',
    label: 'VALIDATE CONSTRAINT (CHECK added NOT VALID)',
    kind: 'scan',
    setup: (n) => [`ALTER TABLE ${t(n)} ADD CONSTRAINT cal_amount_check CHECK (amount >= 0) NOT VALID`],
    timed: (n) => `ALTER TABLE ${t(n)} VALIDATE CONSTRAINT cal_amount_check`,
    inTransaction: true,
  },
  {
    id: 'fk',
    label: 'ADD FOREIGN KEY (validated)',
    kind: 'scan',
    setup: () => [],
    timed: (n) =>
      `ALTER TABLE ${t(n)} ADD CONSTRAINT cal_account_fk FOREIGN KEY (account_id) REFERENCES ${PARENT} (id)`,
    inTransaction: true,
  },
  {
    id: 'validate-fk',
    label: 'VALIDATE CONSTRAINT (FOREIGN KEY added NOT VALID)',
    kind: 'scan',
    setup: (n) => [
      `ALTER TABLE ${t(n)} ADD CONSTRAINT cal_account_fk FOREIGN KEY (account_id) REFERENCES ${PARENT} (id) NOT VALID`,
    ],
    timed: (n) => `ALTER TABLE ${t(n)} VALIDATE CONSTRAINT cal_account_fk`,
    inTransaction: true,
  },
  {
    id: 'type-bigint-bare',
    label: 'ALTER COLUMN int → bigint, no indexes',
    kind: 'rewrite',
    // Dropping the indexes inside the rolled-back transaction isolates the heap rewrite.
    setup: (n) => [`ALTER TABLE ${t(n)} DROP CONSTRAINT ${t(n)}_pkey`, `DROP INDEX ${secondaryIndex(n)}`],
    timed: (n) => `ALTER TABLE ${t(n)} ALTER COLUMN quantity TYPE bigint`,
    inTransaction: true,
  },
  {
    id: 'type-bigint',
    label: 'ALTER COLUMN int → bigint, 2 indexes',
    kind: 'rewrite + index rebuild',
    setup: () => [],
    timed: (n) => `ALTER TABLE ${t(n)} ALTER COLUMN quantity TYPE bigint`,
    inTransaction: true,
    indexesRebuilt: 2,
  },
  {
    id: 'volatile-default',
    label: 'ADD COLUMN … DEFAULT random(), 2 indexes',
    kind: 'rewrite + index rebuild',
    setup: () => [],
    timed: (n) => `ALTER TABLE ${t(n)} ADD COLUMN cal_random double precision DEFAULT random()`,
    inTransaction: true,
    indexesRebuilt: 2,
  },
  {
    id: 'create-index',
    label: 'CREATE INDEX (bigint column)',
    kind: 'index build',
    setup: () => [],
    timed: (n) => `CREATE INDEX cal_account_idx ON ${t(n)} (account_id)`,
    inTransaction: true,
  },
  {
    id: 'create-index-concurrently',
    label: 'CREATE INDEX CONCURRENTLY (bigint column)',
    kind: 'index build',
    setup: () => [],
    timed: (n) => `CREATE INDEX CONCURRENTLY cal_account_idx ON ${t(n)} (account_id)`,
    inTransaction: false,
    undo: () => ['DROP INDEX IF EXISTS cal_account_idx'],
  },
];
