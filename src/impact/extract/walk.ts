/**
 * The files of a service that may hold queries, by language. Dependencies and build output
 * (node_modules, vendor, .git, dist, build, …) are not the service's code, and migration folders
 * are the migration's side, not queries: a folder whose name says so (`migrations`, `db/migrate`)
 * or whose files a migration tool of src/formats would run (Flyway, golang-migrate, popx, dbmate,
 * diesel, Drizzle, Prisma, Sqitch, alembic output) is skipped. `include`/`exclude` globs are
 * relative to the service root.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { fsErrorWords } from '../../core/fs-errors.js';
import { hasDbmateMarkers } from '../../formats/dbmate.js';
import { isAlembicOutput } from '../../formats/detect.js';
import { isDieselMigration } from '../../formats/diesel.js';
import { DRIZZLE_JOURNAL } from '../../formats/drizzle.js';
import { isFlywayName } from '../../formats/flyway.js';
import { isPopxName } from '../../formats/popx.js';
import type { QueryLanguage } from '../../core/impact.js';
import type { Grammar } from './parsers.js';

export const SKIP_DIRS = [
  'node_modules',
  'vendor',
  '.git',
  'dist',
  'build',
  'out',
  'target',
  '.venv',
  'venv',
  '__pycache__',
  '.gradle',
  '.next',
  'coverage',
];

const MIGRATION_DIRS = new Set(['migrations', 'migration', 'migrate', 'db_migrations', 'alembic', 'flyway']);
const GOLANG_MIGRATE = /^\d+_.*\.(up|down)\.sql$/;

export interface SourceFile {
  /** Relative to the service root, with `/`. */
  rel: string;
  path: string;
  language: QueryLanguage;
  /** The tree-sitter grammar, for code; null for `.sql` and `.prisma` files. */
  grammar: Grammar | null;
}

/** The language of a file by its name, or null when it is none we read. */
export function languageOf(name: string): { language: QueryLanguage; grammar: Grammar | null } | null {
  if (name.endsWith('.d.ts')) return null;
  const ext = /\.([A-Za-z]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  if (['ts', 'mts', 'cts'].includes(ext)) return { language: 'typescript', grammar: 'typescript' };
  if (ext === 'tsx') return { language: 'typescript', grammar: 'tsx' };
  if (['js', 'mjs', 'cjs', 'jsx'].includes(ext)) return { language: 'javascript', grammar: 'javascript' };
  if (ext === 'py') return { language: 'python', grammar: 'python' };
  if (ext === 'go') return { language: 'go', grammar: 'go' };
  if (ext === 'java') return { language: 'java', grammar: 'java' };
  if (ext === 'kt' || ext === 'kts') return { language: 'kotlin', grammar: 'kotlin' };
  if (ext === 'rb') return { language: 'ruby', grammar: 'ruby' };
  if (ext === 'sql') return { language: 'sql', grammar: null };
  if (ext === 'prisma') return { language: 'prisma', grammar: null };
  return null;
}

export function serviceFiles(
  root: string,
  options: { include?: readonly string[]; exclude?: readonly string[]; skipDirs?: readonly string[] } = {},
): SourceFile[] {
  let stat;
  try {
    stat = statSync(root);
  } catch (error) {
    throw new InputError(`service path ${root}: ${fsErrorWords(error)}`);
  }
  if (!stat.isDirectory()) throw new InputError(`service path ${root}: not a directory`);
  const skip = new Set([...SKIP_DIRS, ...(options.skipDirs ?? [])]);
  const include = (options.include ?? []).map(globRegExp);
  const exclude = (options.exclude ?? []).map(globRegExp);
  const out: SourceFile[] = [];
  const visit = (dir: string, rel: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      throw new InputError(`cannot read ${dir}: ${fsErrorWords(error)}`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const relPath = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (exclude.some((g) => g.test(relPath))) continue;
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(path));
      if (isDir) {
        if (skip.has(entry.name) || isMigrationDir(path, entry.name, relPath)) continue;
        visit(path, relPath);
        continue;
      }
      const kind = languageOf(entry.name);
      if (kind === null) continue;
      if (include.length > 0 && !include.some((g) => g.test(relPath))) continue;
      out.push({ rel: relPath, path, ...kind });
    }
  };
  visit(root, '');
  return out;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A folder of migrations (not queries), by its name or by the files a migration tool runs. */
export function isMigrationDir(dir: string, name: string, rel: string): boolean {
  if (MIGRATION_DIRS.has(name.toLowerCase()) || rel === 'db/migrate') return true;
  if (existsSync(join(dir, 'sqitch.plan')) || existsSync(join(dir, DRIZZLE_JOURNAL))) return true;
  if (existsSync(join(dir, 'migration_lock.toml')) || isDieselMigration(dir)) return true;
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.sql'));
  } catch {
    return false;
  }
  if (files.some((f) => isFlywayName(f) || GOLANG_MIGRATE.test(f) || isPopxName(f))) return true;
  return files.some((f) => {
    const text = readHead(join(dir, f));
    return hasDbmateMarkers(text) || isAlembicOutput(text);
  });
}

function readHead(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(0, 64 * 1024);
  } catch {
    return '';
  }
}

/** `**` any folders, `*` and `?` within a name, `{a,b}` alternatives; a bare name matches at any depth. */
export function globRegExp(glob: string): RegExp {
  let re = '';
  const g = glob.replace(/^\.\//, '').replace(/\/$/, '/**');
  for (let i = 0; i < g.length; i++) {
    const c = g[i] ?? '';
    if (c === '*' && g[i + 1] === '*') {
      re += g[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += g[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') re += '(?:';
    else if (c === '}') re += ')';
    else if (c === ',') re += '|';
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  const anywhere = !g.includes('/');
  return new RegExp(`^${anywhere ? '(?:.*/)?' : ''}${re}(?:/.*)?$`);
}
