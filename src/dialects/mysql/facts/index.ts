/**
 * MySQL/MariaDB facts per Change: the online DDL algorithm that really runs, whether the table
 * is rebuilt, what concurrent traffic waits, and the metadata lock held while it works
 * (core/analysis.ts OnlineDdl). Measured on MariaDB 10.11 by test/dialects/mysql/facts (each
 * statement traced on a table with rows while another session writes); MySQL 8.0/8.4 answers
 * come from the reference manual's online DDL tables and say so (`documented-only`).
 * docs/decisions/0021-mysql-facts.md; the table of measured cases is docs/mysql/facts.md.
 *
 * Each Change is first answered for InnoDB (columns.ts, types.ts, defaults.ts, keys.ts,
 * constraints.ts, tables.ts), then for the table's engine, the other clauses of its ALTER and
 * its ALGORITHM=/LOCK= (options.ts), then turned into ChangeFacts (result.ts).
 */
import { NO_FACTS, type ChangeFacts } from '../../../core/analysis.js';
import { changeTable, type Change, type DdlOptions } from '../../../core/change.js';
import type { DialectFacts, FactContext } from '../../../core/facts.js';
import { otherEngine } from './catalog.js';
import { addColumn, alterType, dropColumn, nullability, renameColumn } from './columns.js';
import { defaultChange, generated, identity } from './defaults.js';
import { addConstraint, dropConstraint, dropIndexStatement } from './constraints.js';
import { createIndex, renameIndex } from './keys.js';
import { algorithmRank, heldMode, instant, lockRank, type Operation } from './operation.js';
import { inStatement, onEngine, onlineCopy, siblings, withOptions } from './options.js';
import { toFacts } from './result.js';
import { serverOf, type Server } from './server.js';
import { alterOther, dropTable, renameTable, truncate } from './tables.js';

export const mysqlFacts: DialectFacts = { changeFacts };

export function changeFacts(change: Change, ctx: FactContext): ChangeFacts {
  if (change.kind === 'dml') return NO_FACTS;
  if (['select', 'set', 'set timeout', 'transaction'].includes(change.kind)) return NO_FACTS;
  const server = serverOf(ctx.major);
  const op = operation(change, ctx, server);
  if (op === null) return { ...NO_FACTS, transactional: false };
  // One ALTER is one operation: every clause holds the lock of the heaviest while it works.
  const others = siblings(change, ctx.statementChanges).flatMap((c) => {
    const o = operation(c, ctx, server);
    return o ? [o] : [];
  });
  const first = !ctx.statementChanges || ctx.statementChanges[0] === change;
  return toFacts(op, tablesOf(change), heldMode(heaviest([op, ...others]) ?? op), first);
}

/** What one clause does, all things considered; null: a statement with no table work. */
export function operation(change: Change, ctx: FactContext, server: Server): Operation | null {
  const own = baseOperation(change, ctx, server, true);
  if (own === null) return null;
  const others = siblings(change, ctx.statementChanges).flatMap((c) => {
    const o = baseOperation(c, ctx, server, false);
    return o ? [o] : [];
  });
  return withOptions(inStatement(own, others), optionsOf(change), server);
}

/**
 * The analysis loop asks for each clause of a statement in turn and applies it to the schema
 * before the next, so a clause asked about later would see its siblings already applied (a
 * MODIFY's type change would look like a no-op). Each clause's operation is therefore kept from
 * when it was asked, per statement context (the loop makes one per statement). A clause not
 * asked about yet is answered against the schema as it is now, and not kept.
 */
const asked = new WeakMap<FactContext, Map<Change, Operation | null>>();

function baseOperation(change: Change, ctx: FactContext, server: Server, keep: boolean): Operation | null {
  let memo = asked.get(ctx);
  if (!memo) asked.set(ctx, (memo = new Map()));
  if (memo.has(change)) return memo.get(change) ?? null;
  const own = innodbOperation(change, ctx, server);
  const table = changeTable(change);
  const engine = table ? otherEngine(ctx.table(table)) : null;
  const op = own && (engine === null ? onlineCopy(own, server) : onEngine(own, engine, server));
  // Only a statement's own context (statementChanges set) is made for one statement.
  if (keep && ctx.statementChanges) memo.set(change, op);
  return op;
}

/** The operation that decides how the statement runs: the costliest algorithm, then lock. */
function heaviest(ops: readonly Operation[]): Operation | undefined {
  let best: Operation | undefined;
  for (const o of ops) {
    if (o.noop || o.fails) continue;
    if (
      !best ||
      algorithmRank(o.algorithm) > algorithmRank(best.algorithm) ||
      (o.algorithm === best.algorithm && lockRank(o.lock) > lockRank(best.lock))
    )
      best = o;
  }
  return best;
}

function innodbOperation(change: Change, ctx: FactContext, server: Server): Operation | null {
  switch (change.kind) {
    case 'add column':
      return addColumn(change, ctx, server);
    case 'drop column':
      return dropColumn(change, ctx, server);
    case 'rename column':
      return renameColumn(change, server);
    case 'alter column type':
      return alterType(change, ctx, server);
    case 'set not null':
    case 'drop not null':
      return nullability(change, ctx, server);
    case 'set default':
    case 'drop default':
      return defaultChange(change, ctx, server);
    case 'add identity':
      return identity(change, ctx, server);
    case 'set generated expression':
      return generated(change, ctx, server);
    case 'create index':
      // An index written inside CREATE TABLE is built with the (empty) table.
      if (ctx.statementChanges?.some((c) => c.kind === 'create table' && c.table === change.index.table))
        return null;
      return createIndex(change, ctx, server);
    case 'drop index':
      return dropIndexStatement(change, ctx, server);
    case 'rename index':
      return renameIndex(server);
    case 'add constraint':
      return addConstraint(change, ctx, server);
    case 'drop constraint':
      return dropConstraint(change, ctx, server);
    case 'alter table other':
      return alterOther(change, ctx, server);
    case 'rename table':
      return renameTable(change, server);
    case 'truncate':
      return truncate(server);
    case 'drop table':
      return dropTable(server);
    case 'create trigger':
    case 'drop trigger':
      return { ...instant(server.evidence, ['changes the table definition: brief']), notOnline: true };
    default:
      return null;
  }
}

/** The tables a Change holds its metadata lock on. */
function tablesOf(change: Change): string[] {
  if (change.kind === 'drop table' || change.kind === 'truncate') return change.tables;
  if (change.kind === 'drop index' && change.table) return [change.table];
  if (change.kind === 'rename index' && change.table) return [change.table];
  const table = changeTable(change);
  return table ? [table] : [];
}

function optionsOf(change: Change): DdlOptions {
  const out: DdlOptions = {};
  if ('algorithm' in change && change.algorithm) out.algorithm = change.algorithm;
  if ('lock' in change && typeof change.lock === 'string') out.lock = change.lock;
  return out;
}
