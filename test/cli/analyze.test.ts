/**
 * `schemapilot analyze` through the real executable, without a database: inputs, the JSON
 * contract, exit codes, and the one-line errors for bad input.
 */
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../support/cli.js';
import { tempLayout } from '../formats/support.js';
import { BRIEF_EXAMPLE, expectUsageError, json, rules } from './support.js';

// Every test here runs the real CLI (a Node process each): slow when the machine is busy.
vi.setConfig({ testTimeout: 180_000 });

const VOLATILE = 'ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()';
const DBMATE_TOKEN = 'test/fixtures/layouts/dbmate/db/migrations/20240102000000_add_users_token.sql';

describe('analyze inputs', () => {
  it('--change: the brief example is safe (exit 0)', async () => {
    const result = await runCli(['analyze', '--change', BRIEF_EXAMPLE]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✓ safe to deploy');
    expect(result.stdout).toContain('ACCESS EXCLUSIVE on public.users');
  });

  it('a file: a finding is reported at its place in the file, and the exit code is 1', async () => {
    const result = await runCli(['analyze', DBMATE_TOKEN, '--format', 'json']);
    expect(result.code).toBe(1);
    const add = json(result).statements.find((s) => s.sql.includes('api_token'));
    expect(add?.file).toBe(DBMATE_TOKEN);
    expect(add?.line).toBe(6);
    expect(add?.findings.map((f) => f.rule)).toContain('add-column-volatile-default');
  });

  it('a directory: every migration of the layout, in order; its runner decides the verdict', async () => {
    const [golang, flyway] = await Promise.all([
      runCli(['analyze', 'test/fixtures/layouts/golang-migrate', '--format', 'json']),
      runCli(['analyze', 'test/fixtures/layouts/flyway', '--format', 'json']),
    ]);
    const report = json(golang);
    expect([...new Set(report.statements.map((s) => s.file.split('/').pop()))]).toEqual([
      '000001_create_users_table.up.sql',
      '000002_add_orders.up.sql',
      '000003_users_email_lower_index.up.sql',
    ]);
    // 000002 sends CREATE INDEX CONCURRENTLY with another statement: one implicit transaction.
    expect(golang.code).toBe(1);
    expect(rules(report)).toContain('concurrently-in-transaction');
    // Flyway runs V3's CONCURRENTLY outside a transaction (its .conf says so).
    expect(rules(json(flyway))).not.toContain('concurrently-in-transaction');
    expect(flyway.code).toBe(0);
  });

  it('a popx folder: only the PostgreSQL files, and the assumptions say what was left out', async () => {
    const [popx, asDiesel] = await Promise.all([
      runCli(['analyze', 'test/fixtures/layouts/popx', '--format', 'json']),
      runCli(['analyze', '-', '--runner', 'diesel', '--format', 'json'], {
        input: 'CREATE INDEX CONCURRENTLY a_idx ON users (email);\n',
      }),
    ]);
    const report = json(popx);
    const files = [...new Set(report.statements.map((s) => s.file.split('/').pop() ?? ''))];
    expect(files.filter((f) => /\.(mysql|sqlite3|cockroach)\./.test(f))).toEqual([]);
    expect(files).toContain('20210101000000_identities.postgres.up.sql');
    expect(report.assumptions).toContainEqual(
      expect.stringMatching(
        /^popx: 3 migrations for other databases left out \(cockroach 1, mysql 1, sqlite3 1\)/,
      ),
    );
    // diesel wraps the migration in a transaction: CONCURRENTLY fails there.
    expect(rules(json(asDiesel))).toContain('concurrently-in-transaction');
    expect(asDiesel.code).toBe(1);
  });

  it('stdin (-)', async () => {
    const result = await runCli(['analyze', '-', '--format', 'json'], { input: `${VOLATILE};\n` });
    expect(result.code).toBe(1);
    const [s] = json(result).statements;
    expect(s?.file).toBe('<stdin>');
    expect(s?.findings.map((f) => f.rule)).toContain('add-column-volatile-default');
  });

  it('several paths and --change together, in the order given', async () => {
    const dir = tempLayout({ 'a.sql': 'SELECT 1;', 'b.sql': 'SELECT 2;' });
    const result = await runCli(
      ['analyze', join(dir, 'b.sql'), '--change', 'SELECT 0', join(dir, 'a.sql'), '--format', 'json'],
      {},
    );
    expect(json(result).statements.map((s) => [s.file.split('/').pop(), s.sql])).toEqual([
      ['--change', 'SELECT 0'],
      ['b.sql', 'SELECT 2'],
      ['a.sql', 'SELECT 1'],
    ]);
  });

  it('--format json prints exactly the contract keys', async () => {
    const result = await runCli(['analyze', '--change', BRIEF_EXAMPLE, '--format', 'json']);
    const report = JSON.parse(result.stdout) as Record<string, Record<string, unknown>>;
    expect(Object.keys(report)).toEqual([
      'dialect',
      'serverVersion',
      'statements',
      'assessment',
      'assumptions',
    ]);
    // The brief's keys, exactly.
    expect(Object.keys(report['assessment'] ?? {}).sort()).toEqual(
      [
        'breaking_changes',
        'performance_impact',
        'lock_duration_estimate',
        'requires_data_migration',
        'rollback_complexity',
        'safe_to_deploy',
        'recommended_approach',
      ].sort(),
    );
    const [statement] = (report['statements'] ?? []) as unknown as Record<string, unknown>[];
    for (const key of [
      'file',
      'line',
      'column',
      'sql',
      'locks',
      'rewritesTable',
      'transactional',
      'estimatedLockMs',
      'findings',
    ]) {
      expect(statement).toHaveProperty(key);
    }
  });

  it('-o writes the report to a file and prints nothing', async () => {
    const out = join(tempLayout({}), 'report.json');
    const result = await runCli(['analyze', '--change', VOLATILE, '--format', 'json', '-o', out]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
  });
});

describe('analyze and plan: nothing to analyse is not an error', () => {
  it('an empty file, --change "" and empty stdin: zero statements in every format, exit 0', async () => {
    const empty = join(tempLayout({ 'V1__placeholder.sql': '' }), 'V1__placeholder.sql');
    const formats = ['text', 'json', 'markdown', 'sarif', 'github'];
    const results = await Promise.all([
      ...formats.map((format) => runCli(['analyze', empty, '--format', format])),
      runCli(['analyze', '--change', '', '--format', 'json']),
      runCli(['analyze', '-', '--format', 'json'], { input: '' }),
      runCli(['plan', empty, '--format', 'json']),
    ]);
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
    const [text, report, markdown, sarif, github, change, stdin, plan] = results.map((r) => r.stdout);
    expect(text).toContain('✓ safe to deploy');
    expect(JSON.parse(report ?? '').statements).toEqual([]);
    expect(JSON.parse(report ?? '').assumptions).toContainEqual(
      expect.stringMatching(/V1__placeholder\.sql holds no statement/),
    );
    expect(markdown).toContain('Statements (0)');
    expect(JSON.parse(sarif ?? '').runs[0].results).toEqual([]);
    expect(github).toMatch(/^::notice /);
    expect(JSON.parse(change ?? '').statements).toEqual([]);
    expect(JSON.parse(stdin ?? '').statements).toEqual([]);
    expect(JSON.parse(plan ?? '').steps).toEqual([]);
  });
});

describe('analyze bad input: one line, exit 2', () => {
  it('a syntax error is file:line:column: message, columns counted in characters', async () => {
    const lines = [
      '-- Ünïcödé: naïve café ☕ 𝄞',
      "ALTER TABLE users ADD COLUMN city text DEFAULT 'Zürich';",
      "SELECT * FROM users WHERE name = 'José' AND AND id = 1;",
    ];
    const dir = tempLayout({ 'V1__bad.sql': lines.join('\n') + '\n' });
    const path = join(dir, 'V1__bad.sql');
    const column = (lines[2] ?? '').indexOf('AND AND') + 'AND '.length + 1;
    const result = await runCli(['analyze', path]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${path}:3:${column}: syntax error at or near "AND"\n`);
  });

  it('a syntax error in --change and on stdin names them', async () => {
    const [change, stdin] = await Promise.all([
      runCli(['analyze', '--change', 'ALTER TABLE users ADD COLUMN']),
      runCli(['analyze', '-'], { input: 'SELECT 1;\nCREATE TABLEE t (id int);\n' }),
    ]);
    // At end of input the position is one past the last character, where psql puts its caret.
    const end = 'ALTER TABLE users ADD COLUMN'.length + 1;
    expect(change.stderr).toBe(`--change:1:${end}: syntax error at end of input\n`);
    expect(stdin.stderr).toBe(`<stdin>:2:${'CREATE '.length + 1}: syntax error at or near "TABLEE"\n`);
    expect([change.code, stdin.code]).toEqual([2, 2]);
  });

  it('unknown --format, --runner, --target-version values name the flag', async () => {
    const [format, runner, version, fractional] = await Promise.all([
      runCli(['analyze', '--change', 'SELECT 1', '--format', 'xml']),
      runCli(['analyze', '--change', 'SELECT 1', '--runner', 'liquibase']),
      runCli(['analyze', '--change', 'SELECT 1', '--target-version', '9']),
      runCli(['analyze', '--change', 'SELECT 1', '--target-version', '15.2']),
    ]);
    expectUsageError(format, /^schemapilot: --format must be one of text, json.*; got "xml"$/m);
    expectUsageError(
      runner,
      /^schemapilot: --runner must be one of plain, psql, flyway, .*; got "liquibase"$/m,
    );
    expectUsageError(
      version,
      /^schemapilot: --target-version must be a PostgreSQL major from 10 to 18; got "9"$/m,
    );
    expectUsageError(fractional, /--target-version .*got "15\.2"/);
  });

  it('missing files, and nothing to analyze', async () => {
    const [missing, nothing] = await Promise.all([
      runCli(['analyze', 'migrations/nope.sql']),
      runCli(['analyze']),
    ]);
    expectUsageError(missing, /^schemapilot: migrations\/nope\.sql: no such file or directory$/m);
    expectUsageError(nothing, /nothing to analyze/);
  });

  it('--db with a bad URL never prints the password', async () => {
    const [refused, malformed, scheme, mysqlRefused, fromEnv] = await Promise.all([
      runCli(['analyze', '--change', 'SELECT 1', '--db', 'postgres://alice:s3cret-pw@127.0.0.1:1/app']),
      runCli(['analyze', '--change', 'SELECT 1', '--db', 'postgres://bob:hunter2@db.example:port/app']),
      runCli(['analyze', '--change', 'SELECT 1', '--db', 'sqlserver://carol:pa55word@127.0.0.1/app']),
      runCli(['analyze', '--change', 'SELECT 1', '--db', 'mysql://erin:letmein9@127.0.0.1:1/app']),
      runCli(['analyze', '--change', 'SELECT 1'], {
        env: { DATABASE_URL: 'postgres://dave@127.0.0.1:1/app?password=opensesame' },
      }),
    ]);
    expectUsageError(refused, /cannot connect to 127\.0\.0\.1:1\/app: connection refused/);
    expectUsageError(malformed, /invalid database URL/);
    expectUsageError(
      scheme,
      /--db: invalid database URL .*: schemapilot connects to postgres:\/\/, postgresql:\/\/, mysql:\/\/, mariadb:\/\/, sqlite:\/\/, sqlite3:\/\/, file:\/\/ URLs and \.db\/\.sqlite\/\.sqlite3\/\.db3 files, not sqlserver:\/\//,
    );
    expectUsageError(mysqlRefused, /cannot connect to erin@127\.0\.0\.1:1\/app/);
    expectUsageError(fromEnv, /cannot connect to 127\.0\.0\.1:1\/app/);
    const printed = [refused, malformed, scheme, mysqlRefused, fromEnv]
      .map((r) => r.stderr + r.stdout)
      .join('');
    for (const secret of ['s3cret-pw', 'hunter2', 'pa55word', 'letmein9', 'opensesame'])
      expect(printed).not.toContain(secret);
  });

  it('--db and --schema together are refused; --schema must be a snapshot', async () => {
    const dir = tempLayout({ 'other.json': '{"hello": "world"}', 'broken.json': '{"formatVersion": 1,' });
    const [both, notSnapshot, broken, missing] = await Promise.all([
      runCli([
        'analyze',
        '--change',
        'SELECT 1',
        '--db',
        'postgres://x@127.0.0.1:1/a',
        '--schema',
        join(dir, 'other.json'),
      ]),
      runCli(['analyze', '--change', 'SELECT 1', '--schema', join(dir, 'other.json')]),
      runCli(['analyze', '--change', 'SELECT 1', '--schema', join(dir, 'broken.json')]),
      runCli(['analyze', '--change', 'SELECT 1', '--schema', join(dir, 'none.json')]),
    ]);
    expectUsageError(both, /^schemapilot: give either --db or --schema, not both$/m);
    expectUsageError(
      notSnapshot,
      /--schema .*other\.json: \$\.formatVersion: .*\(not a snapshot from "schemapilot inspect --format json"\?\)/,
    );
    expectUsageError(broken, /--schema .*broken\.json: not a JSON snapshot/);
    expectUsageError(missing, /--schema .*none\.json: no such file/);
  });
});
