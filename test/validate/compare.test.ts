/**
 * compareTrace on TRUNCATE: its new, empty files are no rewrite, and on a table that was
 * empty already they cannot be told from one, so a predicted TRUNCATE accepts either.
 */
import { describe, expect, it } from 'vitest';
import { compareTrace } from '../../src/validate/compare.js';
import type { StatementTrace } from '../../src/dialects/postgres/validate/trace.js';

const trace = (files: Pick<StatementTrace, 'rewrittenTables' | 'emptiedTables'>): StatementTrace => ({
  sql: 'TRUNCATE t',
  inTransaction: true,
  locks: [
    { relation: 'public.t', kind: 'table', mode: 'ACCESS EXCLUSIVE', granted: true, existedBefore: true },
  ],
  rebuiltIndexes: [],
  createdIndexes: [],
  scans: [],
  waits: 0,
  ...files,
});
const existing = new Set(['public.t']);
const locks = [{ table: 'public.t', mode: 'ACCESS EXCLUSIVE' as const }];

describe('compareTrace and TRUNCATE', () => {
  it('takes emptied files as what TRUNCATE does, not as a rewrite', () => {
    const emptied = trace({ rewrittenTables: [], emptiedTables: ['public.t'] });
    expect(compareTrace({ locks, rewritesTable: false, emptiesTable: true }, emptied, existing)).toEqual([]);
  });

  it('accepts a new file on a table that was empty already when TRUNCATE was predicted', () => {
    const alreadyEmpty = trace({ rewrittenTables: ['public.t'], emptiedTables: [] });
    expect(compareTrace({ locks, rewritesTable: false, emptiesTable: true }, alreadyEmpty, existing)).toEqual(
      [],
    );
    // Anything else that gave the table a new file was a rewrite nobody predicted.
    expect(compareTrace({ locks, rewritesTable: false }, alreadyEmpty, existing)).toEqual([
      { severity: 'error', table: 'public.t', message: 'rewrote public.t; no rewrite was predicted' },
    ]);
  });
});
