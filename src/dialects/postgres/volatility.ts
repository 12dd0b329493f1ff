/**
 * Function volatility, which decides whether ADD COLUMN … DEFAULT rewrites the table on
 * PostgreSQL 11+: a non-volatile default is evaluated once and stored in the catalog; a
 * volatile one must be evaluated per row.
 * https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES
 * https://www.postgresql.org/docs/current/xfunc-volatility.html
 *
 * Built-ins people use in defaults are listed with their pg_proc.provolatile. Anything else is
 * asked of the live database when there is one, and is otherwise assumed volatile: assuming a
 * rewrite that does not happen costs a warning; the opposite costs an outage.
 */
import type { Expr } from '../../core/change.js';
import type { Volatility } from '../../core/facts.js';

/**
 * Built-in functions people call in defaults, with the volatility of their worst overload in
 * pg_proc.provolatile (test/facts checks each against every server major it exists on). Names
 * are pg_proc names: SQL syntax that looks like a call is lowered by the parser first (TRIM to
 * btrim/ltrim/rtrim, COALESCE to an expression of its own), and `current_timestamp` stands for
 * every SQLValueFunction (CURRENT_TIMESTAMP, CURRENT_DATE, LOCALTIME, CURRENT_USER, …), all
 * stable (see ast.ts `expr`).
 */
export const BUILTIN_VOLATILITY: ReadonlyMap<string, Volatility> = new Map(
  Object.entries({
    random: 'volatile',
    random_normal: 'volatile',
    gen_random_uuid: 'volatile',
    uuidv4: 'volatile',
    uuidv7: 'volatile',
    uuid_generate_v1: 'volatile',
    uuid_generate_v1mc: 'volatile',
    uuid_generate_v4: 'volatile',
    gen_random_bytes: 'volatile',
    clock_timestamp: 'volatile',
    timeofday: 'volatile',
    nextval: 'volatile',
    setval: 'volatile',
    currval: 'volatile',
    lastval: 'volatile',
    setseed: 'volatile',
    // Stable: one value per transaction, so a default calling them is evaluated once (11+).
    txid_current: 'stable',
    pg_current_xact_id: 'stable',
    now: 'stable',
    current_timestamp: 'stable',
    transaction_timestamp: 'stable',
    statement_timestamp: 'stable',
    current_user: 'stable',
    session_user: 'stable',
    current_schema: 'stable',
    current_setting: 'stable',
    to_char: 'stable',
    to_timestamp: 'stable',
    to_date: 'stable',
    concat: 'stable',
    date_trunc: 'stable',
    jsonb_build_object: 'stable',
    json_build_object: 'stable',
    jsonb_build_array: 'stable',
    length: 'stable',
    lower: 'immutable',
    upper: 'immutable',
    md5: 'immutable',
    abs: 'immutable',
    round: 'immutable',
    make_date: 'immutable',
    make_interval: 'immutable',
    array_fill: 'immutable',
    substring: 'immutable',
    replace: 'immutable',
    btrim: 'immutable',
    ltrim: 'immutable',
    rtrim: 'immutable',
  } satisfies Record<string, Volatility>),
);

/** The stand-in `expr` records for CURRENT_TIMESTAMP, CURRENT_DATE and the other SQLValueFunctions. */
export const SQL_VALUE_FUNCTION = 'current_timestamp';

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
    if (v === undefined) v = BUILTIN_VOLATILITY.get(bare);
    if (v === undefined) {
      v = 'volatile';
      assumed.push(fn);
    }
    if (v === 'volatile') worst = 'volatile';
    else if (v === 'stable' && worst === 'immutable') worst = 'stable';
  }
  return { volatility: worst, assumed };
}
