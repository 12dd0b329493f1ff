/**
 * One fact case on one server: set up a schema, snapshot it, ask facts.ts what the statement
 * does, run the statement on the server with a trace, and compare.
 */
import pg from 'pg';
import { expect } from 'vitest';
import type { Change } from '../../../src/core/change.js';
import type { FactContext, Volatility } from '../../../src/core/facts.js';
import { changeFacts } from '../../../src/dialects/postgres/facts.js';
import { introspectPostgres } from '../../../src/dialects/postgres/introspect.js';
import { functionVolatility } from '../../../src/dialects/postgres/live.js';
import { lowerStatement } from '../../../src/dialects/postgres/lower.js';
import { parsePostgres } from '../../../src/dialects/postgres/parser.js';
import { relationLookups } from '../../../src/schema/relations.js';
import { SchemaState } from '../../../src/schema/state.js';
import {
  traceStatement,
  TraceError,
  type StatementTrace,
} from '../../../src/dialects/postgres/validate/trace.js';
import { edgeRowRejected } from './edge-row.js';
import type { FactCase } from './fact-case.js';
import { measuredVerdict, predictedVerdict } from './verdict.js';
import { isFixedUtcZone } from '../../../src/dialects/postgres/time-zone.js';

export interface CaseDatabase {
  major: number;
  /** URL of the database the cases run in. */
  url: string;
  client: pg.Client;
  /** An in-place tablespace for SET TABLESPACE cases; replaces `$TABLESPACE` in their SQL. */
  tablespace: string;
}

/** Zero offset and no daylight saving: what PostgreSQL 12+ needs to skip timestamp rewrites. */

const TRACE_TIMEOUT_MS = 10_000;

let caseCounter = 0;

export function appliesTo(c: FactCase, major: number): boolean {
  return major >= (c.minMajor ?? 0) && major <= (c.maxMajor ?? Number.POSITIVE_INFINITY);
}

export async function checkCase(db: CaseDatabase, fact: FactCase): Promise<void> {
  const c = { ...fact, sql: fact.sql.replace('$TABLESPACE', db.tablespace) };
  const schema = `fact_${process.pid}_${++caseCounter}`;
  const { client } = db;
  const timeZone = c.timeZone ?? 'UTC';
  // Identifiers built here from a counter and a constant list; nothing from outside.
  await client.query(`CREATE SCHEMA ${schema}`);
  try {
    await client.query(`SET search_path = ${schema}, public`);
    await client.query(`SET TimeZone = '${timeZone}'`);
    await client.query(typeof c.setup === 'string' ? c.setup : c.setup(db.major));
    const snapshot = await introspectPostgres(client, { schemas: [schema] });

    const changes = lower(c.sql, schema);
    const functions = changes.flatMap(functionsCalled);
    const catalog = await functionVolatility(client, functions);
    const context = (volatility: (fn: string) => Volatility | undefined): FactContext => {
      const state = new SchemaState(snapshot);
      return {
        major: db.major,
        table: (name) => state.table(name),
        tableOfIndex: (index) => state.tableOfIndex(index),
        isNew: (name) => state.isNew(name),
        volatility,
        timeZoneIsUtc: isFixedUtcZone(timeZone),
        ...relationLookups(state, () => snapshot.views),
      };
    };
    // As `analyze` without a database (built-in volatility lists) and with one (pg_proc).
    const offline = predictedVerdict(
      changes.map((ch) =>
        changeFacts(
          ch,
          context(() => undefined),
        ),
      ),
    );
    const online = predictedVerdict(
      changes.map((ch) =>
        changeFacts(
          ch,
          context((fn) => catalog.get(fn)),
        ),
      ),
    );

    // A constraint checked against existing rows is read in a scan or during the rewrite.
    for (const ch of changes) {
      const f = changeFacts(
        ch,
        context(() => undefined),
      );
      if (f.validates.length > 0)
        expect(f.scansTable || f.rewritesTable, `validates ${f.validates.join(', ')} without reading`).toBe(
          true,
        );
    }
    const trace = await traceOnServer(db, schema, c);
    const measured = measuredVerdict(trace, snapshot, offline.locks);
    const comparable = (v: typeof offline) =>
      measured.scansTable === undefined ? { ...v, scansTable: undefined } : v;
    expect(comparable(offline), `facts (offline) vs server for: ${c.sql}`).toEqual(measured);
    expect(comparable(online), `facts (with pg_proc) vs server for: ${c.sql}`).toEqual(measured);
    if (c.blockers) expect(trace.waits, 'the statement waited once per blocker').toBe(c.blockers.length);
    if (c.edge) {
      const predicted = changes.some(
        (ch) =>
          changeFacts(
            ch,
            context(() => undefined),
          ).rejectsExistingValues,
      );
      const rejected = await edgeRowRejected(client, c.sql, c.edge);
      expect(predicted, `rejectsExistingValues vs the edge row for: ${c.sql}`).toBe(rejected);
    }
    if (c.server) {
      // Cases name relations without the schema, which differs on every run.
      const locks = Object.fromEntries(
        Object.entries(measured.locks).map(([name, mode]) => [name.slice(schema.length + 1), mode]),
      );
      expect({ ...measured, locks }, 'the case exercises what it claims').toMatchObject(c.server(db.major));
    }
  } finally {
    await client.query('RESET search_path; RESET TimeZone');
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
  }
}

function lower(sql: string, schema: string): Change[] {
  const parsed = parsePostgres(sql, 'case.sql');
  expect(parsed.statements, 'one statement per case').toHaveLength(1);
  const changes = lowerStatement(parsed.statements[0]?.ast, { defaultSchema: schema });
  const unknown = changes.filter((ch) => ch.kind === 'unknown');
  expect(unknown, 'every statement of a fact case is modelled').toEqual([]);
  return changes;
}

function functionsCalled(change: Change): string[] {
  if (change.kind === 'add column') return change.column.default?.functions ?? [];
  return [];
}

/**
 * In a transaction block when the server accepts it; otherwise on its own with the case's
 * blockers. The error that says "cannot run inside a transaction block" is how we know.
 */
async function traceOnServer(db: CaseDatabase, schema: string, c: FactCase): Promise<StatementTrace> {
  try {
    return await traceStatement(db.client, c.sql, { schemas: [schema], timeoutMs: TRACE_TIMEOUT_MS });
  } catch (error) {
    if (!(error instanceof TraceError) || error.code !== '25001') throw error;
  }
  const connect = async () => {
    const other = new pg.Client({ connectionString: db.url });
    other.on('error', () => undefined);
    await other.connect();
    await other.query(`SET search_path = ${schema}, public`);
    return other;
  };
  return traceStatement(db.client, c.sql, {
    mode: 'blocked',
    connect,
    blockers: c.blockers ?? [],
    schemas: [schema],
    timeoutMs: TRACE_TIMEOUT_MS,
  });
}
