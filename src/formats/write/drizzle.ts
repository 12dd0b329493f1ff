/**
 * Drizzle: drizzle-kit's migrations folder, run by drizzle-orm's migrate(): one `<tag>.sql` per
 * step, its statements separated by `--> statement-breakpoint`, each listed in
 * `meta/_journal.json` (src/formats/drizzle.ts reads the same layout).
 *
 * drizzle-orm's SQLite migrator runs every pending migration in ONE transaction: BEGIN, each chunk
 * between breakpoints as its own statement, a row in __drizzle_migrations per migration, COMMIT,
 * and ROLLBACK on any error (drizzle-orm src/sqlite-core/dialect.ts, SQLiteSyncDialect.migrate;
 * the async dialect does the same). Inside that transaction PRAGMA foreign_keys does nothing, and
 * a transaction cannot open another, so a table rebuild is written without its own BEGIN …
 * COMMIT and PRAGMA foreign_keys; its check that foreign_keys is OFF stays, and fails the whole
 * migrate() (nothing applied) unless the application turned foreign_keys OFF on the connection
 * before calling migrate() and back ON after, as each file's header says. Dropping a parent table
 * with foreign_keys ON would run its children's ON DELETE actions: the failure is the safe outcome.
 *
 * Drizzle has no down migrations: each step's rollback goes to `rollback/<tag>.sql`, for the
 * sqlite3 shell (`sqlite3 -bail app.db < rollback/<tag>.sql`), last step first. The journal written
 * here holds this plan's entries only, to append to the project's own: drizzle runs an entry when
 * its `when` is later than the newest migration applied, and `idx` continues the project's.
 * Written for SQLite plans; drizzle's PostgreSQL and MySQL migrators are not covered.
 */
import { SchemapilotError } from '../../core/errors.js';
import type { PlanStep } from '../../core/plan.js';
import type { StepText } from '../../core/dialect/deploy.js';
import type { PlanWriter, WriteOptions, WrittenFile } from './common.js';
import {
  explicitTransaction,
  isForeignKeysPragma,
  ownTransaction,
  rollbackNote,
  statements,
  stepHeader,
  stepName,
  stepVersion,
} from './common.js';

const BREAKPOINT = '--> statement-breakpoint';

const HEADER = [
  '-- drizzle-orm runs every pending migration in one transaction, where PRAGMA foreign_keys does nothing:',
  "-- turn it OFF on the connection before migrate() and back ON after it (better-sqlite3: sqlite.pragma('foreign_keys = OFF')).",
];

/** The step's statements as they can run inside drizzle's transaction. */
function insideDrizzle(step: PlanStep, steps: StepText): string[] {
  const text = steps.text(step);
  const own = ownTransaction(text);
  if (own) return [...own.before, ...own.inside, ...own.after].filter((s) => !isForeignKeysPragma(s));
  if (!step.transactional && steps.outsideTransaction(step.sql))
    throw new SchemapilotError(
      `drizzle: ${step.id} cannot run inside a transaction, and drizzle runs every migration in one; write the plan as sql instead`,
      { exitCode: 1 },
    );
  return text;
}

/** drizzle-kit's `when`: milliseconds; from a 14-digit timestamp version, else the version itself. */
function whenOf(options: WriteOptions, index: number): number {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(options.version);
  if (m) {
    const [, y, mo, d, h, mi, s] = m.map(Number);
    return Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s) + index;
  }
  return /^\d+$/.test(options.version) ? Number(options.version) + index : index;
}

export const drizzleWriter: PlanWriter = {
  format: 'drizzle',
  description: 'drizzle-kit <tag>.sql per step with meta/_journal.json entries (+ rollback/*.sql), SQLite',
  dialects: ['sqlite'],
  write(plan, options, steps) {
    const files: WrittenFile[] = [];
    const entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[] = [];
    plan.steps.forEach((step, i) => {
      const tag = `${stepVersion(options.version, i)}_${stepName(options, step)}`;
      // Comments go before the first statement: a chunk of nothing but comments is no statement.
      const chunks = insideDrizzle(step, steps).map((s) => `${s.trimEnd()};`);
      files.push({
        path: `${tag}.sql`,
        content: `${[...HEADER, ...stepHeader(step)].join('\n')}\n${chunks.join(`\n${BREAKPOINT}\n`)}\n`,
      });
      entries.push({ idx: i, version: '6', when: whenOf(options, i), tag, breakpoints: true });
      const down = steps.outsideTransaction(step.rollback)
        ? step.rollback
        : explicitTransaction(step.rollback, 'BEGIN IMMEDIATE');
      files.push({
        path: `rollback/${tag}.sql`,
        content: [rollbackNote(step), ...(down.length > 0 ? [statements(down)] : []), ''].join('\n'),
      });
    });
    files.push({
      path: 'meta/_journal.json',
      content: `${JSON.stringify({ version: '7', dialect: 'sqlite', entries }, null, 2)}\n`,
    });
    return files;
  },
};
