import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderAnalysisJson } from '../../src/reporters/analysis-json.js';
import { validateJson, type JsonSchema } from '../support/json-schema.js';
import { analyzeSql, MIGRATIONS } from './support.js';

const schema = JSON.parse(
  readFileSync(new URL('../../schema/analyze-output.schema.json', import.meta.url), 'utf8'),
) as JsonSchema;

async function jsonOutput(sql: string, withSchema = true): Promise<Record<string, unknown>> {
  const result = await analyzeSql(sql, withSchema ? {} : { schema: null });
  return JSON.parse(renderAnalysisJson(result)) as Record<string, unknown>;
}

describe('analyze --format json', () => {
  for (const [name, m] of Object.entries(MIGRATIONS)) {
    it(`validates against schema/analyze-output.schema.json: ${name}`, async () => {
      const output = await jsonOutput(m.sql, m.schema !== null);
      expect(validateJson(schema, output)).toEqual([]);
    });
  }

  it('prints the documented keys in order, without internals', async () => {
    const output = await jsonOutput(MIGRATIONS['unsafe']?.sql ?? '');
    expect(Object.keys(output)).toEqual([
      'dialect',
      'serverVersion',
      'statements',
      'assessment',
      'assumptions',
    ]);
  });

  it('spells lock modes as the PostgreSQL docs do and qualifies tables', async () => {
    const output = await jsonOutput('ALTER TABLE users DROP COLUMN email; CREATE INDEX i ON orders (total)');
    const locks = (output['statements'] as { locks: { table: string; mode: string }[] }[]).flatMap(
      (s) => s.locks,
    );
    expect(locks).toEqual([
      { table: 'public.users', mode: 'ACCESS EXCLUSIVE' },
      { table: 'public.orders', mode: 'SHARE' },
    ]);
  });

  // The schema must be strict where the contract is: each mutation of real output must fail it.
  const mutations: Record<string, (o: Output) => void> = {
    'pg_locks spelling of a lock mode': (o) => (o.statements[0]!.locks[0]!.mode = 'AccessExclusiveLock'),
    'unqualified table': (o) => (o.statements[0]!.locks[0]!.table = 'users'),
    'extra assessment key': (o) => (o.assessment['confidence'] = 0.9),
    'missing assessment key': (o) => delete o.assessment['safe_to_deploy'],
    'rollback complexity 6': (o) => (o.assessment['rollback_complexity'] = 6),
    'performance impact "severe"': (o) => (o.assessment['performance_impact'] = 'severe'),
    'unknown change kind': (o) => (o.statements[0]!.changes[0]!.kind = 'drop everything'),
    'unknown severity': (o) => (o.statements[0]!.findings[0]!.severity = 'fatal'),
    'line 0': (o) => (o.statements[0]!.line = 0),
    'internals leaked': (o) => (o.run = {}),
  };
  for (const [name, mutate] of Object.entries(mutations)) {
    it(`rejects ${name}`, async () => {
      const output = (await jsonOutput('ALTER TABLE users DROP COLUMN email')) as unknown as Output;
      mutate(output);
      expect(validateJson(schema, output).length).toBeGreaterThan(0);
    });
  }

  it("enumerates PostgreSQL's table lock modes (docs 13.3.1), then MySQL's metadata lock types, then SQLite's file locks, weakest first", () => {
    const s = schema as { $defs: { lockMode: { enum: string[] } } };
    expect(s.$defs.lockMode.enum).toEqual([
      'ACCESS SHARE',
      'ROW SHARE',
      'ROW EXCLUSIVE',
      'SHARE UPDATE EXCLUSIVE',
      'SHARE',
      'SHARE ROW EXCLUSIVE',
      'EXCLUSIVE',
      'ACCESS EXCLUSIVE',
      // performance_schema.metadata_locks LOCK_TYPE; EXCLUSIVE is shared with PostgreSQL's list.
      'SHARED_READ',
      'SHARED_WRITE',
      'SHARED_UPGRADABLE',
      'SHARED_NO_WRITE',
      'SHARED_NO_READ_WRITE',
      // https://www.sqlite.org/lockingv3.html; EXCLUSIVE is shared again.
      'SHARED',
      'RESERVED',
      'PENDING',
    ]);
  });
});

interface Output {
  statements: {
    line: number;
    locks: { table: string; mode: string }[];
    changes: { kind: string }[];
    findings: { severity: string }[];
  }[];
  assessment: Record<string, unknown>;
  run?: unknown;
}
