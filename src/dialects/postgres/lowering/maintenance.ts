/**
 * Maintenance commands that rebuild or rewrite what exists: REINDEX, VACUUM / ANALYZE, CLUSTER,
 * REFRESH MATERIALIZED VIEW.
 */
import type {
  ClusterStmt,
  DefElem,
  RefreshMatViewStmt,
  ReindexStmt,
  VacuumRelation,
  VacuumStmt,
} from '@pgsql/types';
import { as } from '../ast.js';
import { lowerer, relationName, type Lowerers } from './common.js';

export const MAINTENANCE_LOWERERS: Lowerers = {
  ReindexStmt: lowerer<ReindexStmt>((s, ctx) => {
    const concurrently = (s.params ?? []).some((p) => as<DefElem>(p, 'DefElem')?.defname === 'concurrently');
    const target = (s.kind ?? 'REINDEX_OBJECT_TABLE').replace('REINDEX_OBJECT_', '').toLowerCase() as
      'index' | 'table' | 'schema' | 'database' | 'system';
    return {
      kind: 'reindex',
      target,
      name: s.relation ? relationName(s.relation, ctx) : (s.name ?? ''),
      concurrently,
    };
  }),
  VacuumStmt: lowerer<VacuumStmt>((s, ctx) => {
    const options = (s.options ?? []).map((o) => as<DefElem>(o, 'DefElem')?.defname ?? '');
    const tables = (s.rels ?? []).map((r) =>
      relationName(as<VacuumRelation>(r, 'VacuumRelation')?.relation, ctx),
    );
    if (!s.is_vacuumcmd) return { kind: 'vacuum', command: 'analyze', tables, full: false, analyze: true };
    return {
      kind: 'vacuum',
      command: 'vacuum',
      tables,
      full: options.includes('full'),
      analyze: options.includes('analyze'),
    };
  }),
  ClusterStmt: lowerer<ClusterStmt>((s, ctx) => ({
    kind: 'cluster',
    table: s.relation ? relationName(s.relation, ctx) : null,
    index: s.indexname ?? null,
  })),
  RefreshMatViewStmt: lowerer<RefreshMatViewStmt>((s, ctx) => ({
    kind: 'refresh materialized view',
    view: relationName(s.relation, ctx),
    concurrently: s.concurrent ?? false,
  })),
};
