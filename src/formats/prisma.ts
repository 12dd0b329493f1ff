/**
 * Prisma Migrate: `prisma/migrations/<timestamp>_<name>/migration.sql`, applied in directory
 * name order. How a file runs depends on the Prisma version:
 * - before 7.4 the schema engine sends migration.sql as one simple query
 *   (`client.simple_query(script)`), which PostgreSQL runs as one implicit transaction;
 * - from 7.4 (prisma-engines #5767) it splits the script and sends statement after statement,
 *   each committing on its own (measured with log_statement=all on Prisma 7.8).
 * The version comes from the installed `prisma` package, else from package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { TransactionMode } from '../core/analysis.js';

export interface PrismaMode {
  transaction: TransactionMode;
  note: string | null;
}

export function prismaMode(migrationsDir: string): PrismaMode {
  const version = prismaVersion(migrationsDir);
  if (version === null) {
    return {
      transaction: 'implicit',
      note:
        'Prisma version not found (no node_modules/prisma or package.json above the migrations): ' +
        'each migration.sql is assumed to be sent as one query, one implicit transaction, as before Prisma 7.4',
    };
  }
  const [major = 0, minor = 0] = version;
  const splits = major > 7 || (major === 7 && minor >= 4);
  return { transaction: splits ? 'none' : 'implicit', note: null };
}

/** [major, minor] of the Prisma CLI that will run the migrations, or null. */
function prismaVersion(from: string): number[] | null {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const installed = readJson(join(dir, 'node_modules', 'prisma', 'package.json'));
    const exact = parseVersion(installed?.['version']);
    if (exact) return exact;
    const pkg = readJson(join(dir, 'package.json'));
    if (pkg) {
      for (const field of ['devDependencies', 'dependencies']) {
        const deps = pkg[field] as Record<string, unknown> | undefined;
        // The lowest version a range allows: ^7.3.0 may still install 7.3.
        const declared = parseVersion(deps?.['prisma']);
        if (declared) return declared;
      }
    }
    if (dirname(dir) === dir) return null;
  }
}

function parseVersion(spec: unknown): number[] | null {
  if (typeof spec !== 'string') return null;
  const m = /(\d+)\.(\d+)/.exec(spec);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

function readJson(path: string): Record<string, unknown> | null {
  if (!existsSync(path)) return null;
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
