/**
 * Function volatility, which decides whether ADD COLUMN … DEFAULT rewrites the table on
 * PostgreSQL 11+: a non-volatile default is evaluated once and stored in the catalog; a
 * volatile one must be evaluated per row.
 * https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES
 * https://www.postgresql.org/docs/current/xfunc-volatility.html
 *
 * Built-ins people use in defaults, by pg_proc.provolatile (test/facts checks a sample of them
 * against the server). Anything else is asked of the live database when there is one, and is
 * otherwise assumed volatile: assuming a rewrite that does not happen costs a warning; the
 * opposite costs an outage.
 */
import type { Expr } from '../../core/change.js';
import type { Volatility } from '../../core/facts.js';

const VOLATILE = new Set([
  'random',
  'random_normal',
  'gen_random_uuid',
  'uuidv4',
  'uuidv7',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'gen_random_bytes',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'setval',
  'currval',
  'lastval',
  'txid_current',
  'pg_current_xact_id',
  'setseed',
]);

const NOT_VOLATILE = new Set([
  // stable
  'now',
  'current_timestamp',
  'transaction_timestamp',
  'statement_timestamp',
  'localtimestamp',
  'current_date',
  'current_time',
  'localtime',
  'current_user',
  'session_user',
  'current_schema',
  'current_setting',
  'to_char',
  'to_timestamp',
  'to_date',
  // immutable
  'lower',
  'upper',
  'coalesce',
  'concat',
  'length',
  'md5',
  'abs',
  'round',
  'make_date',
  'make_interval',
  'jsonb_build_object',
  'json_build_object',
  'jsonb_build_array',
  'array_fill',
  'date_trunc',
  'substring',
  'replace',
  'trim',
]);

/** Worst volatility of the functions an expression calls. */
export function expressionVolatility(
  expr: Expr,
  lookup: (fn: string) => Volatility | undefined,
): { volatility: Volatility; assumed: string[] } {
  let worst: Volatility = 'immutable';
  const assumed: string[] = [];
  for (const fn of expr.functions) {
    const bare = fn.startsWith('pg_catalog.') ? fn.slice('pg_catalog.'.length) : fn;
    let v = lookup(fn) ?? lookup(bare);
    if (v === undefined) {
      if (VOLATILE.has(bare)) v = 'volatile';
      else if (NOT_VOLATILE.has(bare)) v = 'stable';
      else {
        v = 'volatile';
        assumed.push(fn);
      }
    }
    if (v === 'volatile') worst = 'volatile';
    else if (v === 'stable' && worst === 'immutable') worst = 'stable';
  }
  return { volatility: worst, assumed };
}
