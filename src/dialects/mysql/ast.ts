/**
 * The AST parseMysql gives: node-sql-parser's (its `AST` type), plus the nodes supplement.ts
 * builds for what node-sql-parser 5.4.0 has no rule for. Our additions:
 * - statements `optimize`, `analyze` (with `table`) and `set_names`;
 * - `temporary: 'temporary'` on a DROP TEMPORARY TABLE (as node-sql-parser marks a CREATE), `partition_by` (the clause as written) on a
 *   CREATE TABLE … PARTITION BY;
 * - on ALTER TABLE: `if_exists` on the statement, `if_exists`/`if_not_exists` (MariaDB) and
 *   `enforced` (MySQL CHECK … [NOT] ENFORCED) on a clause, and the AlterExtra clauses below.
 */
import type { AST } from 'node-sql-parser';
import type { TableRef } from './supplement.js';

export type AlterExtra =
  | { type: 'alter'; resource: 'column_default'; action: 'set'; column: string; default: string }
  | { type: 'alter'; resource: 'column_default'; action: 'drop'; column: string }
  | { type: 'alter'; resource: 'column_visibility'; column: string; visible: boolean }
  | { type: 'alter'; resource: 'index_visibility'; index: string; visible: boolean }
  | { type: 'alter'; resource: 'index'; action: 'rename'; old: string; new: string }
  | { type: 'alter'; resource: 'convert_charset'; charset: string; collate: string | null }
  /** A partition operation, `action` its first keyword lowercased (`reorganize`, `remove`, `by`). */
  | { type: 'alter'; resource: 'partition'; action: string; text: string };

export type MysqlAst =
  | (AST & { partition_by?: string; if_exists?: boolean })
  | { type: 'optimize' | 'analyze'; table: TableRef[] }
  | { type: 'set_names'; charset: string; collate: string | null };
