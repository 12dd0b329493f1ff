/**
 * Session and transaction control: SET (timeouts are modelled, the rest kept by name),
 * BEGIN / COMMIT / ROLLBACK / SAVEPOINT, and explicit LOCK TABLE.
 */
import type { LockStmt, RangeVar, TransactionStmt, VariableSetStmt } from '@pgsql/types';
import type { Change } from '../../../core/change.js';
import { LOCK_MODES } from '../../../core/locks.js';
import { as, deparse, intConst } from '../ast.js';
import type { LowerContext } from '../lower-table.js';
import { statementWords } from '../statement-names.js';
import { lowerer, relationName, type Lowerers } from './common.js';

export const SESSION_LOWERERS: Lowerers = {
  VariableSetStmt: lowerer<VariableSetStmt>(lowerSet),
  TransactionStmt: lowerer<TransactionStmt>(lowerTransaction),
  LockStmt: lowerer<LockStmt>(lowerLock),
};

const TIMEOUTS = ['lock_timeout', 'statement_timeout', 'idle_in_transaction_session_timeout'] as const;

function lowerSet(s: VariableSetStmt): Change {
  const name = (s.name ?? '').toLowerCase();
  const arg = s.args?.[0];
  const value =
    intConst(arg) !== undefined
      ? String(intConst(arg))
      : (as<{ sval?: { sval?: string } }>(arg, 'A_Const')?.sval?.sval ?? deparse(arg));
  const setting = TIMEOUTS.find((t) => t === name);
  if (setting && s.kind === 'VAR_SET_VALUE') {
    return { kind: 'set timeout', setting, ms: durationMs(value), local: s.is_local ?? false };
  }
  return { kind: 'set', name, value: s.kind === 'VAR_RESET' ? 'DEFAULT' : value, local: s.is_local ?? false };
}

/** `'5s'`, `'2min'`, `500` (ms) → milliseconds, as PostgreSQL reads timeouts. 0 means none. */
export function durationMs(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$/i.exec(value);
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  const factor =
    unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'min' ? 60_000 : unit === 'h' ? 3_600_000 : 86_400_000;
  return n * factor;
}

function lowerTransaction(s: TransactionStmt): Change {
  switch (s.kind) {
    case 'TRANS_STMT_BEGIN':
    case 'TRANS_STMT_START':
      return { kind: 'transaction', action: 'begin' };
    case 'TRANS_STMT_COMMIT':
    case 'TRANS_STMT_COMMIT_PREPARED':
      return { kind: 'transaction', action: 'commit' };
    case 'TRANS_STMT_ROLLBACK':
    case 'TRANS_STMT_ROLLBACK_PREPARED':
      return { kind: 'transaction', action: 'rollback' };
    case 'TRANS_STMT_SAVEPOINT':
      return { kind: 'transaction', action: 'savepoint' };
    case 'TRANS_STMT_RELEASE':
      return { kind: 'transaction', action: 'release' };
    case 'TRANS_STMT_ROLLBACK_TO':
      return { kind: 'transaction', action: 'rollback to' };
    default:
      return { kind: 'unknown', statementType: statementWords('TransactionStmt', { ...s }) };
  }
}

/** LockStmt.mode is PostgreSQL's LOCKMODE number: 1 = ACCESS SHARE … 8 = ACCESS EXCLUSIVE (lockdefs.h). */
function lowerLock(s: LockStmt, ctx: LowerContext): Change {
  const relations = (s.relations ?? []).map((r) => as<RangeVar>(r, 'RangeVar'));
  const rv = (r: RangeVar | undefined) => relationName(r, ctx);
  return {
    kind: 'lock table',
    tables: relations.map(rv),
    // The parser leaves out `inh` when it is false (`LOCK TABLE ONLY t`), as for CREATE INDEX.
    onlyTables: relations.filter((r) => r?.inh !== true).map(rv),
    mode: LOCK_MODES[(s.mode ?? 8) - 1] ?? 'ACCESS EXCLUSIVE',
    nowait: s.nowait ?? false,
  };
}
