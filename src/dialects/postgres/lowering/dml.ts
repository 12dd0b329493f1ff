/**
 * Statements that read or write rows: INSERT, UPDATE, DELETE, MERGE, COPY, SELECT (and SELECT …
 * INTO, which creates a table), TRUNCATE.
 */
import type {
  CopyStmt,
  DeleteStmt,
  InsertStmt,
  MergeStmt,
  RangeVar,
  SelectStmt,
  TruncateStmt,
  UpdateStmt,
} from '@pgsql/types';
import { as, names } from '../ast.js';
import { targetColumns } from '../lower-table.js';
import { lowerer, relationName, type Lowerers } from './common.js';
import { lowerCreateTableAs } from './relations.js';

export const DML_LOWERERS: Lowerers = {
  InsertStmt: lowerer<InsertStmt>((s, ctx) => ({
    kind: 'dml',
    operation: 'insert',
    table: relationName(s.relation, ctx),
    hasWhere: false,
    columns: targetColumns(s.cols),
  })),
  UpdateStmt: lowerer<UpdateStmt>((s, ctx) => ({
    kind: 'dml',
    operation: 'update',
    table: relationName(s.relation, ctx),
    hasWhere: s.whereClause !== undefined,
    columns: targetColumns(s.targetList),
  })),
  DeleteStmt: lowerer<DeleteStmt>((s, ctx) => ({
    kind: 'dml',
    operation: 'delete',
    table: relationName(s.relation, ctx),
    hasWhere: s.whereClause !== undefined,
    columns: [],
  })),
  MergeStmt: lowerer<MergeStmt>((s, ctx) => ({
    kind: 'dml',
    operation: 'merge',
    table: relationName(s.relation, ctx),
    hasWhere: true,
    columns: [],
  })),
  // COPY t FROM … loads rows like INSERT; COPY t TO … only reads.
  CopyStmt: lowerer<CopyStmt>((s, ctx) =>
    !s.is_from || !s.relation
      ? { kind: 'select' }
      : {
          kind: 'dml',
          operation: 'insert',
          table: relationName(s.relation, ctx),
          hasWhere: false,
          columns: names(s.attlist),
        },
  ),
  // SELECT … INTO creates a table, as CREATE TABLE … AS does.
  SelectStmt: lowerer<SelectStmt>(({ intoClause, ...query }, ctx) =>
    intoClause
      ? lowerCreateTableAs({ into: intoClause, query: { SelectStmt: query }, objtype: 'OBJECT_TABLE' }, ctx)
      : { kind: 'select' },
  ),
  TruncateStmt: lowerer<TruncateStmt>((s, ctx) => ({
    kind: 'truncate',
    tables: (s.relations ?? []).map((r) => relationName(as<RangeVar>(r, 'RangeVar'), ctx)),
    cascade: s.behavior === 'DROP_CASCADE',
  })),
};
