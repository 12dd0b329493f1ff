/**
 * How MySQL/MariaDB runs an ALTER: the facts' measured `online` when the dialect provides it,
 * else what the vendors' online-DDL tables say for the Change (`documented`). Rules use it to
 * pick the ALGORITHM/LOCK clause to ask for and to tell which statements only a table copy can
 * do. Fact keys: MariaDB's are >= 100000 (10.11.6 → 101106), MySQL's below (8.0.29 → 80029).
 * https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-instant-alter-algorithm/
 * https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html
 */
import type { OnlineAlgorithm } from '../../core/analysis.js';
import type { Change } from '../../core/change.js';
import type { RuleContext } from '../../core/rule.js';
import { isTextual, parseMysqlType, sameLengthBytes, sameType, writtenType } from './types.js';

export interface ExpectedOnline {
  algorithm: OnlineAlgorithm;
  /** Concurrent writes wait for the whole statement (COPY, or LOCK=SHARED is the least it can take). */
  blocksWrites: boolean;
  source: 'facts' | 'documented';
}

export const isMariadbKey = (major: number): boolean => major >= 100000;

/**
 * What each Change was found to do, worked out at its own turn: the schema a rule reads moves on
 * with every Change (after MODIFY's type Change it already has the new type), so a rule about the
 * whole statement reads its earlier Changes from here. Keyed by the Change objects of one
 * analysis; nothing outlives them.
 */
const seen = new WeakMap<Change, ExpectedOnline | null>();

/**
 * For a Change of the statement at `index`: its facts when worked out, else the documented
 * behaviour against the schema as it stood when the Change's turn came.
 */
export function expectedOnline(ctx: RuleContext, change: Change, index: number): ExpectedOnline | null {
  const online = ctx.statementFacts[index]?.online;
  // A write block the written LOCK= asked for is not the change's own: without it writes go on.
  if (online)
    return {
      algorithm: online.algorithm,
      blocksWrites: online.blocksWrites && online.lockRaisedByClause !== true,
      source: 'facts',
    };
  if (seen.has(change)) return seen.get(change) ?? null;
  // Only the current Change can be judged against the schema now; an earlier one unseen is unknown.
  if (change !== ctx.change) return null;
  const algorithm = documentedAlgorithm(change, ctx);
  const out: ExpectedOnline | null = algorithm
    ? { algorithm: algorithm[0], blocksWrites: algorithm[1] || algorithm[0] === 'COPY', source: 'documented' }
    : null;
  seen.set(change, out);
  return out;
}

/** Called by a statement-level rule at every Change, so that the statement's last one can read them all. */
export function noteOnline(ctx: RuleContext): void {
  expectedOnline(ctx, ctx.change, ctx.statementChanges.indexOf(ctx.change));
}

/** The heaviest of the statement's Changes; null when any of them is not known. */
export function statementOnline(ctx: RuleContext): ExpectedOnline | null {
  const ORDER: readonly OnlineAlgorithm[] = ['INSTANT', 'NOCOPY', 'INPLACE', 'COPY'];
  let out: ExpectedOnline | null = null;
  for (const [i, change] of ctx.statementChanges.entries()) {
    const e = expectedOnline(ctx, change, i);
    if (!e) return null;
    if (!out) out = e;
    else
      out = {
        algorithm: ORDER.indexOf(e.algorithm) > ORDER.indexOf(out.algorithm) ? e.algorithm : out.algorithm,
        blocksWrites: out.blocksWrites || e.blocksWrites,
        source: out.source === 'facts' && e.source === 'facts' ? 'facts' : 'documented',
      };
  }
  return out;
}

/** Whether the rule runs at the statement's last Change, where every fact of it is known. */
export function atStatementEnd(ctx: RuleContext): boolean {
  return ctx.statementChanges[ctx.statementChanges.length - 1] === ctx.change;
}

type Documented = [OnlineAlgorithm, boolean] | null;
const INSTANT: Documented = ['INSTANT', false];
const INPLACE: Documented = ['INPLACE', false];
const COPY: Documented = ['COPY', true];
const SHARED: Documented = ['INPLACE', true];

function documentedAlgorithm(change: Change, ctx: RuleContext): Documented {
  const maria = isMariadbKey(ctx.major);
  const v = ctx.major;
  const tableName = 'table' in change && typeof change.table === 'string' ? change.table : null;
  const table = tableName ? ctx.table(tableName) : undefined;
  // Only InnoDB alters online; MyISAM and the others copy under a table lock.
  if (table?.engine && table.engine.toLowerCase() !== 'innodb') return COPY;
  const fulltext = table?.indexes.some((i) => i.method === 'fulltext') ?? false;
  switch (change.kind) {
    case 'add column': {
      const c = change.column;
      if (c.generated?.stored || (c.default && !c.default.constant)) return COPY;
      if (c.identity) return SHARED;
      // A table with a FULLTEXT index is rebuilt, and only with writes blocked.
      if (fulltext) return SHARED;
      if (table?.rowFormat?.toLowerCase() === 'compressed') return INPLACE;
      const last = change.position === undefined;
      if (maria) return v >= 100400 || (v >= 100302 && last) ? INSTANT : INPLACE;
      return v >= 80029 || (v >= 80012 && last) ? INSTANT : INPLACE;
    }
    case 'drop column':
      if (fulltext) return SHARED;
      return (maria ? v >= 100400 : v >= 80029) ? INSTANT : INPLACE;
    case 'rename column':
      return (maria ? v >= 100300 : v >= 80028) ? INSTANT : INPLACE;
    case 'set default':
    case 'drop default':
    case 'rename index':
      return maria ? INSTANT : INPLACE;
    case 'set not null':
    case 'drop not null':
      return INPLACE;
    case 'alter column type':
      return typeChange(change, ctx);
    case 'add identity':
      return COPY;
    case 'set generated expression':
      return COPY;
    case 'add constraint': {
      const c = change.constraint;
      if (c.type === 'foreign key') return foreignKeyChecksOff(ctx) ? INPLACE : COPY;
      if (c.type === 'check') return maria ? COPY : null;
      return INPLACE;
    }
    case 'drop constraint':
      if (change.name === 'PRIMARY')
        return ctx.statementChanges.some(
          (c) => c.kind === 'add constraint' && c.constraint.type === 'primary key',
        )
          ? INPLACE
          : COPY;
      return maria ? INSTANT : INPLACE;
    case 'create index':
      return change.index.method === 'fulltext' || change.index.method === 'spatial' ? SHARED : INPLACE;
    case 'drop index':
      return INPLACE;
    case 'alter table other':
      return tableOption(change.subtype, ctx, tableName);
    default:
      return null;
  }
}

export function foreignKeyChecksOff(ctx: RuleContext): boolean {
  const value = (ctx.session.variables['foreign_key_checks'] ?? '1').replace(/[`'"]/g, '').toLowerCase();
  return value === '0' || value === 'off' || value === 'false';
}

function typeChange(change: Extract<Change, { kind: 'alter column type' }>, ctx: RuleContext): Documented {
  const current = ctx.table(change.table)?.columns.find((c) => c.name === change.column);
  if (!current) return null;
  const from = parseMysqlType(current.type);
  const to = writtenType(change.type);
  const toCharset = to.charset ?? (isTextual(to) ? (ctx.table(change.table)?.charset ?? null) : null);
  const sameCharset = !isTextual(to) || toCharset === null || toCharset === (current.charset ?? toCharset);
  if (sameType(from, to)) {
    if (sameCharset) return INSTANT;
    // utf8mb3 → utf8mb4 is instant on MariaDB 10.4+; any other conversion copies.
    return isMariadbKey(ctx.major) &&
      ctx.major >= 100400 &&
      current.charset === 'utf8mb3' &&
      toCharset === 'utf8mb4'
      ? INSTANT
      : COPY;
  }
  if (!sameCharset) return COPY;
  // ENUM/SET: values appended at the end, within the same storage size, change only metadata.
  if (from.base === to.base && (from.base === 'enum' || from.base === 'set')) {
    const appended = from.values.every((v, i) => to.values[i] === v);
    const sameSize =
      from.base === 'enum'
        ? from.values.length <= 255 === to.values.length <= 255
        : Math.ceil(from.values.length / 8) === Math.ceil(to.values.length / 8);
    return appended && sameSize ? INSTANT : COPY;
  }
  // A longer VARCHAR keeps its length prefix below 256 bytes (or above): in place.
  if (from.base === 'varchar' && to.base === 'varchar' && (to.args[0] ?? 0) >= (from.args[0] ?? 0)) {
    const ok = sameLengthBytes(from.args[0] ?? 0, to.args[0] ?? 0, current.charset ?? toCharset);
    if (!ok) return COPY;
    return isMariadbKey(ctx.major) ? INSTANT : INPLACE;
  }
  return COPY;
}

function tableOption(subtype: string, ctx: RuleContext, tableName: string | null): Documented {
  const words = subtype.toUpperCase();
  const table = tableName ? ctx.table(tableName) : undefined;
  if (words.startsWith('ENGINE=')) {
    const engine = words.slice('ENGINE='.length);
    // The same engine again is a rebuild in place; another engine is a copy.
    return table?.engine && table.engine.toUpperCase() !== engine ? COPY : INPLACE;
  }
  if (
    words.startsWith('ROW_FORMAT=') ||
    words.startsWith('KEY_BLOCK_SIZE=') ||
    words === 'OPTIMIZE TABLE' ||
    words === 'FORCE'
  )
    return fulltextIn(table) ? SHARED : INPLACE;
  if (words.startsWith('CONVERT TO CHARACTER SET')) {
    const target = /CHARACTER SET (\w+)/.exec(words)?.[1]?.toLowerCase();
    const charset = table?.charset?.toLowerCase();
    if (!table || !target) return null;
    if (charset === target || (target === 'utf8' && charset === 'utf8mb3')) {
      // The same charset: only a collation change, which rebuilds indexes on text columns.
      return /COLLATE/.test(words) && !words.includes(`COLLATE ${table.collation?.toUpperCase() ?? ''}`)
        ? INPLACE
        : INSTANT;
    }
    return isMariadbKey(ctx.major) && ctx.major >= 100400 && charset === 'utf8mb3' && target === 'utf8mb4'
      ? INSTANT
      : COPY;
  }
  if (
    /^(DEFAULT CHARSET|CHARACTER SET|DEFAULT CHARACTER SET|CHARSET|COLLATE|DEFAULT COLLATE|COMMENT|AUTO_INCREMENT)=/.test(
      words,
    )
  )
    return maria(ctx) ? INSTANT : INPLACE;
  return null;
}

const maria = (ctx: RuleContext): boolean => isMariadbKey(ctx.major);
const fulltextIn = (table: ReturnType<RuleContext['table']>): boolean =>
  table?.indexes.some((i) => i.method === 'fulltext') ?? false;
