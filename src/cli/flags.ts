/**
 * Whole-number flags, checked against the range that makes sense for them: a value PostgreSQL
 * would refuse (timeouts are int milliseconds, at most 2147483647) or that cannot mean what the
 * user meant is refused with one line naming the flag, before anything runs.
 */
import { InputError } from '../core/errors.js';

/** PostgreSQL's timeouts (lock_timeout, statement_timeout) are int4 milliseconds. */
export const MAX_PG_TIMEOUT_MS = 2_147_483_647;

export interface IntRange {
  min: number;
  max: number;
  /** What the number counts, for the message ("ms", "rows"). */
  unit?: string;
}

export function intFlag(flag: string, value: string | undefined, range: IntRange): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d{1,16}$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!(n >= range.min && n <= range.max)) {
    const unit = range.unit ? ` ${range.unit}` : '';
    throw new InputError(
      `${flag} must be a whole number from ${range.min} to ${range.max}${unit}; got "${value}"`,
    );
  }
  return n;
}

/** A lock_timeout above a non-zero statement_timeout can never fire: the statement is cancelled first. */
export function checkTimeoutOrder(
  lock: { flag: string; ms: number } | undefined,
  statement: { flag: string; ms: number } | undefined,
): void {
  if (!lock || !statement || statement.ms === 0) return;
  if (lock.ms > statement.ms) {
    throw new InputError(
      `${lock.flag} ${lock.ms} is above ${statement.flag} ${statement.ms}: the statement would be cancelled before the lock wait times out; lower ${lock.flag} or raise ${statement.flag}`,
    );
  }
}
