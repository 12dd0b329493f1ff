/**
 * `schemapilot analyze --db mysql://…` on a table with rows: the facts reach the statement JSON
 * (algorithm, rewritesTable, blocksWrites, metadata locks), the assessment (a write-blocking
 * copy whose duration follows the table size) and the text report (MySQL's lock words, not
 * PostgreSQL's).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../../../support/cli.js';
import { createTempDatabase, describeMysql, type TempDatabase } from '../support.js';

describeMysql('analyze on MariaDB', (serverUrl) => {
  let db: TempDatabase;
  const tables: Record<string, number> = { users: 20_000, events: 2_000 };
  beforeAll(async () => {
    db = await createTempDatabase(serverUrl, [
      ...Object.entries(tables).flatMap(([name, rows]) => [
        `CREATE TABLE ${name} (id int PRIMARY KEY AUTO_INCREMENT, email varchar(100), filler varchar(1000))`,
        `INSERT INTO ${name} (email, filler) SELECT concat('u', seq), repeat('x', 1000) FROM seq_1_to_${rows}`,
        `ANALYZE TABLE ${name}`,
      ]),
    ]);
  });
  afterAll(async () => db?.drop());

  const uuid = (table: string) => `ALTER TABLE ${table} ADD COLUMN token char(36) DEFAULT (uuid())`;

  it('reports DEFAULT (uuid()) as a write-blocking copy, for a time that grows with the table', async () => {
    const run = async (table: string) => {
      const r = await runCli(['analyze', '--db', db.url, '--change', uuid(table), '--format', 'json']);
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as {
        statements: Record<string, unknown>[];
        assessment: { lock_duration_estimate: string; performance_impact: string };
      };
    };
    const big = await run('users');
    const small = await run('events');
    expect(big.statements[0]).toMatchObject({
      algorithm: 'COPY',
      rewritesTable: true,
      blocksWrites: true,
      blocksReads: false,
      evidence: 'server-verified',
      transactional: false,
      locks: [{ table: `${db.name}.users`, mode: 'SHARED_NO_WRITE' }],
    });
    expect(big.assessment.lock_duration_estimate).toMatch(
      new RegExp(`^[\\d.]+ seconds \\(SHARED_NO_WRITE on ${db.name}\\.users, blocks writes\\)$`),
    );
    // Ten times the rows, about ten times the estimate.
    const ms = (o: typeof big) => Number(o.statements[0]?.['estimatedLockMs']);
    expect(ms(big)).toBeGreaterThan(5 * ms(small));
  });

  it('says in the text report what waits, in MySQL terms', async () => {
    const copy = await runCli(['analyze', '--db', db.url, '--change', uuid('users')]);
    expect(copy.stdout).toMatch(
      /SHARED_NO_WRITE on \S+\.users \(blocks writes\) · ALGORITHM=COPY, rewrites table/,
    );
    const instant = await runCli([
      'analyze',
      '--db',
      db.url,
      '--change',
      'ALTER TABLE users ADD COLUMN note int',
    ]);
    expect(instant.stdout).toMatch(
      /EXCLUSIVE on \S+\.users \(blocks reads and writes for a moment\) · ALGORITHM=INSTANT/,
    );
    const online = await runCli([
      'analyze',
      '--db',
      db.url,
      '--change',
      'ALTER TABLE users ADD INDEX users_email (email)',
    ]);
    expect(online.stdout).toMatch(
      /SHARED_UPGRADABLE on \S+\.users \(reads and writes go on\) · ALGORITHM=NOCOPY/,
    );
  });
});
