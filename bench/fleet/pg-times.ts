/**
 * A diagnostic for `bench fleet`, loaded into one extra CLI run with `node --import`: times every
 * query the run sends through `pg` (and every connect), by kind, and writes the totals to the
 * JSON file named by BENCH_FLEET_PG_TIMES on exit. The CLI's process is idle most of the time
 * (its CPU profile says so); this says what it waits for. Not part of the timed runs.
 */
import { writeFileSync } from 'node:fs';
import pg from 'pg';

export interface QueryTimes {
  /** By kind: `CREATE DATABASE`, `(connect)`, `SELECT <first words>` … */
  kinds: { kind: string; calls: number; ms: number }[];
}

const totals = new Map<string, { calls: number; ms: number }>();

const KINDS =
  /^(CREATE DATABASE|DROP DATABASE|COMMENT ON DATABASE|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|PREPARE|DEALLOCATE|RESET|SET|SELECT|WITH|CREATE|ALTER|DROP|UPDATE|INSERT|DELETE|DO)\b/i;

function kindOf(text: string): string {
  const sql = text.trim().replace(/\s+/g, ' ');
  const word = KINDS.exec(sql)?.[1]?.toUpperCase();
  if (!word) return 'other';
  // Catalog reads differ by their first columns; migrations' own DDL is lumped together.
  return word === 'SELECT' || word === 'WITH'
    ? `${word} ${sql.slice(word.length + 1, word.length + 41)}…`
    : word;
}

function record(kind: string, started: bigint): void {
  const t = totals.get(kind) ?? { calls: 0, ms: 0 };
  t.calls++;
  t.ms += Number(process.hrtime.bigint() - started) / 1e6;
  totals.set(kind, t);
}

/** `fn` timed whenever it returns a promise (pg's callback forms are not used by schemapilot). */
function timed<A extends unknown[], R>(fn: (...args: A) => R, kind: (...args: A) => string) {
  return function (this: unknown, ...args: A): R {
    const started = process.hrtime.bigint();
    const result = fn.apply(this, args);
    if (result instanceof Promise)
      result.then(
        () => record(kind(...args), started),
        () => record(kind(...args), started),
      );
    return result;
  };
}

const proto = pg.Client.prototype;
// pg's overloads do not survive the wrapper's generic signature; the call is passed through unchanged.
proto.query = timed(proto.query as (...args: unknown[]) => unknown, (config: unknown) =>
  kindOf(typeof config === 'string' ? config : ((config as { text?: string } | null)?.text ?? '')),
) as typeof proto.query;
proto.connect = timed(
  proto.connect as (...args: unknown[]) => unknown,
  () => '(connect)',
) as typeof proto.connect;

process.on('exit', () => {
  const out = process.env['BENCH_FLEET_PG_TIMES'];
  if (!out) return;
  const kinds = [...totals].map(([kind, t]) => ({ kind, ...t })).sort((a, b) => b.ms - a.ms);
  writeFileSync(out, JSON.stringify({ kinds } satisfies QueryTimes));
});
