/**
 * The differential check against squawk: run squawk and `schemapilot analyze` (JSON) on the
 * corpus in test/fixtures/corpus, map each finding to the statement it is about, translate
 * squawk's rule ids to ours (mapping.ts) and list, per statement, where the two agree and
 * where they do not. schemapilot runs twice: without a schema (every table assumed large, the
 * PostgreSQL major given as 15 as squawk's is) and with the test schema of
 * test/support/schema-fixture.ts (sizes and column types known).
 *
 * Every disagreement needs a reason: an annotation `-- compare(<rule>): <reason>` in the corpus
 * right before the statement, or a reason for the rule in reasons.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testSchema } from '../../test/support/schema-fixture.js';
import { SQUAWK_TO_OURS, squawkRulesFor } from './mapping.js';
import { reasonFor } from './reasons.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CORPUS_DIR = 'test/fixtures/corpus';
export const PG_MAJOR = 15;

export type Run = 'no schema' | 'schema';
export type Side = 'squawk only' | 'schemapilot only';

export interface CorpusStatement {
  file: string;
  line: number;
  column: number;
  sql: string;
  /** `-- compare(<rule>): <reason>` annotations written before the statement. */
  annotations: Map<string, string>;
  squawk: string[];
  ours: Record<Run, { rule: string; severity: string }[]>;
}

export interface Disagreement {
  /** Stable across edits elsewhere in the corpus: file, run, side, rule and the statement's SQL. */
  key: string;
  file: string;
  line: number;
  sql: string;
  run: Run;
  side: Side;
  rule: string;
  /** Rules on the other side that would have counted as agreement. */
  counterparts: string[];
  reason: string | null;
}

export interface Comparison {
  statements: CorpusStatement[];
  agreements: Record<Run, number>;
  disagreements: Disagreement[];
  squawkVersion: string;
}

/** Runs our CLI with the given arguments and resolves with its stdout (exit 0 or 1). */
export type RunSchemapilot = (args: string[]) => Promise<string>;

export function corpusFiles(): string[] {
  return readdirSync(join(ROOT, CORPUS_DIR))
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => `${CORPUS_DIR}/${f}`);
}

export async function compareWithSquawk(runSchemapilot: RunSchemapilot): Promise<Comparison> {
  const files = corpusFiles();
  const dir = mkdtempSync(join(tmpdir(), 'sp-compare-'));
  try {
    const schemaFile = join(dir, 'schema.json');
    writeFileSync(schemaFile, JSON.stringify(testSchema(PG_MAJOR)));
    // One analyze per file: a migration's state (tables created, dropped, renamed) must not
    // leak into the next file, as squawk also lints each file on its own.
    const ours = (extra: string[]) =>
      inBatches(files, 3, (f) => runSchemapilot(['analyze', f, '--format', 'json', ...extra])).then(
        mergeRuns,
      );
    const noSchema = await ours(['--target-version', String(PG_MAJOR)]);
    const withSchema = await ours(['--schema', schemaFile]);
    const squawk = await runSquawk(['--reporter', 'json', `--pg-version=${PG_MAJOR}`, ...files]);
    const squawkVersion = await runSquawk(['--version']);
    const statements = statementsOf(noSchema);
    attachOurs(statements, 'no schema', noSchema);
    attachOurs(statements, 'schema', withSchema);
    attachSquawk(statements, squawk);
    attachAnnotations(statements);
    return { statements, ...judge(statements), squawkVersion: squawkVersion.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface OurJson {
  statements: {
    file: string;
    line: number;
    column: number;
    sql: string;
    findings: { rule: string; severity: string }[];
  }[];
}

/** Run `fn` on every item, a few at a time (each is a whole CLI process); results in item order. */
async function inBatches<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

/** The per-file JSON reports as one list of statements, in file order. */
function mergeRuns(outputs: string[]): string {
  return JSON.stringify({ statements: outputs.flatMap((o) => (JSON.parse(o) as OurJson).statements) });
}

function statementsOf(json: string): CorpusStatement[] {
  return (JSON.parse(json) as OurJson).statements.map((s) => ({
    file: normalisePath(s.file),
    line: s.line,
    column: s.column,
    sql: s.sql,
    annotations: new Map(),
    squawk: [],
    ours: { 'no schema': [], schema: [] },
  }));
}

function attachOurs(statements: CorpusStatement[], run: Run, json: string): void {
  const parsed = (JSON.parse(json) as OurJson).statements;
  if (parsed.length !== statements.length) {
    throw new Error(`the ${run} run saw ${parsed.length} statements, the first run ${statements.length}`);
  }
  parsed.forEach((s, i) => {
    const target = statements[i];
    if (!target || target.line !== s.line || target.file !== normalisePath(s.file)) {
      throw new Error(`statement ${i} differs between runs`);
    }
    for (const f of s.findings) {
      if (!target.ours[run].some((x) => x.rule === f.rule)) target.ours[run].push(f);
    }
  });
}

interface SquawkFinding {
  file: string;
  line: number;
  column: number;
  rule_name: string;
}

/** A squawk finding belongs to the last statement that starts at or before it (squawk counts from 0). */
function attachSquawk(statements: CorpusStatement[], json: string): void {
  for (const f of JSON.parse(json) as SquawkFinding[]) {
    if (f.rule_name === 'syntax-error') throw new Error(`squawk cannot parse ${f.file}:${f.line + 1}`);
    const file = normalisePath(f.file);
    const line = f.line + 1;
    const column = f.column + 1;
    let owner: CorpusStatement | undefined;
    for (const s of statements) {
      if (s.file !== file) continue;
      if (s.line < line || (s.line === line && s.column <= column)) owner = s;
    }
    if (!owner) throw new Error(`squawk finding ${f.rule_name} at ${file}:${line} precedes every statement`);
    if (!owner.squawk.includes(f.rule_name)) owner.squawk.push(f.rule_name);
  }
}

const ANNOTATION = /^\s*--\s*compare\(([a-z0-9-]+)\):\s*(.+)$/;

function attachAnnotations(statements: CorpusStatement[]): void {
  const byFile = new Map<string, CorpusStatement[]>();
  for (const s of statements) byFile.set(s.file, [...(byFile.get(s.file) ?? []), s]);
  for (const [file, list] of byFile) {
    const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
    lines.forEach((text, i) => {
      const m = ANNOTATION.exec(text);
      if (!m) return;
      const next = list.find((s) => s.line > i + 1);
      if (!next) throw new Error(`${file}:${i + 1}: annotation after the last statement`);
      next.annotations.set(m[1] ?? '', m[2] ?? '');
    });
  }
}

function judge(statements: CorpusStatement[]): Pick<Comparison, 'agreements' | 'disagreements'> {
  const agreements: Record<Run, number> = { 'no schema': 0, schema: 0 };
  const disagreements: Disagreement[] = [];
  for (const s of statements) {
    for (const run of ['no schema', 'schema'] as const) {
      const ours = s.ours[run].map((f) => f.rule);
      for (const rule of s.squawk) {
        const counterparts = [...(SQUAWK_TO_OURS[rule] ?? [])];
        if (counterparts.some((r) => ours.includes(r))) agreements[run]++;
        else disagreements.push(disagreement(s, run, 'squawk only', rule, counterparts));
      }
      for (const rule of ours) {
        const counterparts = squawkRulesFor(rule);
        if (counterparts.some((r) => s.squawk.includes(r))) continue;
        disagreements.push(disagreement(s, run, 'schemapilot only', rule, counterparts));
      }
    }
  }
  return { agreements, disagreements };
}

function disagreement(
  s: CorpusStatement,
  run: Run,
  side: Side,
  rule: string,
  counterparts: string[],
): Disagreement {
  const sql = s.sql.replace(/\s+/g, ' ');
  return {
    key: `${s.file} | ${run} | ${side} | ${rule} | ${sql}`,
    file: s.file,
    line: s.line,
    sql,
    run,
    side,
    rule,
    counterparts,
    reason: s.annotations.get(rule) ?? reasonFor(side, rule, run),
  };
}

function normalisePath(path: string): string {
  const rel = relative(ROOT, join(ROOT, path)).replace(/\\/g, '/');
  return rel.startsWith(CORPUS_DIR) ? rel : path;
}

const require = createRequire(import.meta.url);

function runSquawk(args: string[]): Promise<string> {
  const binary = (require('squawk-cli/js/index.js') as { getBinaryPath(): string }).getBinaryPath();
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 || code === 1
        ? resolve(Buffer.concat(out).toString('utf8'))
        : reject(new Error(`squawk exited ${code}: ${err.slice(0, 300)}`)),
    );
  });
}
