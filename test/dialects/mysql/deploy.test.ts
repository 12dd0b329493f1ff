/**
 * deploy, status and rollback on MariaDB: a plan deployed and journaled in database
 * `schemapilot` (rows of this database only), the CLI on a migration file, and the deploy lock
 * (GET_LOCK) refusing a second deployer with the holder's connection id.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deploy } from '../../../src/deploy/deploy.js';
import { DeployRefusedError } from '../../../src/deploy/lock.js';
import { rollbackDeploy } from '../../../src/deploy/rollback.js';
import { deployLockName } from '../../../src/dialects/mysql/deploy/lock.js';
import { mysqlDialect } from '../../../src/dialects/mysql/index.js';
import { runCli } from '../../support/cli.js';
import {
  columnsOf,
  connection,
  deployOptions,
  journalSteps,
  planOf,
  schemaHash,
  stepOf,
  dropWithJournal,
} from './deploy-support.js';
import { adminRun, createTempDatabase, describeMysql, type TempDatabase } from './support.js';

const TABLE = [
  'CREATE TABLE accounts (id int PRIMARY KEY AUTO_INCREMENT, email varchar(200) NOT NULL) ENGINE=InnoDB',
  "INSERT INTO accounts (email) VALUES ('a@example.com'), ('b@example.com'), ('c@example.com')",
];

describeMysql('deploy on MariaDB: journal, status, rollback, deploy lock', (serverUrl) => {
  let db: TempDatabase;
  let other: TempDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'sp-mysql-deploy-'));
  beforeAll(async () => {
    db = await createTempDatabase(serverUrl, TABLE);
    other = await createTempDatabase(serverUrl, TABLE);
  });
  afterAll(async () => {
    await dropWithJournal(serverUrl, db);
    await dropWithJournal(serverUrl, other);
  });

  it('deploys a plan step by step, journals it in database schemapilot, and rolls it back', async () => {
    const before = await schemaHash(db.url);
    const plan = planOf(
      [
        stepOf('expand-1', ['ALTER TABLE accounts ADD COLUMN nickname varchar(50) NULL'], {
          rollback: ['ALTER TABLE accounts DROP COLUMN nickname'],
        }),
        stepOf('expand-2', ['CREATE INDEX accounts_email ON accounts (email)'], {
          rollback: ['DROP INDEX accounts_email ON accounts'],
        }),
      ],
      before,
    );
    const events: string[] = [];
    const result = await deploy(
      deployOptions(db.url, plan, {
        onEvent: (e) => void events.push(`${e.type}:${'step' in e ? e.step : ''}`),
      }),
    );
    expect(result.incident).toBeNull();
    expect(result.deploy?.status).toBe('succeeded');
    expect(events).toEqual([
      'deploy-start:',
      'step-start:expand-1',
      'step-done:expand-1',
      'step-start:expand-2',
      'step-done:expand-2',
      'deploy-end:',
    ]);
    expect(await columnsOf(db.url, 'accounts')).toEqual(['id', 'email', 'nickname']);
    // Each DDL statement is counted in the journal as it commits.
    expect(await journalSteps(serverUrl, db.name)).toEqual([
      { step_id: 'expand-1', status: 'done', statements_done: 1, backfill: null },
      { step_id: 'expand-2', status: 'done', statements_done: 1, backfill: null },
    ]);
    // The journal's database is not part of the schema: its hash moved only with the plan.
    expect(await schemaHash(db.url)).not.toBe(before);

    const rolledBack = await rollbackDeploy({ dialect: mysqlDialect, url: db.url });
    expect(rolledBack.rolledBack).toEqual(['expand-2', 'expand-1']);
    expect(rolledBack.complete).toBe(true);
    expect(await schemaHash(db.url)).toBe(before);
  });

  it('status and rollback read the journal of the URL database only, through the CLI', async () => {
    const mine = await runCli(['status', '--db', db.url]);
    expect(mine.stdout).toMatch(/^deploy \d+ rolled back · started .* · by root@/);
    expect(mine.stdout).toMatch(/expand-1\s+rolled back\s+expand-1: 1 statement\(s\)/);
    const theirs = await runCli(['status', '--db', other.url]);
    expect(theirs.code).toBe(0);
    expect(theirs.stdout).toContain('no deploys yet');
  });

  it('deploy --dry-run, deploy, status and rollback of a migration file through the CLI', async () => {
    const before = await schemaHash(db.url);
    const migration = join(dir, 'add_note.sql');
    writeFileSync(migration, 'ALTER TABLE accounts ADD COLUMN note text NULL;\n');
    const dry = await runCli(['deploy', migration, '--db', db.url, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(
      /^dry run: the live schema matches the plan; 1 step\(s\) would run: expand-1\./,
    );
    expect(await columnsOf(db.url, 'accounts')).toEqual(['id', 'email']);

    const deployed = await runCli(['deploy', migration, '--db', db.url, '--skip-validate']);
    expect(deployed.stderr).toContain('expand-1 done');
    expect(deployed.code).toBe(0);
    expect(deployed.stdout).toMatch(/^deploy \d+ succeeded: 1 step\(s\)/);
    expect(await columnsOf(db.url, 'accounts')).toEqual(['id', 'email', 'note']);
    const status = await runCli(['status', '--db', db.url, '--format', 'json']);
    const record = JSON.parse(status.stdout) as {
      status: string;
      steps: { status: string; statementsDone: number }[];
    };
    expect(record.status).toBe('succeeded');
    expect(record.steps).toEqual([expect.objectContaining({ status: 'done', statementsDone: 1 })]);

    const undone = await runCli(['rollback', '--db', db.url]);
    expect(undone.stdout).toMatch(/rolled back expand-1$/m);
    expect(undone.code).toBe(0);
    expect(await schemaHash(db.url)).toBe(before);
  }, 60_000);

  it("a damaged journal row is reported with how to set this database's journal aside, which works", async () => {
    const plan = planOf([stepOf('expand-1', ['DO 1'])], await schemaHash(db.url));
    expect((await deploy(deployOptions(db.url, plan))).deploy?.status).toBe('succeeded');
    await adminRun(serverUrl, [
      `UPDATE schemapilot.journal SET status = 'half-done' WHERE deploy_id = (SELECT MAX(id) FROM schemapilot.deploys WHERE target_database = '${db.name}')`,
    ]);
    const status = await runCli(['status', '--db', db.url]);
    expect(status.code).toBe(1);
    expect(status.stderr).toMatch(
      /the deploy journal \(database "schemapilot", the rows of this database\) is damaged: deploy \d+, step 1 \(expand-1\) has the unknown status "half-done"\. Nothing was changed\./,
    );
    const repair =
      /set this database's journal aside with (UPDATE schemapilot\.deploys .*? = DATABASE\(\)),/.exec(
        status.stderr,
      )?.[1];
    expect(repair).toBeDefined();
    await adminRun(db.url, [repair ?? '']);
    const after = await runCli(['status', '--db', db.url]);
    expect(after.stdout).toContain('no deploys yet');
  });

  it('refuses a second deployer while the deploy lock is held, naming the holder connection', async () => {
    const holder = await connection(db.url);
    try {
      const [rows] = await holder.query<RowDataPacket[]>('SELECT GET_LOCK(?, 0) AS ok', [
        deployLockName(db.name),
      ]);
      expect(rows[0]?.['ok']).toBe(1);
      const plan = planOf(
        [stepOf('expand-1', ['ALTER TABLE accounts ADD COLUMN never_added int NULL'])],
        await schemaHash(db.url),
      );
      const attempt = deploy(deployOptions(db.url, plan));
      await expect(attempt).rejects.toBeInstanceOf(DeployRefusedError);
      await expect(attempt).rejects.toThrow(
        new RegExp(
          `another schemapilot deploy or rollback is running on this database \\(connection id ${holder.threadId} \\(root@`,
        ),
      );
      expect(await columnsOf(db.url, 'accounts')).not.toContain('never_added');
      const cli = await runCli(['rollback', '--db', db.url]);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain(`connection id ${holder.threadId}`);
    } finally {
      await holder.end(); // the server lets the lock go with the connection
    }
    const observer = await connection(db.url);
    try {
      // The server frees a connection's user locks as it ends; that takes a moment after end().
      let free = 0;
      for (let i = 0; i < 50 && free !== 1; i++) {
        const [rows] = await observer.query<RowDataPacket[]>('SELECT IS_FREE_LOCK(?) AS free', [
          deployLockName(db.name),
        ]);
        free = Number(rows[0]?.['free']);
        if (free !== 1) await new Promise((r) => setTimeout(r, 20));
      }
      expect(free).toBe(1);
    } finally {
      await observer.end();
    }
  });
});
