/**
 * The AST parseMysql gives: node-sql-parser's (its `AST` type), plus the nodes supplement.ts
 * builds for what node-sql-parser 5.4.0 has no rule for. Our additions:
 * - statements `optimize`, `analyze` (with `table`), `set_names`, `create_program` and
 *   `drop_program`; a `create` `trigger` node (node-sql-parser's shape) for a trigger with a body;
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
  | { type: 'alter'; resource: 'force' }
  /** RENAME TO another database's table: `table` is `db.name`. */
  | { type: 'alter'; resource: 'table'; action: 'rename'; keyword: 'to'; table: string }
  /** A partition operation, `action` its first keyword lowercased (`reorganize`, `remove`, `by`). */
  | { type: 'alter'; resource: 'partition'; action: string; text: string };

export type MysqlAst =
  | (AST & { partition_by?: string; if_exists?: boolean })
  | { type: 'optimize' | 'analyze'; table: TableRef[] }
  | { type: 'set_names'; charset: string; collate: string | null }
  /** CREATE / DROP PROCEDURE, FUNCTION, EVENT (a trigger with a body is a `create` `trigger` node). */
  | { type: 'create_program'; objectType: string; name: TableRef }
  | { type: 'drop_program'; objectType: string; name: TableRef; if_exists: boolean };
