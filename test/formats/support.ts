import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../src/api/analyze.js';
import type { AnalyzedStatement } from '../../src/core/analysis.js';
import type { RunnerName } from '../../src/config/types.js';
import { readMigrations, type ReadResult } from '../../src/api/read.js';

/** test/fixtures/layouts: one directory per tool, laid out as the tool writes it. */
export const LAYOUTS = fileURLToPath(new URL('../fixtures/layouts/', import.meta.url));

/** Read a fixture (relative to test/fixtures/layouts) or any path; paths shown relative to LAYOUTS. */
export async function read(
  path: string,
  options: { runner?: RunnerName; major?: number } = {},
): Promise<ReadResult> {
  return readMigrations(path.startsWith('/') ? path : join(LAYOUTS, path), { cwd: LAYOUTS, ...options });
}

/** Read and analyse without a schema (every table assumed to exist, PostgreSQL 15). */
export async function analyzed(
  path: string,
  options: { runner?: RunnerName; major?: number } = {},
): Promise<{ read: ReadResult; statements: AnalyzedStatement[] }> {
  const result = await read(path, options);
  const analysis = await analyze({ files: result.files });
  return { read: result, statements: analysis.statements };
}

/** A temporary directory holding the given files (paths may contain subdirectories). */
export function tempLayout(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'schemapilot-layout-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** 1-based line of the first line containing `text` in a fixture file (the expected position). */
export function lineOf(fixture: string, text: string): number {
  const lines = readFileSync(join(LAYOUTS, fixture), 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(text));
  if (index < 0) throw new Error(`"${text}" is not in ${fixture}`);
  return index + 1;
}

/** The statement whose SQL starts with `prefix` (case-insensitive), or a failure naming them all. */
export function statement(statements: readonly AnalyzedStatement[], prefix: string): AnalyzedStatement {
  const found = statements.find((s) => s.sql.toLowerCase().startsWith(prefix.toLowerCase()));
  if (!found) {
    throw new Error(`no statement starting "${prefix}" in:\n${statements.map((s) => s.sql).join('\n')}`);
  }
  return found;
}

export const CONCURRENTLY_RULE = 'concurrently-in-transaction';
