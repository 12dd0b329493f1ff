/**
 * Every fixture service, extracted: exactly the marked queries (file, line, column, normalised
 * SQL, parameter count), exactly the marked dynamic calls as unresolved, JPQL as not checked,
 * nothing from comments, migration folders or vendored code. Then the server confirms the
 * fixture table: each extracted query prepares on the schema before the migration, and after it
 * fails with 42703 exactly when the table says it breaks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { ServiceExtraction } from '../../../src/core/impact.js';
import { extractService } from '../../../src/impact/extract/index.js';
import { createTempDatabase, describePg, type TempDatabase } from '../../support/pg.js';
import { collapse, FLEET, FLEET_DIR, FLEET_MIGRATION, FLEET_SCHEMA, marked } from './fleet.js';

const extractions = new Map<string, ServiceExtraction>();

async function extraction(name: string): Promise<ServiceExtraction> {
  let found = extractions.get(name);
  if (found === undefined) {
    found = await extractService({ name, path: join(FLEET_DIR, name) });
    extractions.set(name, found);
  }
  return found;
}

const byPosition = <T extends { file: string; line: number }>(a: T, b: T): number =>
  a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line;

describe('extractService on the fixture fleet', () => {
  for (const service of FLEET) {
    describe(service.name, () => {
      it('finds exactly the marked queries, where their SQL starts, normalised', async () => {
        const result = await extraction(service.name);
        const expected = service.queries
          .map((query) => {
            const at = marked(service.name, 'query', query.id);
            const first = query.startsWith ?? query.sql.split(' ')[0] ?? '';
            expect(at.text, `${query.id}: the marked line holds the query`).toContain(first);
            return {
              file: at.file,
              line: at.line,
              column: at.text.indexOf(first) + 1,
              sql: query.sql,
              parameters: query.parameters,
            };
          })
          .sort(byPosition);
        const actual = result.queries
          .map((x) => ({
            file: x.file,
            line: x.line,
            column: x.column,
            sql: collapse(x.sql),
            parameters: x.parameters,
          }))
          .sort(byPosition);
        expect(actual).toEqual(expected);
        expect(
          result.queries.every((x) => x.language === service.languages.find((l) => l === x.language)),
        ).toBe(true);
      });

      it('lists the dynamic calls as unresolved, with a reason, and nothing else', async () => {
        const result = await extraction(service.name);
        const expected = service.unresolved
          .map((id) => marked(service.name, 'unresolved', id))
          .map((m) => ({ file: m.file, line: m.line }));
        const actual = result.unresolved.map((u) => ({ file: u.file, line: u.line }));
        expect(actual.sort(byPosition)).toEqual(expected.sort(byPosition));
        for (const u of result.unresolved) expect(u.reason.length).toBeGreaterThan(5);
      });

      it('lists JPQL as not checked', async () => {
        const result = await extraction(service.name);
        const jpql = (result.notChecked ?? [])
          .filter((n) => /JPQL/.test(n.reason))
          .map((n) => ({ file: n.file, line: n.line }));
        const expected = service.notChecked
          .map((id) => marked(service.name, 'jpql', id))
          .map((m) => ({ file: m.file, line: m.line }));
        expect(jpql.sort(byPosition)).toEqual(expected.sort(byPosition));
      });

      it('says which languages it read', async () => {
        const result = await extraction(service.name);
        expect([...result.languages].sort()).toEqual([...service.languages].sort());
        expect(result.filesScanned).toBe(
          Object.values(result.filesByLanguage ?? {}).reduce((a, b) => a + b, 0),
        );
      });
    });
  }

  it('reads nothing from comments, migration folders, vendor or a schema dump', async () => {
    const all = await Promise.all(FLEET.map((s) => extraction(s.name)));
    const files = all.flatMap((r) => r.queries.map((x) => x.file));
    expect(files.filter((f) => /(^|\/)(migrations?|migrate|alembic|vendor)\//.test(f))).toEqual([]);
    expect(files).not.toContain('db/schema.sql');
    // Comments and docstrings hold `SELECT note FROM orders` and `SELECT name FROM users` alone.
    const sqls = all.flatMap((r) => r.queries.map((x) => collapse(x.sql)));
    expect(sqls).not.toContain('SELECT note FROM orders');
    expect(sqls).not.toContain('SELECT name FROM users');
  });

  it('lists a transaction statement as not a query, and skips text that is not SQL', async () => {
    const ts = await extraction('orders-ts');
    expect((ts.notChecked ?? []).map((n) => n.reason)).toEqual(['not a query (nothing to prepare)']);
    const rb = await extraction('admin-rb');
    expect(rb.notChecked ?? []).toEqual([]);
  });
});

describePg('the fixture table, confirmed by the server', (target) => {
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase(target, FLEET_SCHEMA);
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** The SQLSTATE of PREPARE, or null when the server accepts the query. */
  async function prepare(sql: string): Promise<string | null> {
    try {
      await db.client.query(`PREPARE fleet_query AS ${sql}`);
      await db.client.query('DEALLOCATE fleet_query');
      return null;
    } catch (error) {
      return (error as { code?: string }).code ?? 'unknown';
    }
  }

  it('every extracted query prepares before the migration, and exactly the marked ones fail after it', async () => {
    const queries = (await Promise.all(FLEET.map((s) => extraction(s.name)))).flatMap((r) =>
      r.queries.map((x) => ({ service: r.service, ...x })),
    );
    const expected = FLEET.flatMap((s) =>
      s.queries.map((x) => [`${s.name} ${collapse(x.sql)}`, x.breaks] as const),
    );
    expect(queries.length).toBe(expected.length);
    const failing: string[] = [];
    for (const x of queries) {
      const code = await prepare(x.sql);
      if (code !== null) failing.push(`${x.service} ${x.file}:${x.line} ${code}`);
    }
    expect(failing).toEqual([]);

    await db.client.query(FLEET_MIGRATION);
    const broken: string[] = [];
    for (const x of queries) {
      const code = await prepare(x.sql);
      if (code !== null) broken.push(`${x.service} ${collapse(x.sql)} ${code}`);
    }
    const marked = expected.filter(([, breaks]) => breaks).map(([key]) => `${key} 42703`);
    expect(broken.sort()).toEqual(marked.sort());
  });
});
