/**
 * The fleet `bench impact` checks: a 20-table schema, a migration that renames one column,
 * drops two and adds a NOT NULL one, and ten services in five languages (TypeScript, Python,
 * Go, Java, SQL files) holding 2,000 queries between them, about one in twenty touching what
 * the migration changes. Seeded, so every run reads the same code.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TABLES = 20;
export const SERVICES = 10;
export const QUERIES_PER_SERVICE = 200;
const FILES_PER_SERVICE = 10;

export function schemaSql(): string {
  const tables: string[] = [];
  for (let t = 0; t < TABLES; t++)
    tables.push(
      `CREATE TABLE t${pad(t)} (id bigint PRIMARY KEY, name text, note text, status text NOT NULL DEFAULT 'new', ` +
        `amount numeric, qty int, created_at timestamptz NOT NULL DEFAULT now(), c1 text, c2 text, c3 text);`,
    );
  return tables.join('\n');
}

export const MIGRATION = [
  'ALTER TABLE t00 RENAME COLUMN name TO full_name;',
  'ALTER TABLE t01 DROP COLUMN note;',
  'ALTER TABLE t02 DROP COLUMN c3;',
  "ALTER TABLE t03 ADD COLUMN region text NOT NULL DEFAULT 'eu';",
].join('\n');

const LANGUAGES = ['ts', 'py', 'go', 'java', 'sql'] as const;
type Lang = (typeof LANGUAGES)[number];

/** A deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pad = (n: number) => String(n).padStart(2, '0');
const COLUMNS = ['status', 'amount', 'qty', 'created_at', 'c1', 'c2'];

/** One query with `?` for its one parameter; the language turns it into its own placeholder. */
function query(random: () => number): string {
  const touches = random() < 0.05;
  const table = touches
    ? `t0${Math.floor(random() * 3)}`
    : `t${pad(3 + Math.floor(random() * (TABLES - 3)))}`;
  const changed = table === 't00' ? 'name' : table === 't01' ? 'note' : 'c3';
  const columns = [COLUMNS[Math.floor(random() * COLUMNS.length)] ?? 'status', touches ? changed : 'c1'];
  const kind = random();
  if (kind < 0.6) return `SELECT id, ${columns.join(', ')} FROM ${table} WHERE id = ?`;
  if (kind < 0.8) return `UPDATE ${table} SET ${columns[1]} = ? WHERE id = 1`;
  return `INSERT INTO ${table} (id, ${columns[1]}) VALUES (1, ?)`;
}

function placeholder(lang: Lang, sql: string): string {
  if (lang === 'py') return sql.replace('?', '%s');
  if (lang === 'go' || lang === 'ts' || lang === 'sql') return sql.replace('?', '$1');
  return sql;
}

function file(lang: Lang, queries: readonly string[]): string {
  const body = queries.map((q) => placeholder(lang, q));
  switch (lang) {
    case 'ts':
      return `import type { Pool } from 'pg';\n\nexport async function run(pool: Pool, id: number): Promise<void> {\n${body.map((q) => `  await pool.query('${q}', [id]);`).join('\n')}\n}\n`;
    case 'py':
      return `def run(cursor, id):\n${body.map((q) => `    cursor.execute("${q}", (id,))`).join('\n')}\n`;
    case 'go':
      return `package store\n\nimport (\n\t"context"\n\t"database/sql"\n)\n\nfunc Run(ctx context.Context, db *sql.DB, id int64) {\n${body.map((q) => `\tdb.QueryRowContext(ctx, "${q}", id)`).join('\n')}\n}\n`;
    case 'java':
      return `package bench;\n\nimport org.springframework.jdbc.core.JdbcTemplate;\n\nclass Queries {\n  void run(JdbcTemplate jdbc, long id) {\n${body.map((q) => `    jdbc.${q.startsWith('SELECT') ? 'queryForList' : 'update'}("${q}", id);`).join('\n')}\n  }\n}\n`;
    case 'sql':
      return body.map((q) => `${q};`).join('\n\n') + '\n';
  }
}

const EXTENSION: Record<Lang, string> = { ts: 'ts', py: 'py', go: 'go', java: 'java', sql: 'sql' };

/** Writes the services under `dir` (replaced); returns their names and paths. */
export function writeFleet(dir: string): { name: string; path: string }[] {
  rmSync(dir, { recursive: true, force: true });
  const random = rng(20261207);
  const services: { name: string; path: string }[] = [];
  for (let s = 0; s < SERVICES; s++) {
    const lang = LANGUAGES[s % LANGUAGES.length] ?? 'sql';
    const name = `svc${pad(s)}-${lang}`;
    const path = join(dir, name);
    mkdirSync(join(path, 'src'), { recursive: true });
    for (let f = 0; f < FILES_PER_SERVICE; f++) {
      const queries = Array.from({ length: QUERIES_PER_SERVICE / FILES_PER_SERVICE }, () => query(random));
      writeFileSync(join(path, 'src', `q${pad(f)}.${EXTENSION[lang]}`), file(lang, queries));
    }
    services.push({ name, path });
  }
  return services;
}
