/**
 * A table rebuild written by hand, checked against the documented procedure
 * (https://www.sqlite.org/lang_altertable.html#otheralter) and the schema it runs on: what it
 * forgets (an index, a trigger, foreign_key_check, foreign_keys back ON, the AUTOINCREMENT
 * counter, the rowids), what breaks it on today's SQLite (a rename that views make fail without
 * legacy_alter_table), and the order the documentation warns against (the old table renamed
 * first). The run stays as written; the findings are the plan's warnings, each with the SQL that
 * fixes it where there is one. Its rollback is a rebuild back to the definition inspected.
 */
import type { ParsedStatement } from '../../../core/analysis.js';
import type { Change } from '../../../core/change.js';
import type { RunCheck, RunSchema } from '../../../core/dialect/language.js';
import type { Quoter } from '../../../core/rule.js';
import type { Table } from '../../../core/snapshot.js';
import { rebuildBack } from '../rebuild/back.js';
import { parseDefinition, rowidAlias } from '../rebuild/definition.js';
import { ownIndexes, referencingTables, viewsReading } from '../rebuild/dependents.js';
import { referencesItself } from '../rebuild/shape.js';
import { FOREIGN_KEYS_AROUND } from '../rebuild/plan.js';
import { mentions, sameName } from '../rebuild/tokens.js';
import { pragma, roleOf } from './runs.js';

interface Seen {
  sql: string;
  role: ReturnType<typeof roleOf>;
  changes: Change[];
}

const bare = (qualified: string) => qualified.slice(qualified.indexOf('.') + 1);

/** The run's table rebuilds: CREATE TABLE A … DROP TABLE X … ALTER TABLE A RENAME TO X. */
function rebuilds(run: readonly Seen[]): { table: string; create: number; drop: number; rename: number }[] {
  const found: { table: string; create: number; drop: number; rename: number }[] = [];
  run.forEach((s, rename) => {
    for (const c of s.changes) {
      if (c.kind !== 'rename table') continue;
      const target = `${c.table.slice(0, c.table.indexOf('.'))}.${c.newName}`;
      const drop = run.findIndex(
        (x, i) =>
          i < rename &&
          x.changes.some((d) => d.kind === 'drop table' && d.tables.some((t) => sameName(t, target))),
      );
      const create = run.findIndex(
        (x, i) =>
          i < rename && x.changes.some((d) => d.kind === 'create table' && sameName(d.table, c.table)),
      );
      if (drop >= 0 && create >= 0) found.push({ table: target, create, drop, rename });
    }
  });
  return found;
}

/** The order the documentation's caution is about: X renamed away first, a new X created after. */
function renamedFirst(run: readonly Seen[]): string[] {
  const out: string[] = [];
  run.forEach((s, i) => {
    for (const c of s.changes)
      if (
        c.kind === 'rename table' &&
        run.some(
          (x, j) => j > i && x.changes.some((d) => d.kind === 'create table' && sameName(d.table, c.table)),
        )
      )
        out.push(
          `${c.table} is renamed to ${c.newName} before its replacement is created: the rename rewrites the references to it in views, triggers and other tables' foreign keys to ${c.newName}, which is then dropped (the procedure https://www.sqlite.org/lang_altertable.html#otheralter cautions against); create the new table under a new name, drop the old one, then rename the new one`,
        );
  });
  return out;
}

function checkRebuild(
  q: Quoter,
  run: readonly Seen[],
  r: ReturnType<typeof rebuilds>[number],
  table: Table,
  schema: RunSchema,
): string[] {
  const name = table.name;
  const problems: string[] = [];
  const at = (role: Seen['role']) => run.findIndex((s) => s.role === role);
  const off = at('foreign keys off');
  const begin = at('begin');
  const end = at('end');
  const on = run.findIndex((s, i) => i > off && s.role === 'foreign keys on');
  const def = parseDefinition(table.definition ?? '');
  const children = referencingTables(table, schema);
  const referenced = children.length > 0 || referencesItself(def);
  if ((off < 0 || (begin >= 0 && off > begin)) && referenced)
    problems.push(
      `foreign_keys is not turned OFF before the transaction (inside one PRAGMA foreign_keys does nothing): with it ON, DROP TABLE ${name} runs the ON DELETE actions of ${children.length > 0 ? children.map((c) => c.name).join(', ') : name} or fails; put PRAGMA foreign_keys = OFF before BEGIN`,
    );
  if (off >= 0 && on < 0)
    problems.push('foreign_keys is turned OFF and never back ON: end with PRAGMA foreign_keys = ON');
  if (begin < 0 || end < 0)
    problems.push(
      `the rebuild of ${name} is not one transaction: a failure half way leaves ${name} dropped or half copied; put BEGIN before CREATE TABLE and COMMIT after the last statement`,
    );
  const checked = run.some(
    (s, i) =>
      i > r.rename &&
      (pragma(s.sql)?.name === 'FOREIGN_KEY_CHECK' || /pragma_foreign_key_check/i.test(s.sql)),
  );
  if (
    !checked &&
    (referenced ||
      def.constraints.some((k) => k.kind === 'foreign key') ||
      def.columns.some((c) => c.constraints.some((k) => k.kind === 'references')))
  )
    problems.push(
      `no PRAGMA foreign_key_check after the rename: run it before COMMIT (a row that breaks a foreign key is otherwise found by the application)`,
    );
  const after = run.slice(r.rename + 1);
  const creates = (kind: 'create index' | 'create trigger', object: string) =>
    after.some((s) =>
      s.changes.some((c) =>
        c.kind === 'create index'
          ? c.kind === kind && sameName(bare(c.index.name ?? ''), object)
          : c.kind === kind && sameName(c.name, object),
      ),
    );
  for (const index of ownIndexes(table))
    if (!creates('create index', index.name))
      problems.push(
        `index ${index.name} went with DROP TABLE ${name} and is not created again: ${index.definition};`,
      );
  for (const trigger of table.triggers)
    if (!creates('create trigger', trigger.name))
      problems.push(
        `trigger ${trigger.name} went with DROP TABLE ${name} and is not created again: ${trigger.definition};`,
      );
  const legacy = run.some(
    (s, i) =>
      i < r.rename &&
      pragma(s.sql)?.name === 'LEGACY_ALTER_TABLE' &&
      !['OFF', '0', 'FALSE', 'NO'].includes(pragma(s.sql)?.value ?? ''),
  );
  const readers = [
    ...viewsReading(table, schema.views).map((v) => `view ${v.name}`),
    ...schema.tables
      .filter((t) => t !== table)
      .flatMap((t) => t.triggers.filter((g) => mentions(g.definition, name)).map((g) => `trigger ${g.name}`)),
  ];
  if (readers.length > 0 && !legacy)
    problems.push(
      `${readers.join(', ')} ${readers.length === 1 ? 'reads' : 'read'} ${name}: since SQLite 3.26 the RENAME re-reads them while ${name} is dropped and fails ("no such table: main.${name}"); put PRAGMA legacy_alter_table = ON right before it and OFF right after`,
    );
  const created = parseDefinition(run[r.create]?.sql ?? '');
  if (def.autoincrement && created.autoincrement && !run.some((s) => mentions(s.sql, 'sqlite_sequence')))
    problems.push(
      `${name} has AUTOINCREMENT and its counter is not carried over: ids of rows deleted last are given again; copy it with ${q.literal(name)}'s row of sqlite_sequence before DROP TABLE`,
    );
  const copy = run.find((s) =>
    s.changes.some(
      (c) =>
        c.kind === 'dml' &&
        c.operation === 'insert' &&
        sameName(c.table, run[r.create]?.changes.find((d) => d.kind === 'create table')?.table ?? ''),
    ),
  );
  if (
    !def.withoutRowid &&
    !rowidAlias(def) &&
    !rowidAlias(created) &&
    copy &&
    !['rowid', '_rowid_', 'oid'].some((n) => mentions(copy.sql, n))
  )
    problems.push(
      `${name} has no INTEGER PRIMARY KEY and the copy does not carry its rowids: they are numbered anew (INSERT INTO … (rowid, …) SELECT rowid, … keeps them)`,
    );
  return problems.map((p) => `${table.schema}.${name}: ${p}`);
}

export function checkRun(
  q: Quoter,
  statements: readonly ParsedStatement[],
  lower: (ast: unknown) => Change[],
  schema: RunSchema,
): RunCheck {
  const run: Seen[] = statements.map((s) => ({ sql: s.sql, role: roleOf(s.sql), changes: lower(s.ast) }));
  const found = rebuilds(run);
  const warnings = renamedFirst(run);
  const rollbacks: string[][] = [];
  let lost: string[] = [];
  let known = true;
  for (const r of found) {
    const table = schema.table(r.table);
    if (!table?.definition) {
      known = false;
      continue;
    }
    warnings.push(...checkRebuild(q, run, r, table, schema));
    try {
      const back = rebuildBack(q, table, run[r.create]?.sql ?? '', schema);
      rollbacks.unshift([
        ...FOREIGN_KEYS_AROUND.before,
        'BEGIN IMMEDIATE',
        ...back.sql,
        'COMMIT',
        ...FOREIGN_KEYS_AROUND.after,
      ]);
      lost = [...lost, ...back.lost.map((c) => `${table.name}.${c}`)];
    } catch {
      known = false;
    }
  }
  const names = found.map((r) => bare(r.table));
  return {
    description:
      found.length > 0
        ? `As written: ${names.join(', ')} rebuilt by hand (SQLite's 12-step procedure), kept as one step; ${warnings.length === 0 ? 'nothing found missing' : `${warnings.length} problem(s) found (see the warnings)`}`
        : 'As written: statements that only work together (their own transaction, or foreign_keys turned OFF around them), kept as one step',
    warnings,
    rollback: found.length > 0 && known ? rollbacks.flat() : null,
    reversible: lost.length === 0,
    destroysData: lost.length > 0,
    // Where it is written: moved after later statements on the table, it would undo them.
    phase: 'expand',
    ...(found[0] ? { copiesTable: found[0].table } : {}),
  };
}
