/**
 * The queries of every service, deduplicated for the server (one PREPARE per distinct SQL,
 * however many services run it), and the ImpactResult built back per occurrence.
 */
import type {
  ExtractedQuery,
  ImpactedQuery,
  ImpactResult,
  QueryError,
  ServiceExtraction,
} from '../core/impact.js';
import type { QueryShape } from '../core/dialect/query-shape.js';
import type { MayBreak } from './may-break.js';
import type { QueryNames } from './touched.js';

export interface DistinctQuery {
  sql: string;
  parameters: number;
  /** The server's error before the migration: already broken. */
  before?: QueryError;
  /** Why the server cannot compile it without running it. */
  notCheckable?: string;
  broken?: { breaksAt: string; error: QueryError };
  mayBreak?: MayBreak;
  /** Its statements' shapes (null: the dialect's parser refused it), read once after `before`. */
  shapes?: QueryShape[] | null;
  /** The relations it names, for which steps it is prepared again after; null: unknown. */
  names?: QueryNames | null;
  occurrences: { service: number; query: ExtractedQuery }[];
}

/** Whitespace outside the SQL's meaning collapsed: the same query written on more lines is one. */
export function normalisedSql(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().replace(/;$/, '').trim();
}

export function distinctQueries(services: readonly ServiceExtraction[]): DistinctQuery[] {
  const byKey = new Map<string, DistinctQuery>();
  services.forEach((service, index) => {
    for (const query of service.queries) {
      const sql = normalisedSql(query.sql);
      const key = `${query.parameters}\u0000${sql}`;
      let distinct = byKey.get(key);
      if (!distinct) {
        distinct = { sql, parameters: query.parameters, occurrences: [] };
        byKey.set(key, distinct);
      }
      distinct.occurrences.push({ service: index, query });
    }
  });
  return [...byKey.values()];
}

export function impactResult(
  services: readonly ServiceExtraction[],
  queries: readonly DistinctQuery[],
  warnings: readonly string[],
): ImpactResult {
  const result: ImpactResult = { affected_services: [], services: [] };
  services.forEach((service, index) => {
    const mine = queries.flatMap((q) =>
      q.occurrences.filter((o) => o.service === index).map((o) => ({ distinct: q, query: o.query })),
    );
    const byPlace = (a: { query: ExtractedQuery }, b: { query: ExtractedQuery }) =>
      a.query.file < b.query.file
        ? -1
        : a.query.file > b.query.file
          ? 1
          : a.query.line - b.query.line || a.query.column - b.query.column;
    mine.sort(byPlace);
    const impacted = mine.flatMap(({ distinct, query }) => {
      const entry = impactedQuery(distinct, query);
      return entry ? [entry] : [];
    });
    if (impacted.length > 0) result.affected_services.push({ service: service.service, queries: impacted });
    result.services.push({
      service: service.service,
      languages: service.languages,
      filesScanned: service.filesScanned,
      queriesFound: service.queries.length,
      queriesChecked: mine.filter(({ distinct }) => !distinct.before && !distinct.notCheckable).length,
      unresolved: service.unresolved.map((u) => ({ file: u.file, line: u.line })),
      alreadyBroken: mine.flatMap(({ distinct, query }) =>
        distinct.before
          ? [{ file: query.file, line: query.line, sql: query.sql, error: distinct.before }]
          : [],
      ),
      notCheckable: mine.flatMap(({ distinct, query }) =>
        distinct.notCheckable ? [{ file: query.file, line: query.line, reason: distinct.notCheckable }] : [],
      ),
    });
  });
  if (warnings.length > 0) result.warnings = [...warnings];
  return result;
}

function impactedQuery(distinct: DistinctQuery, query: ExtractedQuery): ImpactedQuery | null {
  const place = { file: query.file, line: query.line, column: query.column, sql: query.sql };
  if (distinct.broken)
    return { ...place, status: 'broken', breaksAt: distinct.broken.breaksAt, error: distinct.broken.error };
  if (distinct.mayBreak)
    return {
      ...place,
      status: 'may break',
      breaksAt: distinct.mayBreak.breaksAt,
      reason: distinct.mayBreak.reason,
    };
  return null;
}
