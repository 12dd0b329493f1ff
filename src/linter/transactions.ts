/**
 * Where a statement stands in its transaction as the loop walks a file: who opened it, the locks
 * held so far, NOT VALID constraints and DDL earlier in it; and the session's timeouts.
 */
import type { ChangeFacts, LockFact } from '../core/analysis.js';
import type { Change } from '../core/change.js';
import { lockStrength, POSTGRES_LOCKS, type LockModel } from '../core/locks.js';
import type { SessionSettings, TransactionContext } from '../core/rule.js';

export function mergeLock(locks: LockFact[], l: LockFact, model: LockModel = POSTGRES_LOCKS): void {
  const existing = locks.find((x) => x.table === l.table);
  if (!existing) locks.push({ ...l });
  else if (lockStrength(l.mode, model) > lockStrength(existing.mode, model)) existing.mode = l.mode;
}

export function applySession(session: SessionSettings, change: Change): void {
  if (change.kind === 'set timeout') {
    if (change.setting === 'lock_timeout') session.lockTimeoutMs = change.ms;
    if (change.setting === 'statement_timeout') session.statementTimeoutMs = change.ms;
  }
  if (change.kind === 'set' && !change.name.startsWith('global.'))
    session.variables = { ...session.variables, [change.name.toLowerCase()]: change.value };
  if (change.kind === 'set' && change.value === 'DEFAULT') {
    // PostgreSQL's names, and MySQL's/MariaDB's (lock_wait_timeout, max_statement_time).
    const name = change.name.toLowerCase();
    if (name === 'lock_timeout' || name === 'lock_wait_timeout') session.lockTimeoutMs = null;
    if (name === 'statement_timeout' || name === 'max_statement_time') session.statementTimeoutMs = null;
  }
}

/** Tracks BEGIN/COMMIT, the runner's transaction, and what is held inside the current one. */
export class TransactionTracker {
  active = false;
  id = 0;
  private startedBy: TransactionContext['startedBy'] = null;
  private held: LockFact[] = [];
  private notValid = new Set<string>();
  /** What context() hands out of `held` and `notValid`, until either changes. */
  private copies: { held: LockFact[]; notValid: Set<string> } | null = null;
  private ddl = false;

  constructor(
    private readonly model: LockModel = POSTGRES_LOCKS,
    /** MySQL: every DDL statement commits the open transaction first (no transactional DDL). */
    private readonly ddlCommits = false,
  ) {}

  /** A DDL statement about to run: on a server without transactional DDL it ends the transaction. */
  beforeStatement(changes: readonly Change[]): void {
    if (this.ddlCommits && changes.some(isDdl)) this.active = false;
  }

  begin(by: 'runner' | 'implicit' | 'begin', id: number): void {
    this.active = true;
    this.startedBy = by;
    this.id = id;
    this.held = [];
    this.notValid = new Set();
    this.copies = null;
    this.ddl = false;
  }

  /** An explicit BEGIN: starts a transaction unless one is open (then it only warns in PostgreSQL). */
  explicitBegin(id: number): void {
    if (!this.active) this.begin('begin', id);
  }

  context(alreadyOpen: boolean): TransactionContext {
    // Copies (mergeLock raises a held lock in place), shared by the contexts made until the
    // next change to them: outside a transaction nothing changes them for many statements.
    this.copies ??= { held: this.held.map((l) => ({ ...l })), notValid: new Set(this.notValid) };
    return {
      alreadyOpen,
      inTransaction: this.active,
      startedBy: this.active ? this.startedBy : null,
      heldLocks: this.copies.held,
      notValidThisTransaction: this.copies.notValid,
      ddlThisTransaction: this.ddl,
    };
  }

  afterChange(change: Change, facts: ChangeFacts): void {
    if (change.kind === 'transaction') {
      if (change.action === 'commit' || change.action === 'rollback') this.active = false;
      return;
    }
    if (!this.active) return;
    this.copies = null;
    for (const l of facts.locks) mergeLock(this.held, l, this.model);
    if (isDdl(change)) this.ddl = true;
    if (change.kind === 'add constraint' && 'notValid' in change.constraint && change.constraint.notValid) {
      this.notValid.add(`${change.table}.${change.constraint.name ?? ''}`);
    }
  }
}

function isDdl(change: Change): boolean {
  return (
    change.kind !== 'dml' &&
    change.kind !== 'set' &&
    change.kind !== 'set timeout' &&
    change.kind !== 'select' &&
    change.kind !== 'transaction'
  );
}
