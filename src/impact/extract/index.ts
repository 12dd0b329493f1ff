// stand-in until the i13-extract / i13-check branches land
/**
 * Stand-in extractor: reads only the `.sql` files of a service, one query per `;`, so the
 * command, reporters and check integration can be built and tested before the real extractor
 * (tree-sitter, every language) lands with this exact signature.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ExtractedQuery, ServiceExtraction, ServiceSource } from '../../core/impact.js';

const SKIP = ['node_modules', 'vendor', '.git', 'migrations', 'migrate'];

export async function extractService(
  source: ServiceSource,
  options: { skipDirs?: readonly string[] } = {},
): Promise<ServiceExtraction> {
  const skip = new Set([...SKIP, ...(options.skipDirs ?? [])]);
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skip.has(entry.name) && !skip.has(full)) walk(full);
      } else if (entry.isFile() && entry.name.endsWith('.sql')) files.push(full);
    }
  };
  walk(source.path);
  files.sort();
  const queries: ExtractedQuery[] = [];
  for (const full of files) {
    const file = relative(source.path, full).split(sep).join('/');
    const text = readFileSync(full, 'utf8');
    let start = 0;
    for (const piece of text.split(';')) {
      // Leading blanks and `--` comment lines are not the query.
      const lead = /^(?:\s|--[^\n]*\n)*/.exec(piece)?.[0] ?? '';
      const sql = piece.slice(lead.length).trim();
      if (sql !== '') {
        const before = text.slice(0, start + lead.length);
        const line = before.split('\n').length;
        const column = before.length - before.lastIndexOf('\n');
        const parameters = new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => m[1])).size;
        queries.push({ file, line, column, sql, parameters, language: 'sql', api: '.sql file' });
      }
      start += piece.length + 1;
    }
  }
  await Promise.resolve();
  return {
    service: source.name,
    languages: files.length > 0 ? ['sql'] : [],
    filesScanned: files.length,
    queries,
    unresolved: [],
  };
}
