/**
 * The SQLite recipes: every Change an ALTER TABLE (SQLite's own, or the PostgreSQL-style intent
 * schemapilot accepts for what SQLite has no syntax for) lowers to goes to the rebuild recipe,
 * which keeps the statement as written when ALTER TABLE can make it.
 */
import type { ChangeKind } from '../../../core/change.js';
import type { Recipe } from '../../types.js';
import { sqliteRebuildRecipe } from './rebuild.js';

const recipe: Recipe = Object.assign((ctx: Parameters<Recipe>[0]) => sqliteRebuildRecipe(ctx), {
  dialects: ['sqlite'] as const,
});

const KINDS: readonly ChangeKind[] = [
  'add column',
  'drop column',
  'alter column type',
  'set not null',
  'drop not null',
  'set default',
  'drop default',
  'add constraint',
  'drop constraint',
];

export const SQLITE_RECIPES: Partial<Record<ChangeKind, Recipe>> = Object.fromEntries(
  KINDS.map((k) => [k, recipe]),
);
