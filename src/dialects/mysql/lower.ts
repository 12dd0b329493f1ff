/**
 * MySQL/MariaDB lowering (the contract's Engine.lower): one parsed statement (parseMysql's AST,
 * ast.ts) → the Changes it makes, names qualified with the connection's database. This file
 * only dispatches on the statement type; ./lowering holds one file per family. Anything not
 * modelled becomes `{ kind: 'unknown' }`, which analysis reports; lowering never throws.
 */
import type { Change } from '../../core/change.js';
import { lowerAlterTable } from './lowering/alter.js';
import { isNode, str, type Lowerer, type Node } from './lowering/common.js';
import {
  lowerAnalyze,
  lowerCreateIndex,
  lowerCreateTrigger,
  lowerCreateView,
  lowerDml,
  lowerDrop,
  lowerOptimize,
  lowerProgram,
  lowerRename,
  lowerSet,
  lowerSetNames,
  lowerTransaction,
  lowerTruncate,
} from './lowering/statements.js';
import { lowerCreateTable } from './lowering/table.js';

const CREATE: Record<string, Lowerer> = {
  table: lowerCreateTable,
  index: lowerCreateIndex,
  view: lowerCreateView,
  trigger: lowerCreateTrigger,
};

// A Map: a statement type is never looked up among Object.prototype's names.
const LOWERERS = new Map<string, Lowerer>(
  Object.entries({
    create: (node, schema) => {
      const lower = CREATE[str(node['keyword']) ?? ''];
      return lower ? lower(node, schema) : unknown(node);
    },
    alter: lowerAlterTable,
    drop: lowerDrop,
    rename: lowerRename,
    truncate: lowerTruncate,
    optimize: lowerOptimize,
    analyze: lowerAnalyze,
    set: (node) => lowerSet(node),
    set_names: (node) => lowerSetNames(node),
    transaction: (node) => lowerTransaction(node),
    insert: lowerDml,
    replace: lowerDml,
    update: lowerDml,
    delete: lowerDml,
    select: () => [{ kind: 'select' }],
    create_program: lowerProgram,
    drop_program: lowerProgram,
  } satisfies Record<string, Lowerer>),
);

function unknown(node: Node): Change[] {
  const words = [str(node['type']), str(node['keyword'])].filter((w): w is string => Boolean(w));
  return [{ kind: 'unknown', statementType: words.join(' ').toUpperCase() || 'UNKNOWN' }];
}

export function lowerMysql(ast: unknown, defaultSchema: string): Change[] {
  if (!isNode(ast)) return [{ kind: 'unknown', statementType: 'UNKNOWN' }];
  const lower = LOWERERS.get(str(ast['type']) ?? '');
  try {
    return lower ? lower(ast, defaultSchema) : unknown(ast);
  } catch {
    // A shape this lowering did not expect: reported as unknown rather than stopping analysis.
    return unknown(ast);
  }
}
