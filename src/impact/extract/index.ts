/**
 * The queries of one service, read from its code with real parsers (tree-sitter, decision 0017):
 * SQL passed to database calls in TypeScript/JavaScript, Python, Go, Java, Kotlin and Ruby,
 * standalone `.sql` query files (sqlc's among them) and Prisma schema models. What cannot be
 * resolved statically is listed as unresolved, never guessed at.
 */
import type { Tree } from 'web-tree-sitter';
import { InputError } from '../../core/errors.js';
import type { QueryLanguage, ServiceExtraction, ServiceSource } from '../../core/impact.js';
import { readSql } from '../../formats/text.js';
import { FileContext } from './common.js';
import { extractGo } from './lang/go.js';
import { extractJava } from './lang/java.js';
import { extractJavaScript } from './lang/javascript.js';
import { extractKotlin } from './lang/kotlin.js';
import { extractPython } from './lang/python.js';
import { extractRuby } from './lang/ruby.js';
import { parserFor, type Grammar } from './parsers.js';
import { extractPrisma } from './prisma.js';
import { extractSqlFile } from './sql-files.js';
import { serviceFiles } from './walk.js';

export { SKIP_DIRS } from './walk.js';

const EXTRACTORS: Record<Grammar, (tree: Tree, ctx: FileContext) => void> = {
  typescript: extractJavaScript,
  tsx: extractJavaScript,
  javascript: extractJavaScript,
  python: extractPython,
  go: extractGo,
  java: extractJava,
  kotlin: extractKotlin,
  ruby: extractRuby,
};

/** Order of `languages` in the result: the order of QueryLanguage. */
const LANGUAGE_ORDER: QueryLanguage[] = [
  'typescript',
  'javascript',
  'python',
  'go',
  'java',
  'kotlin',
  'ruby',
  'sql',
  'prisma',
];

export async function extractService(
  source: ServiceSource,
  options: { skipDirs?: readonly string[] } = {},
): Promise<ServiceExtraction> {
  const files = serviceFiles(source.path, {
    ...(source.include ? { include: source.include } : {}),
    ...(source.exclude ? { exclude: source.exclude } : {}),
    ...(options.skipDirs ? { skipDirs: options.skipDirs } : {}),
  });
  const result: Required<ServiceExtraction> = {
    service: source.name,
    languages: [],
    filesScanned: 0,
    filesByLanguage: {},
    queries: [],
    unresolved: [],
    notChecked: [],
  };
  const seen = new Set<QueryLanguage>();
  for (const file of files) {
    const text = readSql(file.path);
    const ctx = new FileContext(file.rel, text, file.language);
    if (file.grammar !== null) {
      const parser = await parserFor(file.grammar);
      const tree = parser.parse(text);
      if (tree === null) throw new InputError(`${file.path}: the ${file.grammar} parser returned nothing`);
      try {
        EXTRACTORS[file.grammar](tree, ctx);
      } finally {
        tree.delete();
        parser.delete();
      }
    } else if (file.language === 'sql') {
      extractSqlFile(ctx);
    } else {
      extractPrisma(ctx);
    }
    result.filesScanned++;
    result.filesByLanguage[file.language] = (result.filesByLanguage[file.language] ?? 0) + 1;
    seen.add(file.language);
    // A constant used by two calls is one query, at the one place its SQL is written.
    result.queries.push(...unique(ctx.found.queries, (q) => `${q.line}:${q.column}:${q.sql}`));
    result.unresolved.push(...unique(ctx.found.unresolved, (q) => `${q.line}:${q.column}`));
    result.notChecked.push(...unique(ctx.found.notChecked, (q) => `${q.line}:${q.column}`));
  }
  result.languages = LANGUAGE_ORDER.filter((l) => seen.has(l));
  return result;
}

/** Distinct by key, in file order (files are read one at a time, so only the position sorts). */
function unique<T extends { line: number; column: number }>(
  items: readonly T[],
  key: (item: T) => string,
): T[] {
  const seen = new Set<string>();
  return [...items]
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .filter((item) => !seen.has(key(item)) && seen.add(key(item)) !== undefined);
}
