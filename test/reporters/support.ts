/** Real analyses for reporter tests: SQL in, the engine's own AnalysisResult out. */
import { analyze } from '../../src/api/analyze.js';
import type { AnalysisResult } from '../../src/core/analysis.js';
import type { Rule } from '../../src/core/rule.js';
import type { SchemaSnapshot } from '../../src/core/snapshot.js';
import { DEFAULT_CONFIG } from '../../src/config/types.js';
import { inlineMigration } from '../../src/formats/read.js';
import { testSchema } from '../support/schema-fixture.js';

export interface AnalyzeSqlOptions {
  /** Default testSchema(15); null analyses without a schema (and without a version). */
  schema?: SchemaSnapshot | null;
  file?: string;
  rules?: readonly Rule[];
}

export async function analyzeSql(sql: string, options: AnalyzeSqlOptions = {}): Promise<AnalysisResult> {
  const snapshot = options.schema === undefined ? testSchema(15) : options.schema;
  const result = await analyze({
    files: [inlineMigration(options.file ?? 'migrations/V2__change.sql', sql, 'plain')],
    snapshot,
    config: { ...DEFAULT_CONFIG, rules: {} },
    ...(options.rules ? { rules: options.rules } : {}),
  });
  // Reporters see the contract only, as the CLI's JSON does (no `run` internals).
  const { dialect, serverVersion, statements, assessment, assumptions } = result;
  return { dialect, serverVersion, statements, assessment, assumptions };
}

/** Migrations of different shapes, for checks every format must pass. */
export const MIGRATIONS: Record<string, { sql: string; schema?: null }> = {
  safe: {
    sql: `SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN nickname text;\nCREATE TABLE t (id bigint PRIMARY KEY)`,
  },
  unsafe: {
    sql: [
      'ALTER TABLE users DROP COLUMN email',
      'CREATE INDEX orders_total_idx ON orders (total)',
      'ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()',
      'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id)',
    ].join(';\n'),
  },
  'unknown statements': {
    sql: `CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\nLISTEN channel;\nALTER TABLE users ALTER COLUMN name SET NOT NULL`,
  },
  'no schema': {
    sql: 'ALTER TABLE accounts ADD COLUMN plan text NOT NULL;\nVACUUM FULL accounts;\nUPDATE accounts SET plan = 1',
    schema: null,
  },
};
