/**
 * The MySQL/MariaDB recipes: one for every Change an ALTER clause or a CREATE/DROP INDEX lowers
 * to; it plans the clause whole (action.ts), with the expand/contract recipes beside it.
 */
import type { ChangeKind } from '../../../core/change.js';
import type { Recipe } from '../../types.js';
import { mysqlActionRecipe } from './action.js';

const recipe: Recipe = Object.assign((ctx: Parameters<Recipe>[0]) => mysqlActionRecipe(ctx), {
  dialects: ['mysql'] as const,
});

const KINDS: readonly ChangeKind[] = [
  'add column',
  'drop column',
  'rename column',
  'alter column type',
  'set not null',
  'drop not null',
  'set default',
  'drop default',
  'add identity',
  'set generated expression',
  'create index',
  'drop index',
  'rename index',
  'add constraint',
  'drop constraint',
  'alter table other',
  'drop table',
];

export const MYSQL_RECIPES: Partial<Record<ChangeKind, Recipe>> = Object.fromEntries(
  KINDS.map((k) => [k, recipe]),
);
