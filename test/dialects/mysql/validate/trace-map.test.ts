/**
 * A MySQL trace in validate's terms (src/dialects/mysql/validate/trace-map.ts): the metadata lock
 * reported for a table is the one seen in most samples (an ALTER's brief EXCLUSIVE at its start
 * and end is not its working lock), and a statement too short to show a blocked writer reports
 * "unknown", not "not blocked". Pure mapping; the live behaviour is in validate-plan.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { metadataLockMode, toStatementTrace } from '../../../../src/dialects/mysql/validate/trace-map.js';
import type { MysqlStatementTrace } from '../../../../src/dialects/mysql/trace/trace.js';

function trace(locks: [string, number][], durationMs = 400): MysqlStatementTrace {
  const probe = { sql: 'x', runs: 3, longestWaitMs: 320, longestStartMs: 5, blocked: true };
  return {
    sql: 'ALTER TABLE t MODIFY c bigint',
    table: 'scratch.t',
    durationMs,
    affectedRows: 10,
    rebuilt: true,
    indexesBuilt: 0,
    instantCounted: false,
    algorithm: 'COPY',
    algorithmEvidence: '10 rows affected (copied)',
    writers: probe,
    readers: { ...probe, blocked: false },
    locks: locks.map(([mode]) => ({ table: 'scratch.t', mode })),
    lockSamples: locks.map(([, n]) => n),
  };
}

const context = {
  rename: (t: string) => t.replace(/^scratch\./, 'shop.'),
  before: new Map([['scratch.t', 'table' as const]]),
  truncates: false,
  blockedMinMs: 50,
};

describe('toStatementTrace', () => {
  it('reports the mode seen in most samples, the stronger on a tie', () => {
    const copy = toStatementTrace(
      trace([
        ['SHARED_UPGRADABLE', 1],
        ['SHARED_NO_WRITE', 40],
        ['EXCLUSIVE', 2],
      ]),
      context,
    );
    expect(copy.locks).toEqual([
      { relation: 'shop.t', kind: 'table', mode: 'SHARED_NO_WRITE', granted: true, existedBefore: true },
    ]);
    const tie = toStatementTrace(
      trace([
        ['SHARED_UPGRADABLE', 1],
        ['EXCLUSIVE', 1],
      ]),
      context,
    );
    expect(tie.locks.map((l) => l.mode)).toEqual(['EXCLUSIVE']);
    expect(copy.rewrittenTables).toEqual(['shop.t']);
    expect(copy.online).toMatchObject({
      algorithm: 'COPY',
      rebuilt: true,
      blocksWrites: true,
      blocksReads: false,
    });
  });

  it("does not take a short statement's start and end EXCLUSIVE for its working lock", () => {
    const online = toStatementTrace(
      trace(
        [
          ['SHARED_UPGRADABLE', 1],
          ['EXCLUSIVE', 2],
        ],
        20,
      ),
      context,
    );
    expect(online.locks.map((l) => l.mode)).toEqual(['SHARED_UPGRADABLE']);
    expect(toStatementTrace(trace([['EXCLUSIVE', 2]], 20), context).locks).toEqual([]);
    // Long enough, EXCLUSIVE throughout is what it is.
    expect(
      toStatementTrace(
        trace([
          ['SHARED_UPGRADABLE', 1],
          ['EXCLUSIVE', 30],
        ]),
        context,
      ).locks.map((l) => l.mode),
    ).toEqual(['EXCLUSIVE']);
  });

  it('counts a TRUNCATE new table id as emptied, not rewritten', () => {
    const t = toStatementTrace(trace([['EXCLUSIVE', 3]]), { ...context, truncates: true });
    expect(t.locks.map((l) => l.mode)).toEqual(['EXCLUSIVE']);
    expect(t.rewrittenTables).toEqual([]);
    expect(t.emptiedTables).toEqual(['shop.t']);
  });

  it('leaves blocked traffic unknown for a statement shorter than a wait worth the name', () => {
    expect(toStatementTrace(trace([['EXCLUSIVE', 1]], 20), context).online).toMatchObject({
      blocksWrites: null,
      blocksReads: null,
    });
  });
});

describe('metadataLockMode', () => {
  it("maps METADATA_LOCK_INFO's modes onto the lock model's", () => {
    expect(metadataLockMode('SHARED_NO_READ_WRITE')).toBe('SHARED_NO_READ_WRITE');
    expect(metadataLockMode('SHARED_HIGH_PRIO')).toBe('SHARED_READ');
    expect(metadataLockMode('SHARED_READ_ONLY')).toBe('SHARED_NO_WRITE');
    expect(metadataLockMode('INTENTION_EXCLUSIVE')).toBeNull();
  });
});
