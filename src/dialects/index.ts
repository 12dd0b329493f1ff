/**
 * The dialect registry: the one place that names the concrete dialects. Commands and the
 * public API look dialects up here; the layers below receive the Dialect object.
 */
import type { Dialect } from '../core/dialect/index.js';
import { InputError } from '../core/errors.js';
import { postgresDialect } from './postgres/index.js';

// `npm run new:dialect` adds a dialect's import above and its entry here.
const BUILT_IN: readonly Dialect[] = [postgresDialect];

const DIALECTS = new Map<string, Dialect>(BUILT_IN.map((d) => [d.name, d]));

export const DEFAULT_DIALECT = postgresDialect;

export function dialectNames(): string[] {
  return [...DIALECTS.keys()];
}

/** The dialect registered under `name`; an InputError naming `source` (a flag, a config key) otherwise. */
export function dialectNamed(name: string, source = 'dialect'): Dialect {
  const dialect = DIALECTS.get(name);
  if (!dialect)
    throw new InputError(`${source}: unknown dialect "${name}" (known: ${dialectNames().join(', ')})`);
  return dialect;
}

/**
 * Add a dialect at run time: a library user's own, or a test's. A name already taken is
 * refused (a dialect is replaced by no one).
 */
export function registerDialect(dialect: Dialect): void {
  if (DIALECTS.has(dialect.name)) throw new Error(`a dialect named "${dialect.name}" is already registered`);
  DIALECTS.set(dialect.name, dialect);
}
