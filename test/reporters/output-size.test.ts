/**
 * A migration of 210 column renames over five tables, as in issue 10 (212 renames printed
 * 4,575 lines of text, a 30-line recipe per statement, and without a schema each recipe began
 * with its ADD COLUMN commented out). Every format must stay small, show the recipe once per
 * table, and the recipes it shows must run; the JSON still has every finding.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { analyze } from '../../src/api/analyze.js';
import type { AnalysisResult } from '../../src/core/analysis.js';
import type { SchemaSnapshot } from '../../src/core/snapshot.js';
import { DEFAULT_CONFIG } from '../../src/config/types.js';
import { inspectPostgres } from '../../src/dialects/postgres/introspect.js';
import { loadPostgresParser, parsePostgres } from '../../src/dialects/postgres/parser.js';
import { inlineMigration } from '../../src/api/read.js';
import { renderAnalysisJson } from '../../src/reporters/analysis-json.js';
import { renderAnalysisText } from '../../src/reporters/analysis-text.js';
import { renderGithub } from '../../src/reporters/github.js';
import { MARKDOWN_MAX_CHARS, renderMarkdown } from '../../src/reporters/markdown.js';
import { renderSarif } from '../../src/reporters/sarif.js';
import { createTempDatabase, describePg, type TempDatabase } from '../support/pg.js';

const TABLES = 5;
const RENAMES = 210;
const FILE = 'db/migration/V3__rename_columns.sql';
const columnsOf = (t: number) => Array.from({ length: RENAMES }, (_, i) => i).filter((i) => i % TABLES === t);
const MIGRATION = Array.from(
  { length: RENAMES },
  (_, i) => `ALTER TABLE t${i % TABLES} RENAME COLUMN c${i} TO d${i};`,
).join('\n');

function count(text: string, what: string): number {
  return text.split(what).length - 1;
}

describePg('output of a migration with 210 renames', (target) => {
  let db: TempDatabase;
  let snapshot: SchemaSnapshot;
  let withoutSchema: AnalysisResult;
  let withSchema: AnalysisResult;

  async function analyzeRenames(schema: SchemaSnapshot | null): Promise<AnalysisResult> {
    const result = await analyze({
      files: [inlineMigration(FILE, MIGRATION, 'flyway')],
      snapshot: schema,
      config: { ...DEFAULT_CONFIG, rules: {}, targetVersion: target.major },
    });
    const { dialect, serverVersion, statements, assessment, assumptions } = result;
    return { dialect, serverVersion, statements, assessment, assumptions };
  }

  beforeAll(async () => {
    const tables = Array.from({ length: TABLES }, (_, t) => {
      const columns = columnsOf(t).map((i) => `c${i} integer`);
      return [
        `CREATE TABLE t${t} (id bigint PRIMARY KEY, ${columns.join(', ')});`,
        // Rows with values, so the backfill has something to copy.
        `INSERT INTO t${t} (id, ${columnsOf(t)
          .map((i) => `c${i}`)
          .join(', ')}) SELECT g, ${columnsOf(t)
          .map((i) => `g + ${i}`)
          .join(', ')} FROM generate_series(1, 25) AS g;`,
      ].join('\n');
    });
    await loadPostgresParser();
    db = await createTempDatabase(target, tables.join('\n'));
    snapshot = await inspectPostgres(db.url);
    withoutSchema = await analyzeRenames(null);
    withSchema = await analyzeRenames(snapshot);
  });
  afterAll(async () => db?.drop());

  const renameFindings = (result: AnalysisResult) =>
    result.statements.flatMap((s) => s.findings.filter((f) => f.rule === 'rename-column'));

  it('text without a schema: one group that says what is missing, no recipe that cannot run', () => {
    expect(renameFindings(withoutSchema)).toHaveLength(RENAMES);
    const text = renderAnalysisText(withoutSchema);
    const lines = text.split('\n');
    expect(lines.length).toBeLessThan(100);
    expect(text.length).toBeLessThan(20_000);
    expect(text).toContain(`${FILE}: rename-column on ${RENAMES} statements, lines 1–${RENAMES}`);
    expect(text).toContain(
      'A safe alternative needs the type of public.t0.c0: run with --db or --schema to get it.',
    );
    // Nothing that needs the type is printed: no ADD COLUMN, commented out or not.
    expect(text).not.toMatch(/ADD COLUMN/);
    expect(text).not.toMatch(/<[a-z][a-z ]*>/);
    // Each table's statements are listed by line.
    for (let t = 0; t < TABLES; t++)
      expect(text).toMatch(
        new RegExp(`^ {4}public\\.t${t}: ${columnsOf(t).length} statements, lines ${t + 1}, `, 'm'),
      );
  });

  it('text with the schema: the recipe once per table, and those recipes run', async () => {
    const text = renderAnalysisText(withSchema);
    expect(text.split('\n').length).toBeLessThan(400);
    expect(text.length).toBeLessThan(40_000);
    // (The assessment's recommended approach shows the plan's first steps: counted apart.)
    const findings = text.slice(0, text.indexOf('\nAssessment\n'));
    expect(count(findings, 'CREATE FUNCTION')).toBe(TABLES);
    // The recipe shown for each table is its first statement's, as the finding has it.
    const first = Array.from({ length: TABLES }, (_, t) => {
      const safe = withSchema.statements[t]?.findings.find(
        (f) => f.rule === 'rename-column',
      )?.safeAlternative;
      expect(safe, `t${t}`).toContain(`ADD COLUMN d${t} integer;`);
      expect(text).toContain(
        (safe ?? '')
          .split('\n')
          .map((l) => `        ${l}`)
          .join('\n'),
      );
      return safe ?? '';
    });
    // Pasted as printed (each statement on its own, as psql -f runs a file), they run, and
    // they do what they say: the new column holds the old one's values, and stays in step.
    for (const safe of first) {
      for (const statement of parsePostgres(safe, 'safe.sql').statements)
        await db.client.query(statement.sql);
    }
    for (let t = 0; t < TABLES; t++) {
      const { rows } = await db.client.query<{ n: string }>(
        `SELECT count(*) AS n FROM t${t} WHERE d${t} IS DISTINCT FROM c${t}`,
      );
      expect(rows[0]?.n).toBe('0');
      await db.client.query(`UPDATE t${t} SET c${t} = -1 WHERE id = 1`);
      const synced = await db.client.query<{ d: number }>(`SELECT d${t} AS d FROM t${t} WHERE id = 1`);
      expect(synced.rows[0]?.d).toBe(-1);
    }
  });

  it(`markdown: well under GitHub's 65,536 characters, the recipe once per table, nothing dropped`, () => {
    const md = renderMarkdown(withSchema);
    expect(md.length).toBeLessThan(MARKDOWN_MAX_CHARS);
    expect(MARKDOWN_MAX_CHARS).toBeLessThan(65_536);
    expect(md).not.toMatch(/more statements?; run `schemapilot analyze` locally/);
    const sections = md.slice(md.indexOf('### Statements'));
    expect(count(sections, 'CREATE FUNCTION')).toBe(TABLES);
    expect(sections).toContain(`<code>rename-column</code> on ${RENAMES} statements of <code>${FILE}</code>`);
    const bare = renderMarkdown(withoutSchema);
    expect(bare.length).toBeLessThan(20_000);
    expect(bare).not.toMatch(/ADD COLUMN/);
  });

  it('sarif and github: one entry per finding, the recipe once per table', () => {
    const findings = withSchema.statements.flatMap((s) => s.findings);
    const sarif = JSON.parse(renderSarif(withSchema, { toolVersion: '0.0.0' })) as {
      runs: { results: { ruleId: string; message: { text: string } }[] }[];
    };
    const results = sarif.runs[0]?.results ?? [];
    expect(results).toHaveLength(findings.length);
    const renames = results.filter((r) => r.ruleId === 'rename-column');
    expect(renames).toHaveLength(RENAMES);
    expect(renames.filter((r) => r.message.text.includes('CREATE FUNCTION'))).toHaveLength(TABLES);
    // The others point at the line whose result has the recipe of their table.
    expect(renames[TABLES]?.message.text).toContain('Safe alternative: as for line 1, with this statement');

    const annotations = renderGithub(withSchema).trimEnd().split('\n');
    expect(annotations).toHaveLength(findings.length + 1);
    expect(annotations.filter((a) => a.includes('CREATE FUNCTION'))).toHaveLength(TABLES);
    expect(renderGithub(withSchema).length).toBeLessThan(150_000);
  });

  it('json: every statement keeps its finding, with its own safe alternative', () => {
    const json = JSON.parse(renderAnalysisJson(withSchema)) as AnalysisResult;
    expect(json.statements).toHaveLength(RENAMES);
    json.statements.forEach((s, i) => {
      const rename = s.findings.find((f) => f.rule === 'rename-column');
      expect(rename?.safeAlternative, `line ${s.line}`).toContain(
        `ALTER TABLE t${i % TABLES} ADD COLUMN d${i} integer;`,
      );
    });
    const bare = JSON.parse(renderAnalysisJson(withoutSchema)) as AnalysisResult;
    expect(
      bare.statements.map((s) => s.findings.find((f) => f.rule === 'rename-column')?.safeAlternative),
    ).toEqual(Array.from({ length: RENAMES }, () => null));
  });
});
