/**
 * A step of three DDL statements whose last one fails on the data (a unique key over duplicate
 * names) on MariaDB. DDL commits statement by statement, so the first two stay applied: the
 * report says exactly which ran, which failed, which did not run, and the rollback runs the
 * inverses of the two that ran, last first, and nothing for the one that failed.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Plan } from '../../../src/core/plan.js';
import { deploy } from '../../../src/deploy/deploy.js';
import { rollbackDeploy } from '../../../src/deploy/rollback.js';
import { mysqlIncidentWords } from '../../../src/dialects/mysql/deploy/incident.js';
import { mysqlDialect } from '../../../src/dialects/mysql/index.js';
import {
  renderIncidentJson,
  renderIncidentMarkdown,
  renderIncidentText,
} from '../../../src/reporters/incident/index.js';
import {
  columnsOf,
  deployOptions,
  journalSteps,
  planOf,
  schemaHash,
  stepOf,
  dropWithJournal,
} from './deploy-support.js';
import { adminRun, createTempDatabase, describeMysql, type TempDatabase } from './support.js';

describeMysql('deploy on MariaDB: a multi-statement step that fails half way', (serverUrl) => {
  let db: TempDatabase;
  let plan: Plan;
  let before: string;
  beforeEach(async () => {
    db = await createTempDatabase(serverUrl, [
      'CREATE TABLE users (id int PRIMARY KEY AUTO_INCREMENT, name varchar(40) NOT NULL) ENGINE=InnoDB',
      "INSERT INTO users (name) VALUES ('ada'), ('bob'), ('ada')",
    ]);
    before = await schemaHash(db.url);
    plan = planOf(
      [
        stepOf(
          'expand-1',
          [
            'ALTER TABLE users ADD COLUMN handle varchar(40) NULL',
            'CREATE INDEX users_handle ON users (handle)',
            'ALTER TABLE users ADD UNIQUE KEY users_name (name)',
          ],
          {
            rollback: [
              'ALTER TABLE users DROP KEY users_name',
              'DROP INDEX users_handle ON users',
              'ALTER TABLE users DROP COLUMN handle',
            ],
            statementRollback: [
              ['ALTER TABLE users DROP COLUMN handle'],
              ['DROP INDEX users_handle ON users'],
              ['ALTER TABLE users DROP KEY users_name'],
            ],
          },
        ),
      ],
      before,
    );
  });
  afterEach(async () => {
    await dropWithJournal(serverUrl, db);
  });

  it('reports statement by statement and the automatic rollback undoes the two that ran', async () => {
    const result = await deploy(deployOptions(db.url, plan));
    const incident = result.incident!;
    expect(incident.cause).toBe('error');
    expect(incident.error.sqlstate).toBe('1062');
    expect(incident.failedStep.statementsDone).toBe(2);
    expect(incident.rolledBack).toEqual(['expand-1']);
    expect(incident.rollbackErrors).toEqual([]);
    expect(incident.schemaRestored).toBe(true);
    expect(await schemaHash(db.url)).toBe(before);

    const md = renderIncidentMarkdown(incident, plan, mysqlIncidentWords);
    expect(md).toContain(
      'half applied: statement(s) 1–2 of 3 committed (DDL is not transactional here), statement 3 failed.',
    );
    expect(md).toContain('| 1 | committed | `ALTER TABLE users ADD COLUMN handle varchar(40) NULL` |');
    expect(md).toContain('| 2 | committed | `CREATE INDEX users_handle ON users (handle)` |');
    expect(md).toContain('| 3 | **failed** | `ALTER TABLE users ADD UNIQUE KEY users_name (name)` |');
    expect(md).toContain(
      'The automatic rollback ran the inverses of the statements that committed, last first:',
    );
    expect(md).toContain(
      '```sql\nDROP INDEX users_handle ON users;\nALTER TABLE users DROP COLUMN handle;\n```',
    );
    expect(md).toContain('`1062` ER_DUP_ENTRY');
    expect(md).toContain('existing rows break the constraint (ER\\_DUP\\_ENTRY)');
  });

  it('without automatic rollback, says what is still applied and `rollback` undoes exactly that', async () => {
    const result = await deploy(deployOptions(db.url, plan, { autoRollback: false }));
    const incident = result.incident!;
    expect(result.deploy?.status).toBe('failed');
    expect(await columnsOf(db.url, 'users')).toEqual(['id', 'name', 'handle']);

    const json = JSON.parse(renderIncidentJson(incident, plan, mysqlIncidentWords)) as {
      stillApplied: string[];
      remainingRollbackSql: string[];
      statements: { ran: { n: number }[]; stopped: { n: number; outcome: string }; notRun: unknown[] };
    };
    expect(json.stillApplied).toEqual(['expand-1']);
    expect(json.remainingRollbackSql).toEqual([
      'DROP INDEX users_handle ON users',
      'ALTER TABLE users DROP COLUMN handle',
    ]);
    expect(json.statements.ran.map((s) => s.n)).toEqual([1, 2]);
    expect(json.statements.stopped).toEqual(expect.objectContaining({ n: 3, outcome: 'failed' }));
    const text = renderIncidentText(incident, plan, undefined, mysqlIncidentWords);
    expect(text).toMatch(/failed\s+3\. ALTER TABLE users ADD UNIQUE KEY users_name \(name\)/);
    expect(text).toContain('Not undone: the statements that ran are still applied.');
    expect(text).toMatch(/Still applied: expand-1/);

    const undone = await rollbackDeploy({ dialect: mysqlDialect, url: db.url });
    expect(undone.rolledBack).toEqual(['expand-1']);
    expect(undone.errors).toEqual([]);
    expect(await schemaHash(db.url)).toBe(before);
    expect((await journalSteps(serverUrl, db.name))[0]).toEqual(
      expect.objectContaining({ status: 'rolled back', statements_done: 2 }),
    );
  });

  it('without automatic rollback, the rerun after the data is fixed runs only the statement that failed', async () => {
    const failed = await deploy(deployOptions(db.url, plan, { autoRollback: false }));
    expect(failed.deploy?.status).toBe('failed');
    await adminRun(db.url, ["DELETE FROM users WHERE name = 'ada' AND id > 1"]);
    const events: string[] = [];
    const again = await deploy(
      deployOptions(db.url, plan, {
        onEvent: (e) => void (e.type === 'deploy-start' && events.push(`resumed ${e.resumed}`)),
      }),
    );
    expect(events).toEqual(['resumed true']);
    expect(again.deploy?.id).toBe(failed.deploy?.id);
    expect(again.deploy?.status).toBe('succeeded');
    // Statements 1 and 2 were not run again (they would fail: the column and index exist).
    expect(again.deploy?.steps[0]?.attempts.map((a) => a.error?.sqlstate ?? 'ok')).toEqual(['1062', 'ok']);
    expect(await columnsOf(db.url, 'users')).toEqual(['id', 'name', 'handle']);
    expect((await journalSteps(serverUrl, db.name))[0]).toEqual(
      expect.objectContaining({ status: 'done', statements_done: 3 }),
    );
  });

  it('without per-statement inverses, runs the step rollback and says which statement it stopped at', async () => {
    const whole = { ...plan, steps: plan.steps.map(({ statementRollback: _, ...s }) => s) };
    const result = await deploy(deployOptions(db.url, whole));
    const incident = result.incident!;
    // The step's own rollback starts by dropping the unique key that was never made.
    expect(incident.rollbackErrors).toEqual([
      { step: 'expand-1', message: expect.stringMatching(/Can't DROP (INDEX|KEY) `users_name`/) },
    ]);
    expect(result.deploy?.status).toBe('rollback failed');
    const md = renderIncidentMarkdown(incident, whole, mysqlIncidentWords);
    expect(md).toContain(
      'Not undone: the statements that committed are still applied, and the plan has no inverse for each statement alone.',
    );
    expect(md).toMatch(/\| `expand-1` \| expand \| failed \| partly \| its rollback failed \|/);
  });
});
