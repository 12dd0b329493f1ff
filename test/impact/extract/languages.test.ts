/**
 * Cases the fixture fleet does not show, one small file each: escapes, scopes, positions after
 * non-ASCII text, raw strings and heredoc forms, Spring Data JDBC's `@Query`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServiceExtraction } from '../../../src/core/impact.js';
import { extractService } from '../../../src/impact/extract/index.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

async function extract(file: string, text: string): Promise<ServiceExtraction> {
  const root = mkdtempSync(join(tmpdir(), 'sp-lang-'));
  roots.push(root);
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
  return extractService({ name: 's', path: root });
}

const sqls = (r: ServiceExtraction): string[] => r.queries.map((q) => q.sql.replace(/\s+/g, ' ').trim());
const at = (r: ServiceExtraction): string[] => r.queries.map((q) => `${q.line}:${q.column}`);

describe('TypeScript and JavaScript', () => {
  it('decodes escapes and counts columns in characters after non-ASCII text', async () => {
    const r = await extract(
      'a.ts',
      "const é = 'ü';\nconst x = 'ä'; await pool.query('SELECT \\'x\\', \"id\" FROM users');\n",
    );
    expect(sqls(r)).toEqual(['SELECT \'x\', "id" FROM users']);
    expect(at(r)).toEqual([`2:${"const x = 'ä'; await pool.query('".length + 1}`]);
  });

  it('does not see a constant local to another function', async () => {
    const r = await extract(
      'a.js',
      "function a() { const q = 'SELECT 1'; }\nfunction b() { return db.query(q); }\n",
    );
    expect(r.queries).toEqual([]);
    expect(r.unresolved.map((u) => [u.line, u.reason])).toEqual([
      [2, 'built from q, not a literal in this file'],
    ]);
  });

  it('reads postgres.js unsafe(), a $queryRaw call with Prisma.sql, and skips a non-SQL fragment', async () => {
    const r = await extract(
      'a.ts',
      [
        "await sql.unsafe('SELECT id FROM users WHERE id = $1', [1]);",
        'await prisma.$queryRaw(Prisma.sql`SELECT id FROM orders WHERE id = ${id}`);',
        'const where = Prisma.sql`AND id = ${id}`;',
      ].join('\n'),
    );
    expect(sqls(r)).toEqual(['SELECT id FROM users WHERE id = $1', 'SELECT id FROM orders WHERE id = $1']);
    expect(r.notChecked).toEqual([]);
  });
});

describe('Python', () => {
  it('reads raw and triple-quoted strings and class attributes through self', async () => {
    const r = await extract(
      'a.py',
      [
        'class Repo:',
        '    SQL = r"SELECT id FROM users WHERE email ~ \'\\d\'"',
        '    def f(self, cur):',
        '        cur.execute(self.SQL)',
        '        cur.execute("""SELECT id',
        '            FROM orders""")',
      ].join('\n'),
    );
    expect(sqls(r)).toEqual(["SELECT id FROM users WHERE email ~ '\\d'", 'SELECT id FROM orders']);
    expect(at(r)).toEqual([`2:${'    SQL = r"'.length + 1}`, `5:${'        cur.execute("""'.length + 1}`]);
  });
});

describe('Go', () => {
  it('decodes interpreted strings and finds the SQL after a pgx context', async () => {
    const r = await extract(
      'a.go',
      'package a\nfunc f() {\n\tconn.QueryRow(r.Context(), "SELECT \\"id\\" FROM users WHERE id = $1", 1)\n}\n',
    );
    expect(sqls(r)).toEqual(['SELECT "id" FROM users WHERE id = $1']);
    expect(at(r)).toEqual([`3:${'\tconn.QueryRow(r.Context(), "'.length + 1}`]);
  });
});

describe('Java and Kotlin', () => {
  it("checks Spring Data JDBC's @Query, which is SQL", async () => {
    const r = await extract(
      'A.java',
      'import org.springframework.data.jdbc.repository.query.Query;\ninterface A {\n  @Query("SELECT id FROM users WHERE email = :email")\n  List<Long> ids(String email);\n}\n',
    );
    expect(sqls(r)).toEqual(['SELECT id FROM users WHERE email = $1']);
  });

  it('strips trimMargin margins in Kotlin', async () => {
    const r = await extract(
      'a.kt',
      'fun f() {\n    jdbc.queryForList("""\n        |SELECT id\n        |FROM users\n    """.trimMargin())\n}\n',
    );
    expect(sqls(r)).toEqual(['SELECT id FROM users']);
  });
});

describe('Ruby', () => {
  it('reads <<- and squished heredocs, and lists an interpolated heredoc as unresolved', async () => {
    const r = await extract(
      'a.rb',
      [
        'connection.select_all(<<-SQL)',
        '  SELECT id FROM users',
        '  SQL',
        'connection.select_rows(<<~SQL.squish)',
        '  SELECT id FROM orders',
        'SQL',
        'connection.select_all(<<~SQL)',
        '  SELECT #{col} FROM orders',
        'SQL',
      ].join('\n'),
    );
    expect(sqls(r)).toEqual(['SELECT id FROM users', 'SELECT id FROM orders']);
    expect(at(r)).toEqual(['2:3', '5:3']);
    expect(r.unresolved.map((u) => u.reason)).toEqual(['a string with #{} interpolation']);
  });
});
