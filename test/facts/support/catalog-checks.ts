/**
 * Facts that come from the catalog rather than from running a migration statement: the
 * built-in volatility list (volatility.ts) against pg_proc.provolatile, and hasNotNullCheck
 * (facts.ts) against the CHECK definitions the server prints and the server's own decision to
 * skip the SET NOT NULL scan.
 */
import { describe, expect, it } from 'vitest';
import type { Volatility } from '../../../src/core/facts.js';
import { expr } from '../../../src/dialects/postgres/ast.js';
import { hasNotNullCheck } from '../../../src/dialects/postgres/facts.js';
import { introspectPostgres } from '../../../src/dialects/postgres/introspect.js';
import { parsePostgres } from '../../../src/dialects/postgres/parser.js';
import { BUILTIN_VOLATILITY, SQL_VALUE_FUNCTION } from '../../../src/dialects/postgres/volatility.js';
import { relationLookups } from '../../../src/schema/relations.js';
import { SchemaState } from '../../../src/schema/state.js';
import { traceStatement } from '../../../src/dialects/postgres/validate/trace.js';
import type { CaseDatabase } from './run-case.js';

/** Built-ins that arrived in a later major (release notes of that major). */
const SINCE: Record<string, number> = {
  gen_random_uuid: 13, // https://www.postgresql.org/docs/13/functions-uuid.html (pgcrypto before)
  pg_current_xact_id: 13, // https://www.postgresql.org/docs/13/functions-info.html
  random_normal: 16, // https://www.postgresql.org/docs/16/functions-math.html
  uuidv4: 18, // https://www.postgresql.org/docs/18/functions-uuid.html
  uuidv7: 18,
};
/** Functions of the list that come from an extension; installed for the check when the server has it. */
const FROM_EXTENSION: Record<string, string> = {
  gen_random_bytes: 'pgcrypto',
  uuid_generate_v1: 'uuid-ossp',
  uuid_generate_v1mc: 'uuid-ossp',
  uuid_generate_v4: 'uuid-ossp',
};

const PROVOLATILE: Record<string, Volatility> = { i: 'immutable', s: 'stable', v: 'volatile' };
const RANK: Record<Volatility, number> = { immutable: 0, stable: 1, volatile: 2 };

export function registerCatalogChecks(major: number, database: () => CaseDatabase): void {
  describe('catalog facts', () => {
    it('built-in volatility list agrees with pg_proc.provolatile (worst overload)', async () => {
      const { client } = database();
      const schema = `fact_ext_${process.pid}`;
      await client.query(`CREATE SCHEMA ${schema}`);
      try {
        const installed = new Set<string>();
        for (const name of new Set(Object.values(FROM_EXTENSION))) {
          // Not every build ships contrib; a missing extension leaves its functions unchecked.
          const created = await client
            .query(`CREATE EXTENSION IF NOT EXISTS "${name}" SCHEMA ${schema}`)
            .then(
              () => true,
              () => false,
            );
          if (created) installed.add(name);
        }
        const { rows } = await client.query<{ name: string; v: string }>(
          `SELECT proname::text AS name, string_agg(DISTINCT provolatile::text, '') AS v
           FROM pg_catalog.pg_proc WHERE proname = ANY($1) GROUP BY proname`,
          [[...BUILTIN_VOLATILITY.keys()]],
        );
        const onServer = new Map(rows.map((r) => [r.name, worst(r.v)]));
        const disagree: string[] = [];
        const missing: string[] = [];
        for (const [name, listed] of BUILTIN_VOLATILITY) {
          const actual = onServer.get(name);
          if (actual === undefined) missing.push(name);
          else if (actual !== listed) disagree.push(`${name}: listed ${listed}, pg_proc ${actual}`);
        }
        expect(disagree).toEqual([]);
        // Absent only when newer than this server, from an extension it lacks, or SQL syntax.
        const explained = (name: string) => {
          const extension = FROM_EXTENSION[name];
          return (
            name === SQL_VALUE_FUNCTION ||
            (SINCE[name] ?? 0) > major ||
            (extension !== undefined && !installed.has(extension))
          );
        };
        const unexplained = missing.filter((name) => !explained(name));
        expect(unexplained).toEqual([]);
        expect(onServer.has(SQL_VALUE_FUNCTION), 'CURRENT_TIMESTAMP is syntax, not a pg_proc name').toBe(
          false,
        );
      } finally {
        await client.query(`DROP SCHEMA ${schema} CASCADE`);
      }
    });

    it('SQL syntax that looks like a call reaches the list under a pg_proc name', () => {
      const functionsOf = (sql: string) => {
        const statement = parsePostgres(`SELECT ${sql}`, 'x.sql').statements[0]?.ast;
        return expr(statement).functions.map((f) => f.replace(/^pg_catalog\./, ''));
      };
      // All stable: https://www.postgresql.org/docs/current/functions-datetime.html#FUNCTIONS-DATETIME-CURRENT
      // and https://www.postgresql.org/docs/current/functions-info.html (session information).
      const keywords = ['CURRENT_TIMESTAMP', 'CURRENT_DATE', 'LOCALTIMESTAMP', 'CURRENT_TIME', 'LOCALTIME'];
      for (const keyword of [...keywords, 'CURRENT_USER', 'SESSION_USER'])
        expect(functionsOf(keyword), keyword).toEqual([SQL_VALUE_FUNCTION]);
      expect(BUILTIN_VOLATILITY.get(SQL_VALUE_FUNCTION)).toBe('stable');
      expect(functionsOf(`TRIM(' x ')`)).toEqual(['btrim']);
      expect(functionsOf(`TRIM(LEADING FROM ' x ')`)).toEqual(['ltrim']);
      expect(functionsOf('current_schema()')).toEqual(['current_schema']);
      for (const name of ['btrim', 'ltrim', 'current_schema'])
        expect(BUILTIN_VOLATILITY.has(name), name).toBe(true);
    });

    it.each(NOT_NULL_PROOFS)(
      'hasNotNullCheck: CHECK ($check) proves x IS NOT NULL: $proves',
      async (proof) => {
        const { client } = database();
        const schema = `fact_nn_${process.pid}`;
        await client.query(`CREATE SCHEMA ${schema}`);
        try {
          await client.query(`SET search_path = ${schema}`);
          await client.query(
            `CREATE TABLE nn (x int, y int, "Odd Name" int);
           INSERT INTO nn SELECT g, g, g FROM generate_series(1, 10) g;
           ALTER TABLE nn ADD CONSTRAINT nn_check CHECK (${proof.check})${proof.notValid ? ' NOT VALID' : ''};`,
          );
          const snapshot = await introspectPostgres(client, { schemas: [schema] });
          const state = new SchemaState(snapshot);
          const ctx = {
            major,
            table: (name: string) => state.table(name),
            tableOfIndex: () => undefined,
            isNew: () => false,
            volatility: () => undefined,
            timeZoneIsUtc: true,
            ...relationLookups(state, () => snapshot.views),
          };
          expect(hasNotNullCheck(ctx, `${schema}.nn`, proof.column ?? 'x')).toBe(proof.proves);
          if (major >= 12) {
            // The server's own answer: SET NOT NULL reads the table unless the CHECK proves it.
            const column = proof.column === undefined ? 'x' : `"${proof.column}"`;
            const trace = await traceStatement(client, `ALTER TABLE nn ALTER COLUMN ${column} SET NOT NULL`, {
              schemas: [schema],
            });
            const scanned = (trace.scans ?? []).some((s) => s.seqScans > 0);
            expect(scanned, 'server skipped the scan').toBe(!proof.proves);
          }
        } finally {
          await client.query('RESET search_path');
          await client.query(`DROP SCHEMA ${schema} CASCADE`);
        }
      },
    );
  });
}

interface NotNullProof {
  check: string;
  column?: string;
  notValid?: boolean;
  proves: boolean;
}

const NOT_NULL_PROOFS: NotNullProof[] = [
  { check: 'x IS NOT NULL', proves: true },
  { check: 'NOT (x IS NULL)', proves: true },
  { check: 'x IS NOT NULL AND y > 0', proves: true },
  { check: 'y > 0 AND x IS NOT NULL', proves: true },
  { check: '(y > 0 AND x IS NOT NULL) AND y < 100', proves: true },
  { check: 'x IS NOT NULL AND (y > 0 OR y < -5)', proves: true },
  { check: '"Odd Name" IS NOT NULL AND y > 0', column: 'Odd Name', proves: true },
  { check: 'x IS NOT NULL OR y IS NOT NULL', proves: false },
  { check: 'y > 0 AND (x IS NOT NULL OR y IS NULL)', proves: false },
  { check: 'x > 0', proves: false },
  { check: `x IS NOT NULL OR y::text = ' AND x IS NOT NULL'`, proves: false },
  { check: 'y IS NOT NULL', proves: false },
  { check: 'x IS NOT NULL', notValid: true, proves: false },
];

function worst(flags: string): Volatility {
  let out: Volatility = 'immutable';
  for (const flag of flags) {
    const v = PROVOLATILE[flag];
    if (v && RANK[v] > RANK[out]) out = v;
  }
  return out;
}
