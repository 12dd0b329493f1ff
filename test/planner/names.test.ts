/**
 * Generated names within NAMEDATALEN - 1 = 63 bytes: ours cut at a character boundary with a
 * hash of the full name, the server's own (for objects the user left unnamed) as the server
 * cuts them, checked against a real server; and plans on 63-byte multibyte names applied there.
 */
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/api/plan.js';
import { inspectPostgres } from '../../src/dialects/postgres/introspect.js';
import { quoteIdent } from '../../src/dialects/postgres/quote.js';
import { applySteps, rollbackSteps } from '../../src/dialects/postgres/steps/apply.js';
import { inlineMigration } from '../../src/formats/read.js';
import { postgresHelperName as rulesHelperName } from '../../src/dialects/postgres/plan-sql.js';
import { diffSnapshots, formatDifferences } from '../../src/schema/diff.js';
import { boundedName, helperName, objectName, postgresDefaultName } from '../../src/schema/names.js';
import { createTempDatabase, describePg } from '../support/pg.js';

const bytes = (s: string) => Buffer.byteLength(s);
/** 63 bytes: 31 two-byte letters and one ASCII one. */
const TABLE63 = `${'é'.repeat(31)}t`;

describe('boundedName / objectName', () => {
  it('keeps a name that fits as it is', () => {
    expect(objectName('public.users', ['email'], 'not_null')).toBe('users_email_not_null');
    expect(boundedName('x'.repeat(58), '__new')).toBe(`${'x'.repeat(58)}__new`);
  });

  it('cuts a long name to 63 bytes at a character boundary, keeping the suffix, with a hash', () => {
    const name = objectName(`public.${TABLE63}`, ['ü'.repeat(20)], 'not_null');
    expect(bytes(name)).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^é+_[0-9a-f]{8}_not_null$/);
    // Every character survives whole: no replacement character, no lone surrogate.
    expect(Buffer.from(name, 'utf8').toString('utf8')).toBe(name);
    for (const emoji of ['😀'.repeat(20), `a${'😀'.repeat(20)}`]) {
      const cut = boundedName(emoji, '__old');
      expect(bytes(cut)).toBeLessThanOrEqual(63);
      expect(cut).toMatch(/^a?(😀)+_[0-9a-f]{8}__old$/u);
    }
  });

  it('gives different names to long names that differ only after byte 63', () => {
    const a = objectName(`public.${TABLE63}`, ['a'], 'idx');
    const b = objectName(`public.${TABLE63}`, ['b'], 'idx');
    expect(a).not.toBe(b);
    expect(boundedName('x'.repeat(70), '__new')).not.toBe(boundedName(`${'x'.repeat(69)}y`, '__new'));
  });

  it('is the one function the rules and the planner name their helpers with', () => {
    expect(rulesHelperName).toBe(helperName);
  });
});

describePg('generated names on a real server', (target) => {
  it('postgresDefaultName cuts unnamed objects as the server does (multibyte, either name longer)', async () => {
    const db = await createTempDatabase(target);
    try {
      const cases: [string, string][] = [
        [TABLE63, 'ü'.repeat(10)],
        ['t', 'ü'.repeat(40)],
        [`${'é'.repeat(20)}`, `${'ö'.repeat(20)}`],
        ['😀'.repeat(15), 'c'],
      ];
      for (const [table, column] of cases) {
        await db.client.query(`CREATE TABLE ${quoteIdent(table)} (${quoteIdent(column)} int)`);
        await db.client.query(`CREATE INDEX ON ${quoteIdent(table)} (${quoteIdent(column)})`);
        await db.client.query(
          `ALTER TABLE ${quoteIdent(table)} ADD UNIQUE (${quoteIdent(column)}), ADD PRIMARY KEY (${quoteIdent(column)})`,
        );
        // The server's own names, as the catalog stores them.
        const { rows } = await db.client.query<{ relname: string }>(
          `SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
           WHERE i.indrelid = $1::regclass ORDER BY c.relname`,
          [quoteIdent(table)],
        );
        const expected = [
          postgresDefaultName(table, column, 'idx'),
          postgresDefaultName(table, column, 'key'),
          postgresDefaultName(table, null, 'pkey'),
        ].sort();
        expect(rows.map((r) => r.relname).sort(), `${table} (${column})`).toEqual(expected);
      }
    } finally {
      await db.drop();
    }
  });

  it('two indexes planned on a table with a 63-byte name get distinct names the server keeps', async () => {
    const a = quoteIdent('ä'.repeat(20));
    const b = quoteIdent('ä'.repeat(19) + 'b');
    const t = quoteIdent(TABLE63);
    const setup = `CREATE TABLE ${t} (id int PRIMARY KEY, ${a} int, ${b} int);
      INSERT INTO ${t} SELECT g, g, g FROM generate_series(1, 100) g;`;
    const migration = `CREATE INDEX ON ${t} (${a}); CREATE INDEX ON ${t} (${b}); CREATE INDEX ON ${t} (${a});`;
    const naive = await createTempDatabase(target, setup);
    const planned = await createTempDatabase(target, setup);
    try {
      await naive.client.query(migration);
      const original = await inspectPostgres(planned.url);
      const p = await plan({ files: [inlineMigration('m.sql', migration, 'plain')], snapshot: original });
      expect(p.steps.filter((s) => !s.asWritten)).toHaveLength(3);
      await applySteps(planned.client, p.steps);
      // The server's names for the statements as written, kept byte for byte by the plan.
      const names = `SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                     WHERE i.indrelid = '${TABLE63}'::regclass AND NOT i.indisprimary ORDER BY 1`;
      const got = (await planned.client.query<{ relname: string }>(names)).rows.map((r) => r.relname);
      const want = (await naive.client.query<{ relname: string }>(names)).rows.map((r) => r.relname);
      expect(new Set(got).size).toBe(3);
      expect(got).toEqual(want);
      expect(
        formatDifferences(
          diffSnapshots(await inspectPostgres(naive.url), await inspectPostgres(planned.url)),
        ),
      ).toBe('');
      await rollbackSteps(planned.client, p.steps);
      expect(formatDifferences(diffSnapshots(original, await inspectPostgres(planned.url)))).toBe('');
    } finally {
      await Promise.all([naive.drop(), planned.drop()]);
    }
  });
});
