/**
 * The sqlite dialect (src/dialects/sqlite/) is a scaffold: every function throws "not
 * implemented", so there is nothing to test yet. Replace each todo with a suite as its part
 * lands. Tests run on a database file in a temporary directory (no server); without it a suite is skipped loudly, and fails under CI=true
 * (missingDatabase in test/support/pg.ts), as the PostgreSQL suites do.
 */
import { describe, it } from 'vitest';

describe('sqlite dialect (scaffold: not implemented yet)', () => {
  it.todo('language: a fixture migration through analyze() with this dialect (as test/dialects/toy does)');
  it.todo(
    'connect: a bad URL, an unreachable host and a wrong password are one-line errors without the password',
  );
  it.todo(
    'introspect: every object kind of a fixture schema in the SchemaSnapshot, on every supported version',
  );
  it.todo('introspect: the snapshot JSON is the same byte for byte on a second run');
  it.todo(
    'parse: statements with line, column, text and leading comments; a syntax error is file:line:column',
  );
  it.todo(
    'lower: each statement of a fixture migration to its Changes, names qualified with the default schema',
  );
  it.todo(
    'facts: each fact observed on a real server of each supported version, with the vendor docs it cites',
  );
  it.todo('quote: identifiers and literals round-trip through the server');
  it.todo(
    'plan: every recipe that applies to sqlite round-tripped on a real server (test/planner/roundtrip.test.ts)',
  );
});
