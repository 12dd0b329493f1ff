/**
 * How each runner wraps a file in a transaction, and that it changes verdicts: CREATE INDEX
 * CONCURRENTLY fails inside a transaction block, so where it lands decides whether the
 * migration can deploy at all. Expected modes come from each runner's source (src/formats/runners.ts).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/api/analyze.js';
import type { AnalyzedStatement } from '../../src/core/analysis.js';
import { readInline, readMigrations } from '../../src/api/read.js';
import { analyzed, CONCURRENTLY_RULE, read, statement, tempLayout } from './support.js';

const CIC = 'CREATE INDEX CONCURRENTLY';

/** The CIC statement runs inside a transaction block, and is flagged for it (or not). */
function expectInTransaction(s: AnalyzedStatement, inside: boolean): void {
  expect(s.transactional, s.sql).toBe(inside);
  expect(
    s.findings.some((f) => f.rule === CONCURRENTLY_RULE),
    s.sql,
  ).toBe(inside);
}

describe('flyway', () => {
  it('wraps each migration in a transaction, except one whose .sql.conf says executeInTransaction=false', async () => {
    const { read: r, statements } = await analyzed('flyway');
    expect(r.files.map((f) => [f.path.split('/').pop(), f.transaction])).toEqual([
      ['V1__init.sql', 'transaction'],
      ['V1.1__add_user_name.sql', 'transaction'],
      ['V2__create_orders.sql', 'transaction'],
      ['V3__orders_user_id_index.sql', 'none'],
      ['V10__add_users_email_verified.sql', 'transaction'],
      ['R__active_users_view.sql', 'transaction'],
    ]);
    expectInTransaction(statement(statements, CIC), false);
    expect(statement(statements, 'CREATE INDEX orders_created_at_idx').transactional).toBe(true);
  });

  it('runs a migration holding only CREATE INDEX CONCURRENTLY outside a transaction, as Flyway detects it', async () => {
    const dir = tempLayout({ 'V4__idx.sql': `${CIC} orders_total_idx ON orders (total);\n` });
    const { statements } = await analyzed(dir, { runner: undefined });
    expectInTransaction(statement(statements, CIC), false);
  });

  it('analyses a migration mixing CONCURRENTLY with other statements as one transaction, and says Flyway refuses it', async () => {
    const dir = tempLayout({
      'V4__idx.sql': `ALTER TABLE orders ADD COLUMN note text;\n${CIC} orders_note_idx ON orders (note);\n`,
    });
    const { read: r, statements } = await analyzed(dir);
    expectInTransaction(statement(statements, CIC), true);
    expect(r.notes.join('\n')).toMatch(
      /Flyway refuses a migration that mixes .*line 2.*executeInTransaction=false/,
    );
  });

  it('puts CONCURRENTLY in a transaction when the .conf says executeInTransaction=true', async () => {
    const dir = tempLayout({
      'V4__idx.sql': `${CIC} orders_total_idx ON orders (total);\n`,
      'V4__idx.sql.conf': 'executeInTransaction=true\n',
    });
    expectInTransaction(statement((await analyzed(dir)).statements, CIC), true);
  });

  it('follows Flyway on what it runs outside a transaction: ADD VALUE before 12, not REINDEX TABLE CONCURRENTLY', async () => {
    const enumFile = tempLayout({ 'V5__enum.sql': "ALTER TYPE order_status ADD VALUE 'refunded';\n" });
    expect((await read(enumFile, { major: 11 })).files[0]?.transaction).toBe('none');
    expect((await read(enumFile, { major: 12 })).files[0]?.transaction).toBe('transaction');
    const reindex = tempLayout({ 'V6__reindex.sql': 'REINDEX TABLE CONCURRENTLY orders;\n' });
    expect((await read(reindex)).files[0]?.transaction).toBe('transaction');
  });
});

describe('golang-migrate', () => {
  it('runs a multi-statement file as one implicit transaction, a single statement on its own', async () => {
    const { read: r, statements } = await analyzed('golang-migrate');
    expect(r.files.map((f) => f.transaction)).toEqual(['implicit', 'implicit', 'implicit']);
    expectInTransaction(statement(statements, `${CIC} IF NOT EXISTS orders_status_idx`), true);
    expectInTransaction(statement(statements, `${CIC} IF NOT EXISTS users_email_lower_idx`), false);
    expect(statement(statements, 'CREATE TABLE IF NOT EXISTS users').transactional).toBe(false);
  });
});

describe('dbmate', () => {
  it('wraps the up section in a transaction unless transaction:false', async () => {
    const { read: r, statements } = await analyzed('dbmate');
    expect(r.files.map((f) => f.transaction)).toEqual(['transaction', 'transaction', 'implicit']);
    expect(statement(statements, 'create table users').transactional).toBe(true);
    expectInTransaction(statement(statements, 'create index concurrently'), false);
  });

  it('still runs several statements of a transaction:false section in one implicit transaction', async () => {
    const dir = tempLayout({
      '20240104000000_idx.sql':
        '-- migrate:up transaction:false\nSET lock_timeout = 2000;\ncreate index concurrently a_idx on users (email);\n\n-- migrate:down\n',
    });
    expectInTransaction(statement((await analyzed(dir)).statements, 'create index concurrently'), true);
  });
});

describe('prisma', () => {
  it('before 7.4 (here 6.19 from package.json) sends each migration.sql as one implicit transaction', async () => {
    const { read: r, statements } = await analyzed('prisma');
    expect(r.notes).toEqual([]);
    expect(r.files.map((f) => f.transaction)).toEqual(['implicit', 'implicit', 'implicit']);
    expect(statement(statements, 'CREATE UNIQUE INDEX').transactional).toBe(true);
    expectInTransaction(statement(statements, CIC), false);
  });

  it('from 7.4 sends statement after statement, each on its own', async () => {
    const migration = `-- CreateIndex\nSET lock_timeout = '2s';\n${CIC} "Order_total_idx" ON "Order"("total");\n`;
    const dir = tempLayout({
      'package.json': JSON.stringify({ devDependencies: { prisma: '^7.8.0' } }),
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
      'prisma/migrations/20240401000000_total_idx/migration.sql': migration,
    });
    expectInTransaction(statement((await analyzed(dir)).statements, CIC), false);
    const installed = tempLayout({
      'node_modules/prisma/package.json': JSON.stringify({ name: 'prisma', version: '7.3.1' }),
      'prisma/migrations/20240401000000_total_idx/migration.sql': migration,
    });
    expectInTransaction(statement((await analyzed(installed)).statements, CIC), true);
  });

  it('says what it assumed when it cannot find the Prisma version', async () => {
    const dir = tempLayout({ 'migrations/20240401000000_a/migration.sql': 'SELECT 1;\n' });
    const r = await read(dir);
    expect(r.files[0]?.transaction).toBe('implicit');
    expect(r.notes.join('\n')).toMatch(/Prisma version not found/);
  });
});

describe('diesel', () => {
  it('runs each migration in its own transaction, without one when metadata.toml says run_in_transaction = false', async () => {
    const { read: r, statements } = await analyzed('diesel');
    expect(r.files.map((f) => f.transaction)).toEqual([
      'transaction',
      'transaction',
      'implicit',
      'transaction',
    ]);
    expectInTransaction(statement(statements, `${CIC} books_title_idx`), false);
    expectInTransaction(statement(statements, `${CIC} loans_due_idx`), true);
  });

  it('without its transaction, still sends up.sql as one query: several statements share an implicit transaction', async () => {
    const dir = tempLayout({
      '2023-01-01-000000_idx/up.sql': `SET lock_timeout = '2s';\n${CIC} a_idx ON users (email);\n`,
      '2023-01-01-000000_idx/metadata.toml': 'run_in_transaction = false\n',
    });
    expectInTransaction(statement((await analyzed(dir)).statements, CIC), true);
  });

  it('reads a metadata.toml that does not set run_in_transaction as false, as diesel does, and says so', async () => {
    const dir = tempLayout({
      '2023-01-01-000000_idx/up.sql': `${CIC} a_idx ON users (email);\n`,
      '2023-01-01-000000_idx/metadata.toml': '# nothing set\n',
    });
    const { read: r, statements } = await analyzed(dir);
    expectInTransaction(statement(statements, CIC), false);
    expect(r.notes.join('\n')).toMatch(
      /metadata\.toml does not set run_in_transaction, which diesel then reads as false/,
    );
  });

  it('notes that diesel refuses an up.sql of 0 bytes, which is analysed as nothing', async () => {
    const dir = tempLayout({
      '2023-01-01-000000_a/up.sql': '',
      '2023-01-02-000000_b/up.sql': '-- Your SQL goes here\n',
    });
    const { read: r, statements } = await analyzed(dir);
    expect(statements).toEqual([]);
    expect(r.notes.filter((n) => /diesel refuses an empty up\.sql/.test(n))).toHaveLength(1);
  });
});

describe('sqlx', () => {
  it('runs each migration in a transaction, unless the file starts with -- no-transaction', async () => {
    const { read: r, statements } = await analyzed('sqlx');
    expect(r.files.map((f) => f.transaction)).toEqual([
      'transaction',
      'transaction',
      'transaction',
      'implicit',
    ]);
    expectInTransaction(statement(statements, `${CIC} accounts_owner_idx`), false);
    expectInTransaction(statement(statements, `${CIC} accounts_balance_idx`), true);
  });

  it('takes -- no-transaction only as the very first bytes, as sqlx does', async () => {
    const late = `\n-- no-transaction\n${CIC} a_idx ON users (email);\n`;
    const first = `-- no-transaction\n${CIC} a_idx ON users (email);\n`;
    const dir = tempLayout({ 'Cargo.toml': '[dependencies]\nsqlx = "0.8"\n', 'migrations/1_late.sql': late });
    expectInTransaction(statement((await analyzed(dir)).statements, CIC), true);
    const inline = await readInline('--change', first, { runner: 'sqlx' });
    expect(inline.files.map((f) => f.transaction)).toEqual(['implicit']);
  });
});

describe('popx', () => {
  it('runs each migration in a transaction on PostgreSQL, unless its name says .autocommit', async () => {
    const { read: r, statements } = await analyzed('popx');
    expect(r.files.map((f) => f.transaction)).toEqual([
      'transaction',
      'transaction',
      'implicit',
      'transaction',
    ]);
    expectInTransaction(statement(statements, `${CIC} identities_state_idx`), false);
    expectInTransaction(statement(statements, `${CIC} sessions_identity_id_idx`), true);
  });

  it('sends an .autocommit file as one query: several statements share an implicit transaction', async () => {
    const dir = tempLayout({
      '1_a.postgres.autocommit.up.sql': `SET lock_timeout = '2s';\n${CIC} a_idx ON users (email);\n`,
      '1_a.mysql.up.sql': 'SELECT 1;',
    });
    expectInTransaction(statement((await analyzed(dir)).statements, CIC), true);
  });
});

describe('drizzle, sqitch, alembic, plain', () => {
  it('drizzle runs migrations inside its transaction', async () => {
    const { read: r, statements } = await analyzed('drizzle');
    expect(r.files.map((f) => f.transaction)).toEqual(['transaction', 'transaction']);
    expect(statements.every((s) => s.transactional)).toBe(true);
  });

  it('drizzle runs all pending migrations in one transaction: a lock taken in one file is still held in the next', async () => {
    const journal = {
      version: '7',
      dialect: 'postgresql',
      entries: ['0000_a', '0001_b'].map((tag, idx) => ({
        idx,
        version: '7',
        when: 1704067200000 + idx,
        tag,
        breakpoints: true,
      })),
    };
    const files = {
      'meta/_journal.json': JSON.stringify(journal),
      '0000_a.sql': 'ALTER TABLE "users" ADD COLUMN "a" integer;',
      '0001_b.sql': 'ALTER TABLE "users" ADD COLUMN "b" integer;',
    };
    const lockTimeoutFindings = async (runner?: 'dbmate') => {
      const { statements } = await analyzed(tempLayout(files), runner ? { runner } : {});
      return statements.map((s) => s.findings.filter((f) => f.rule === 'lock-timeout-missing').length);
    };
    // The second ALTER does not queue for ACCESS EXCLUSIVE again: the transaction already holds it.
    expect(await lockTimeoutFindings()).toEqual([1, 0]);
    // A runner with one transaction per file queues twice.
    expect(await lockTimeoutFindings('dbmate')).toEqual([1, 1]);
  });

  it('sqitch and alembic scripts are in a transaction between their own BEGIN and COMMIT only', async () => {
    const sqitch = (await analyzed('sqitch')).statements;
    expect(statement(sqitch, 'CREATE TABLE flipr.flips').transactional).toBe(true);
    expectInTransaction(statement(sqitch, CIC), false);
    const alembic = (await analyzed('alembic')).statements;
    expect(statement(alembic, 'ALTER TABLE account ADD COLUMN').transactional).toBe(true);
    // op.get_context().autocommit_block() emits COMMIT; … BEGIN; around the index.
    expectInTransaction(statement(alembic, CIC), false);
  });

  it('plain files run as psql -f runs them: CONCURRENTLY is fine unless the file says BEGIN', async () => {
    expectInTransaction(statement((await analyzed('plain')).statements, CIC), false);
    const dir = tempLayout({ '001_idx.sql': `BEGIN;\n${CIC} a_idx ON users (email);\nCOMMIT;\n` });
    expectInTransaction(statement((await analyzed(dir)).statements, CIC), true);
  });
});

describe('--runner', () => {
  it('overrides the detected layout: the files stay, the transactions follow the runner', async () => {
    const asPsql = await read('flyway', { runner: 'psql' });
    expect(asPsql.layout).toBe('flyway');
    expect(asPsql.runner).toBe('psql');
    expect(asPsql.files).toHaveLength(6);
    expect(asPsql.files.every((f) => f.transaction === 'none')).toBe(true);

    const asDbmate = await analyzed('golang-migrate', { runner: 'dbmate' });
    expectInTransaction(statement(asDbmate.statements, `${CIC} IF NOT EXISTS users_email_lower_idx`), true);
  });

  it('applies to a single file too', async () => {
    const file = tempLayout({ 'idx.sql': `${CIC} a_idx ON users (email);\n` }) + '/idx.sql';
    const plain = await readMigrations(file);
    const flyway = await readMigrations(file, { runner: 'knex' });
    const [p, f] = await Promise.all([analyze({ files: plain.files }), analyze({ files: flyway.files })]);
    expectInTransaction(statement(p.statements, CIC), false);
    expectInTransaction(statement(f.statements, CIC), true);
  });
});
