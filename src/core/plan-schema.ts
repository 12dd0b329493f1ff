/**
 * What a plan JSON (`plan --out`, a plan.json in a pull request, the plan kept in the deploy
 * journal) must look like before `validate` or `deploy` touches a database: every field of
 * `Plan` with its type, and bounds that keep a hand-edited or damaged file from doing harm
 * (retry counts and timeouts within reason, integers where they are written into SQL, unique
 * step ids, sources that exist). schema/plan.schema.json is generated from it (`npm run
 * gen:schemas`), without the checks across fields, which JSON Schema cannot say.
 */
import { z } from 'zod';
import { ALL_LOCK_MODES, type LockMode } from './locks.js';
import { SCHEMA_CHANGE_TOOLS, type Plan } from './plan.js';
import type { DialectName } from './snapshot.js';

/** PostgreSQL's timeouts are int4 milliseconds; 0 means none. */
const MAX_TIMEOUT_MS = 2_147_483_647;
const ms = (max: number) => z.int().min(0).max(max);

const DIALECTS = ['postgres', 'mysql', 'sqlite'] as const satisfies readonly DialectName[];

const text = z.string();
const sql = z.string().min(1);

const check = z.strictObject({ description: text, sql });

const retry = z.strictObject({
  maxAttempts: z.int().min(1).max(100).describe('Attempts in all, including the first.'),
  backoffMs: ms(600_000).describe('First wait; doubled each time, with jitter, up to maxBackoffMs.'),
  maxBackoffMs: ms(3_600_000),
  retryOn: z
    .array(z.string().regex(/^([0-9A-Z]{5}|[0-9]{4,5}|SQLITE_[A-Z_]+)$/))
    .describe(
      'Server error codes worth retrying: SQLSTATEs (PostgreSQL), error numbers (MySQL: 1205, 1213), result code names (SQLite: SQLITE_BUSY).',
    ),
});

const backfill = z.strictObject({
  table: z.string().regex(/^[^.]+\..+$/s),
  keyColumns: z.array(z.string().min(1)),
  set: z.array(z.strictObject({ column: z.string().min(1), expression: sql })).min(1),
  remaining: sql,
  batchSize: z.int().min(1).max(1_000_000),
  pauseMs: ms(3_600_000),
  estimatedRows: z.int().min(0).optional(),
});

/** Arguments go to a program, not a shell; a NUL or a line break in one is damage, not an option. */
const arg = z.string().regex(/^[^\0\r\n]*$/);

const tool = z.strictObject({
  name: z.enum(SCHEMA_CHANGE_TOOLS),
  database: z.string().min(1).nullable(),
  table: z.string().min(1),
  alter: z.string().min(1),
  args: z
    .array(arg)
    .describe('Throttling and cut-over flags; the runner adds the connection from the target.'),
});

const step = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/)
    .describe('Unique in the plan: `<phase>-<n>`.'),
  phase: z.enum(['expand', 'backfill', 'validate', 'contract']),
  description: text,
  asWritten: z.boolean(),
  sql: z.array(sql).min(1),
  transactional: z.boolean(),
  lock: z
    .strictObject({ table: z.string().min(1), mode: z.enum(ALL_LOCK_MODES as [LockMode, ...LockMode[]]) })
    .nullable(),
  estimatedMs: z.number().min(0),
  lockTimeoutMs: ms(MAX_TIMEOUT_MS),
  statementTimeoutMs: ms(MAX_TIMEOUT_MS),
  retry,
  rollback: z.array(sql).describe('Statements that undo the step; empty when nothing to undo.'),
  statementRollback: z
    .array(z.array(sql))
    .optional()
    .describe(
      'Per statement of `sql`, the statements that undo it alone (same length as `sql`): what undoes a step outside a transaction that failed half way.',
    ),
  reversible: z.boolean(),
  destroysData: z.boolean(),
  preChecks: z.array(check),
  postChecks: z.array(check),
  backfill: backfill.optional(),
  tool: tool.optional(),
  source: z.int().min(0),
});

const options = z.strictObject({
  batchSize: z.int().min(1).max(1_000_000),
  batchPauseMs: ms(3_600_000),
  lockTimeoutMs: ms(MAX_TIMEOUT_MS),
  statementTimeoutMs: ms(MAX_TIMEOUT_MS),
  longStatementTimeoutMs: ms(MAX_TIMEOUT_MS),
  archive: z.boolean(),
});

/** The fact keys each dialect writes: PostgreSQL majors; MySQL 5.7.0 (50700) to MariaDB 99.x; SQLite 3.x.y. */
const SERVER_KEYS: Record<(typeof DIALECTS)[number], [number, number]> = {
  postgres: [9, 99],
  mysql: [50_000, 999_999],
  // SQLITE_VERSION_NUMBER: 3.35.0 is 3035000 (src/dialects/sqlite/version.ts).
  sqlite: [3_000_000, 3_999_999],
};

/** The shape of a plan, field by field (what JSON Schema can say). */
export const planShape = z.strictObject({
  formatVersion: z.literal(1),
  dialect: z.enum(DIALECTS),
  serverMajor: z
    .int()
    .min(9)
    .max(9_999_999)
    .describe(
      'PostgreSQL: the major (15). MySQL/MariaDB: the version as a number (80029, 101106). SQLite: SQLITE_VERSION_NUMBER (3053002).',
    ),
  sourceSchemaHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable()
    .describe('Hash of the schema the plan was made for; null when planned without one.'),
  options,
  sources: z.array(z.strictObject({ file: text, line: z.int().min(0), sql: text })),
  steps: z.array(step),
  rollbackComplexity: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
  recommendedApproach: text,
  warnings: z.array(text),
});

/** The shape plus what holds across fields: unique step ids, sources that exist, sane backoff. */
export const planSchema = planShape.superRefine((plan, ctx) => {
  const [low, high] = SERVER_KEYS[plan.dialect];
  if (plan.serverMajor < low || plan.serverMajor > high)
    ctx.addIssue({
      code: 'custom',
      path: ['serverMajor'],
      message: `not a ${plan.dialect} version key (${low} to ${high})`,
    });
  const seen = new Map<string, number>();
  plan.steps.forEach((s, i) => {
    const first = seen.get(s.id);
    if (first !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['steps', i, 'id'],
        message: `duplicate step id "${s.id}" (also $.steps[${first}].id)`,
      });
    else seen.set(s.id, i);
    if (s.source >= plan.sources.length)
      ctx.addIssue({
        code: 'custom',
        path: ['steps', i, 'source'],
        message: `no source ${s.source} (the plan has ${plan.sources.length})`,
      });
    if (s.statementRollback && s.statementRollback.length !== s.sql.length)
      ctx.addIssue({
        code: 'custom',
        path: ['steps', i, 'statementRollback'],
        message: `has ${s.statementRollback.length} entries for the step's ${s.sql.length} statement(s)`,
      });
    if (s.retry.maxBackoffMs < s.retry.backoffMs)
      ctx.addIssue({
        code: 'custom',
        path: ['steps', i, 'retry', 'maxBackoffMs'],
        message: `smaller than backoffMs (${s.retry.backoffMs})`,
      });
  });
});

// The schema and the Plan type must describe the same thing: a field added to one and not the
// other fails to compile here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaIsPlan: Same<z.infer<typeof planShape>, Plan> = true;
void schemaIsPlan;
