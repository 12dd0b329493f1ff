/**
 * compareTrace with MySQL's metadata locks and online DDL: strengths come from the dialect's lock
 * model (under PostgreSQL's, SHARED_NO_WRITE has no strength at all), and the measured algorithm
 * and blocked writers are held against the OnlineDdl facts.
 */
import { describe, expect, it } from 'vitest';
import { METADATA_LOCKS } from '../../src/core/locks.js';
import type { ObservedOnlineDdl, StatementTrace } from '../../src/core/dialect/validation.js';
import { compareTrace, type Prediction } from '../../src/validate/compare.js';

const table = 'shop.users';
const existing = new Set([table]);

function trace(
  mode: 'SHARED_UPGRADABLE' | 'SHARED_NO_WRITE' | 'EXCLUSIVE',
  online: Partial<ObservedOnlineDdl> = {},
): StatementTrace {
  return {
    sql: 'ALTER TABLE users …',
    inTransaction: false,
    locks: [{ relation: table, kind: 'table', mode, granted: true, existedBefore: true }],
    rewrittenTables: online.rebuilt ? [table] : [],
    emptiedTables: [],
    rebuiltIndexes: [],
    createdIndexes: [],
    scans: null,
    waits: 0,
    online: {
      algorithm: 'INPLACE',
      rebuilt: false,
      blocksWrites: false,
      blocksReads: false,
      writerWaitMs: 3,
      evidence: 'e',
      ...online,
    },
  };
}

const predicted = (
  mode: 'SHARED_UPGRADABLE' | 'SHARED_NO_WRITE' | 'EXCLUSIVE',
  extra: Partial<Prediction> = {},
): Prediction => ({
  locks: [{ table, mode }],
  rewritesTable: false,
  ...extra,
});

describe('compareTrace with metadata locks', () => {
  it('orders the modes by the metadata lock model', () => {
    expect(
      compareTrace(predicted('SHARED_UPGRADABLE'), trace('SHARED_NO_WRITE'), existing, METADATA_LOCKS),
    ).toEqual([
      { severity: 'error', table, message: `took SHARED_NO_WRITE on ${table}; predicted SHARED_UPGRADABLE` },
    ]);
    expect(
      compareTrace(predicted('SHARED_NO_WRITE'), trace('SHARED_UPGRADABLE'), existing, METADATA_LOCKS),
    ).toEqual([]);
  });

  it('reports a heavier algorithm and blocked writers as errors, a lighter one as a warning', () => {
    const copy = trace('SHARED_NO_WRITE', {
      algorithm: 'COPY',
      rebuilt: true,
      blocksWrites: true,
      writerWaitMs: 310,
    });
    expect(
      compareTrace(
        predicted('SHARED_NO_WRITE', { rewritesTable: true, algorithm: 'INPLACE', blocksWrites: false }),
        copy,
        existing,
        METADATA_LOCKS,
      ),
    ).toEqual([
      { severity: 'error', table, message: `ran ALGORITHM=COPY on ${table} (e); predicted INPLACE` },
      {
        severity: 'error',
        table,
        message: `blocked writes to ${table} for 310 ms; predicted writes would go on`,
      },
    ]);
    const instant = trace('EXCLUSIVE', { algorithm: 'INSTANT' });
    expect(
      compareTrace(
        predicted('EXCLUSIVE', { rewritesTable: true, algorithm: 'COPY', blocksWrites: true }),
        instant,
        existing,
        METADATA_LOCKS,
      ),
    ).toEqual([
      { severity: 'warning', table, message: `predicted a rewrite of ${table}; none happened` },
      { severity: 'warning', table, message: `ran ALGORITHM=INSTANT on ${table} (e); predicted COPY` },
      { severity: 'warning', table, message: `predicted writes to ${table} would wait; none did` },
    ]);
  });

  it('says nothing about writers when the statement was too short to tell', () => {
    const short = trace('EXCLUSIVE', { algorithm: 'INSTANT', blocksWrites: null });
    expect(
      compareTrace(
        predicted('EXCLUSIVE', { algorithm: 'INSTANT', blocksWrites: true }),
        short,
        existing,
        METADATA_LOCKS,
      ),
    ).toEqual([]);
  });
});
