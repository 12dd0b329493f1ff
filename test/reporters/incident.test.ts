import { describe, expect, it } from 'vitest';
import type { Plan, PlanStep } from '../../src/core/plan.js';
import { DEFAULT_PLAN_OPTIONS } from '../../src/core/plan.js';
import type { AttemptRecord, Incident, SessionInfo, StepRecord } from '../../src/core/deploy.js';
import { colourPainter, plainPainter } from '../../src/reporters/ansi.js';
import { violatingRows } from '../../src/deploy/incident/sql.js';
import {
  renderIncidentJson,
  renderIncidentMarkdown,
  renderIncidentText,
} from '../../src/reporters/incident/index.js';
import { readStructure } from './markdown-structure.js';

const USERS = 'public.users';

function step(id: string, overrides: Partial<PlanStep>): PlanStep {
  return {
    id,
    phase: id.startsWith('validate') ? 'validate' : 'expand',
    description: `Step ${id}.`,
    asWritten: false,
    sql: [],
    transactional: true,
    lock: { table: USERS, mode: 'SHARE UPDATE EXCLUSIVE' },
    estimatedMs: 50,
    lockTimeoutMs: 2000,
    statementTimeoutMs: 30_000,
    retry: { maxAttempts: 3, backoffMs: 500, maxBackoffMs: 5000, retryOn: ['55P03', '40P01', '40001'] },
    rollback: [],
    reversible: true,
    destroysData: false,
    preChecks: [],
    postChecks: [],
    source: 0,
    ...overrides,
  };
}

/** NOT NULL on users.email through a CHECK, plus an index built concurrently. */
const PLAN: Plan = {
  formatVersion: 1,
  dialect: 'postgres',
  serverMajor: 16,
  sourceSchemaHash: 'a'.repeat(64),
  options: DEFAULT_PLAN_OPTIONS,
  sources: [{ file: 'V2__email.sql', line: 1, sql: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL' }],
  steps: [
    step('expand-1', {
      sql: [
        'ALTER TABLE "public"."users" ADD CONSTRAINT "users_email_not_null" CHECK ("email" IS NOT NULL) NOT VALID',
      ],
      lock: { table: USERS, mode: 'ACCESS EXCLUSIVE' },
      rollback: [
        'ALTER TABLE "public"."users" DROP CONSTRAINT IF EXISTS "users_email_not_null"',
        'ANALYZE "public"."users"',
      ],
    }),
    step('expand-2', {
      sql: ['CREATE INDEX CONCURRENTLY "users_email_idx" ON "public"."users" ("email")'],
      transactional: false,
      rollback: ['DROP INDEX CONCURRENTLY IF EXISTS "public"."users_email_idx"'],
    }),
    step('validate-1', {
      sql: ['ALTER TABLE "public"."users" VALIDATE CONSTRAINT "users_email_not_null"'],
      preChecks: [
        {
          description: 'no NULL left in public.users.email',
          sql: 'SELECT NOT EXISTS (SELECT 1 FROM "public"."users" WHERE "email" IS NULL)',
        },
      ],
    }),
    step('validate-2', {
      description: 'SET NOT NULL, proved by the validated CHECK without a scan; then drop the CHECK.',
      sql: [
        'ALTER TABLE "public"."users" ALTER COLUMN "email" SET NOT NULL',
        'ALTER TABLE "public"."users" DROP CONSTRAINT "users_email_not_null"',
      ],
      lock: { table: USERS, mode: 'ACCESS EXCLUSIVE' },
      rollback: ['ALTER TABLE "public"."users" ALTER COLUMN "email" DROP NOT NULL'],
    }),
  ],
  rollbackComplexity: 1,
  recommendedApproach: 'CHECK NOT VALID, VALIDATE, SET NOT NULL.',
  warnings: [],
};

function session(pid: number, overrides: Partial<SessionInfo> = {}): SessionInfo {
  return {
    pid,
    user: 'billing',
    application: 'invoice-worker',
    clientAddress: '10.0.3.17',
    state: 'idle in transaction',
    query: 'UPDATE users SET last_invoice = now() WHERE id = 42',
    transactionAgeMs: 754_000,
    waitEvent: null,
    ...overrides,
  };
}

function attempt(n: number, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    attempt: n,
    startedAt: `2024-05-02T03:0${n}:00.000Z`,
    durationMs: 2004,
    error: { sqlstate: '55P03', message: 'canceling statement due to lock timeout' },
    cause: 'lock timeout',
    blockers: [],
    blocked: [],
    ...overrides,
  };
}

function record(id: string, status: StepRecord['status'], attempts: AttemptRecord[] = []): StepRecord {
  const planStep = PLAN.steps.find((s) => s.id === id)!;
  return {
    id,
    phase: planStep.phase,
    description: planStep.description,
    status,
    checksum: 'c'.repeat(64),
    attempts,
    startedAt: status === 'pending' ? null : '2024-05-02T03:00:00.000Z',
    finishedAt: status === 'pending' ? null : '2024-05-02T03:05:00.000Z',
  };
}

interface Case {
  failed: string;
  statuses: Record<string, StepRecord['status']>;
  attempts: AttemptRecord[];
  error: Incident['error'];
  cause: Incident['cause'];
  rolledBack?: string[];
  rollbackErrors?: Incident['rollbackErrors'];
  status: Incident['deploy']['status'];
  schemaRestored?: boolean | null;
}

function incident(c: Case): Incident {
  const steps = PLAN.steps.map((s) =>
    record(s.id, c.statuses[s.id] ?? 'pending', s.id === c.failed ? c.attempts : []),
  );
  return {
    deploy: {
      id: 12,
      planHash: 'f'.repeat(64),
      sourceSchemaHash: PLAN.sourceSchemaHash,
      status: c.status,
      startedAt: '2024-05-02T03:00:00.000Z',
      finishedAt: '2024-05-02T03:06:00.000Z',
      ranBy: 'deployer@db1',
      steps,
    },
    failedStep: steps.find((s) => s.id === c.failed)!,
    failedSql: PLAN.steps.find((s) => s.id === c.failed)!.sql,
    error: c.error,
    cause: c.cause,
    rolledBack: c.rolledBack ?? [],
    rollbackErrors: c.rollbackErrors ?? [],
    invalidIndexes: [],
    autoRollback: true,
    schemaRestored: c.schemaRestored === undefined ? true : c.schemaRestored,
    target: 'db1.internal:5432/app',
  };
}

function lockTimeout(blocker: SessionInfo, waiter?: SessionInfo): Incident {
  return incident({
    failed: 'validate-2',
    statuses: {
      'expand-1': 'rolled back',
      'expand-2': 'rolled back',
      'validate-1': 'rolled back',
      'validate-2': 'failed',
    },
    attempts: [1, 2, 3].map((n) => attempt(n, { blockers: [blocker], blocked: waiter ? [waiter] : [] })),
    error: { sqlstate: '55P03', message: 'canceling statement due to lock timeout' },
    cause: 'lock timeout',
    rolledBack: ['validate-1', 'expand-2', 'expand-1'],
    status: 'rolled back',
  });
}

/** The Markdown of one `## ` section. */
function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n`);
  expect(start, `section ${title}`).toBeGreaterThanOrEqual(0);
  const end = markdown.indexOf('\n## ', start + 4);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** Removes inline code spans (CommonMark: a backtick run closed by a run of the same length). */
function withoutCodeSpans(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] === '\\') {
      out += line.slice(i, i + 2); // an escaped character opens nothing
      i += 2;
      continue;
    }
    if (line[i] !== '`') {
      out += line[i++];
      continue;
    }
    let n = 0;
    while (line[i + n] === '`') n++;
    const ticks = '`'.repeat(n);
    let close = -1;
    for (let j = line.indexOf(ticks, i + n); j >= 0; j = line.indexOf(ticks, j + 1)) {
      if (line[j - 1] !== '`' && line[j + n] !== '`') {
        close = j;
        break;
      }
    }
    if (close < 0) {
      out += ticks;
      i += n;
    } else i = close + n;
  }
  return out;
}

/** Table rows outside code blocks, and each row's cell count (pipes not escaped split cells). */
function tableRows(markdown: string): { rows: string[]; cells: number[] } {
  const rows = readStructure(markdown).outside.filter((l) => l.startsWith('|'));
  return { rows, cells: rows.map((r) => r.split(/(?<!\\)\|/).length - 2) };
}

function fixSection(markdown: string): string {
  return section(markdown, 'How to fix by hand');
}

describe('incident report: lock timeout with a blocking session', () => {
  const blocker = session(4242);
  const waiter = session(5151, {
    user: 'web',
    application: 'api',
    state: 'active',
    query: 'SELECT * FROM users WHERE id = $1',
    transactionAgeMs: 1900,
    waitEvent: 'Lock: relation',
  });
  const inc = lockTimeout(blocker, waiter);
  const md = renderIncidentMarkdown(inc, PLAN);

  it('has the verdict as its title and the sections in order', () => {
    expect(md.split('\n')[0]).toBe('# Deploy 12 failed at `validate-2` and was rolled back');
    const titles = md.split('\n').filter((l) => l.startsWith('## '));
    expect(titles).toEqual([
      '## What failed',
      '## Who was blocking',
      '## Attempts',
      '## What was rolled back',
      '## State of the database now',
      '## How to fix by hand',
      '## How to prevent it',
    ]);
  });

  it('says the lock could not be had within lock_timeout, with the SQL and SQLSTATE', () => {
    const failed = section(md, 'What failed');
    expect(failed).toContain('could not get the lock within lock_timeout (2.0 s)');
    expect(failed).toContain('`55P03` lock_not_available');
    expect(readStructure(failed).codeBlocks.join('\n')).toContain(
      'ALTER TABLE "public"."users" ALTER COLUMN "email" SET NOT NULL',
    );
  });

  it('names the blocking session and its query in the table, once though seen in three attempts', () => {
    const who = section(md, 'Who was blocking');
    const row = who.split('\n').filter((l) => l.startsWith('| 4242 |'));
    expect(row).toHaveLength(1);
    expect(row[0]).toContain('`UPDATE users SET last_invoice = now() WHERE id = 42`');
    expect(row[0]).toContain('billing');
    expect(row[0]).toContain('idle in transaction');
    expect(row[0]).toContain('13 min');
    expect(row[0]).toMatch(/\| 1, 2, 3 \|$/);
    // The waiter is listed among the sessions that waited on us, not among the blockers.
    const [blocking, waiting] = who.split('### Sessions that waited on us');
    expect(blocking).not.toContain('| 5151 |');
    expect(waiting).toContain('| 5151 |');
    expect(waiting).toContain('Lock: relation');
  });

  it('fixes it by ending or waiting for that pid, then rerunning deploy', () => {
    const fix = fixSection(md);
    expect(fix).toContain('Session `4242`');
    expect(fix).toContain('SELECT pg_terminate_backend(4242);');
    expect(fix).not.toContain('pg_terminate_backend(5151)');
    expect(fix).toContain('Wait for it to finish');
    expect(fix).toContain('cancelling its query would not release the lock');
    expect(fix).toContain('`schemapilot deploy plan.json --db "$DATABASE_URL"`');
    expect(fix).toContain('schemapilot status --db');
    expect(fix).toContain(`to_regclass('"public"."users"')`);
    const prevent = section(md, 'How to prevent it');
    expect(prevent).toContain('low traffic');
    expect(prevent).toContain('FROM pg_stat_activity');
  });

  it('lists the attempts and the state now', () => {
    const attempts = section(md, 'Attempts')
      .split('\n')
      .filter((l) => /^\| \d/.test(l));
    expect(attempts).toHaveLength(3);
    expect(attempts[0]).toContain('2024-05-02T03:01:00.000Z');
    const state = section(md, 'State of the database now');
    expect(state).toContain('Schema restored to what it was before the deploy: **yes**');
    expect(state).toContain('No step is still applied.');
    expect(section(md, 'What was rolled back')).toMatch(/- `validate-1`.*\n- `expand-2`.*\n- `expand-1`/);
  });

  it('says when no blocker was captured and gives the query that finds lock holders', () => {
    const none = { ...inc, failedStep: { ...inc.failedStep, attempts: [attempt(1)] } };
    const out = renderIncidentMarkdown(none, PLAN);
    expect(section(out, 'Who was blocking')).toContain('No blocking session was captured');
    expect(fixSection(out)).not.toContain('pg_terminate_backend');
    expect(fixSection(out)).toContain('FROM pg_locks l JOIN pg_stat_activity a');
  });

  it('prints a short terminal version naming the pid', () => {
    const text = renderIncidentText(inc, PLAN, plainPainter);
    expect(text.split('\n')[0]).toBe('Deploy 12 failed at validate-2 and was rolled back');
    expect(text).toContain('pid 4242 (billing / invoice-worker / 10.0.3.17, idle in transaction');
    expect(text).toContain('SELECT pg_terminate_backend(4242)');
    expect(text).not.toContain('\u001b[');
    expect(renderIncidentText(inc, PLAN, colourPainter)).toContain('\u001b[31m');
  });
});

describe('incident report: constraint violation', () => {
  it.each([
    [
      '23514',
      'validate-1',
      'check constraint "users_email_not_null" of relation "users" is violated by some row',
    ],
    ['23502', 'validate-2', 'column "email" of relation "users" contains null values'],
  ])('%s at %s: rolled back, with a query for the rows that break it', (sqlstate, failed, message) => {
    const before = PLAN.steps.findIndex((s) => s.id === failed);
    const statuses: Record<string, StepRecord['status']> = {};
    PLAN.steps.forEach((s, i) => {
      if (i < before) statuses[s.id] = 'rolled back';
    });
    statuses[failed] = 'failed';
    const inc = incident({
      failed,
      statuses,
      attempts: [attempt(1, { error: { sqlstate, message }, cause: 'error' })],
      error: { sqlstate, message },
      cause: 'error',
      rolledBack: PLAN.steps
        .slice(0, before)
        .map((s) => s.id)
        .reverse(),
      status: 'rolled back',
    });
    const md = renderIncidentMarkdown(inc, PLAN);
    expect(md.split('\n')[0]).toBe(`# Deploy 12 failed at \`${failed}\` and was rolled back`);
    expect(section(md, 'What failed')).toContain('existing rows break the constraint');
    const fix = fixSection(md);
    expect(fix).toContain('no NULL left in public.users.email');
    expect(readStructure(fix).codeBlocks).toContain(
      'SELECT * FROM "public"."users" WHERE "email" IS NULL\nLIMIT 100;',
    );
    expect(fix).not.toContain('pg_terminate_backend');
    expect(section(md, 'How to prevent it')).toContain('--sample-rows');
    const json = JSON.parse(renderIncidentJson(inc, PLAN)) as Record<string, unknown>;
    expect(json['remainingRollbackSql']).toEqual([]);
    expect(json['stillApplied']).toEqual([]);
    expect(json['violatingRowsSql']).toEqual([
      'SELECT * FROM "public"."users" WHERE "email" IS NULL\nLIMIT 100',
    ]);
  });

  it('turns pre-checks into queries for the rows that break them', () => {
    expect(
      violatingRows(
        'SELECT NOT EXISTS (SELECT 1 FROM "s"."t" WHERE "a" IS NOT NULL GROUP BY "a", "b" HAVING count(*) > 1)',
      ),
    ).toBe(
      'SELECT "a", "b", count(*) AS duplicates FROM "s"."t" WHERE "a" IS NOT NULL GROUP BY "a", "b" HAVING count(*) > 1\nLIMIT 100',
    );
    expect(
      violatingRows(
        'SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index WHERE indexrelid = to_regclass(\'"s"."i"\') AND NOT indisvalid)',
      ),
    ).toBeNull();
    expect(violatingRows('SELECT true')).toBeNull();
  });
});

describe('incident report: rollback failure', () => {
  const inc = incident({
    failed: 'validate-2',
    statuses: { 'expand-1': 'done', 'expand-2': 'done', 'validate-1': 'done', 'validate-2': 'failed' },
    attempts: [
      attempt(1, { error: { sqlstate: '42501', message: 'must be owner of table users' }, cause: 'error' }),
    ],
    error: { sqlstate: '42501', message: 'must be owner of table users' },
    cause: 'error',
    rolledBack: ['validate-1'],
    rollbackErrors: [{ step: 'expand-2', message: 'canceling statement due to lock timeout' }],
    status: 'rollback failed',
    schemaRestored: false,
  });
  const expected = [
    'DROP INDEX CONCURRENTLY IF EXISTS "public"."users_email_idx"',
    'ALTER TABLE "public"."users" DROP CONSTRAINT IF EXISTS "users_email_not_null"',
    'ANALYZE "public"."users"',
  ];

  it('lists the remaining rollback SQL in reverse step order, exactly the plan statements', () => {
    const json = JSON.parse(renderIncidentJson(inc, PLAN)) as Record<string, unknown>;
    expect(json['remainingRollbackSql']).toEqual(expected);
    expect(json['stillApplied']).toEqual(['expand-1', 'expand-2']);
    expect(json['title']).toBe('Deploy 12 failed at validate-2 and its rollback failed');
  });

  it('shows the same SQL, in order, in the fix section of the Markdown', () => {
    const md = renderIncidentMarkdown(inc, PLAN);
    expect(md.split('\n')[0]).toBe('# Deploy 12 failed at `validate-2` and its rollback failed');
    const fix = fixSection(md);
    expect(fix).toContain('The automatic rollback failed on expand-2');
    expect(fix).toContain('schemapilot rollback --db');
    expect(readStructure(fix).codeBlocks).toContain(expected.map((s) => `${s};`).join('\n'));
    expect(section(md, 'What was rolled back')).toContain(
      '- `expand-2`: canceling statement due to lock timeout',
    );
    const state = section(md, 'State of the database now');
    expect(state).toContain('**no**');
    expect(state).toContain('Still applied: `expand-1`, `expand-2`.');
    expect(state).toMatch(/\| `expand-2` \| expand \| done \| partly \| its rollback failed \|/);
    expect(section(md, 'How to prevent it')).toContain('schemapilot validate');
  });

  it('lists the whole rollback when automatic rollback was off', () => {
    const off: Incident = {
      ...inc,
      rolledBack: [],
      rollbackErrors: [],
      autoRollback: false,
      deploy: { ...inc.deploy, status: 'failed' },
    };
    const json = JSON.parse(renderIncidentJson(off, PLAN)) as {
      remainingRollbackSql: string[];
      title: string;
    };
    expect(json.title).toContain('was not rolled back');
    expect(json.remainingRollbackSql).toEqual([
      'DROP INDEX CONCURRENTLY IF EXISTS "public"."users_email_idx"',
      'ALTER TABLE "public"."users" DROP CONSTRAINT IF EXISTS "users_email_not_null"',
      'ANALYZE "public"."users"',
    ]);
  });
});

describe('incident report: hostile text', () => {
  const hostile =
    "SELECT '|' AS a, ``` `x` ``` FROM t -- </details>\n| fake | row | here |\n</details>\n<script>alert(1)</script>\n```\n# heading";
  const benign = lockTimeout(session(4242), session(5151));
  const evil = lockTimeout(
    session(4242, {
      query: hostile,
      user: 'ev|il`user\n| x |',
      application: '</details><b>app</b>',
      clientAddress: null,
    }),
    session(5151, { query: hostile, state: 'active\n| y |' }),
  );
  const mdBenign = renderIncidentMarkdown(benign, PLAN);
  const md = renderIncidentMarkdown(evil, PLAN);

  it('keeps the tables intact: same rows, same cells', () => {
    const before = tableRows(mdBenign);
    const after = tableRows(md);
    expect(after.rows).toHaveLength(before.rows.length);
    expect(after.cells).toEqual(before.cells);
    // Two session tables of nine columns: header, separator and one row each.
    expect(after.cells.filter((n) => n === 9)).toHaveLength(6);
  });

  it('never lets raw HTML or fences out of code', () => {
    const structure = readStructure(md);
    expect(structure.unclosedFence).toBe(false);
    expect(structure.detailsOpened).toBe(0);
    const outside = structure.outside.map(withoutCodeSpans).join('\n');
    expect(outside).not.toContain('</details>');
    expect(outside).not.toContain('<script>');
    expect(outside).not.toContain('<b>');
    expect(structure.outside.filter((l) => l === '# heading')).toHaveLength(0);
    // The full query is shown as itself, in a code block.
    expect(structure.codeBlocks).toContain(hostile);
  });

  it('keeps data from writing escape sequences or new lines to the terminal', () => {
    const text = renderIncidentText(
      lockTimeout(session(4242, { user: 'x\u001b[2J\nFAKE LINE', query: 'SELECT 1\n\u001b]0;title\u0007' })),
      PLAN,
      plainPainter,
    );
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
    expect(text.split('\n').filter((l) => l.startsWith('FAKE LINE'))).toHaveLength(0);
    expect(text).toContain('pid 4242 (x?[2J FAKE LINE');
  });

  it('caps long queries', () => {
    const long = 'SELECT ' + Array.from({ length: 5000 }, (_, i) => `c${i}`).join(',\n  ') + ' FROM t';
    const out = renderIncidentMarkdown(lockTimeout(session(4242, { query: long })), PLAN);
    expect(out.length).toBeLessThan(mdBenign.length + 2 * 1200);
    expect(out).toContain('-- … cut:');
    expect(readStructure(out).unclosedFence).toBe(false);
  });
});

describe('incident report: other causes', () => {
  it('blocking others: explains --max-blocking and names who waited, without ending anyone', () => {
    const waiter = session(5151, { state: 'active', waitEvent: 'Lock: relation' });
    const inc = lockTimeout(session(1), waiter);
    const blocking: Incident = {
      ...inc,
      cause: 'blocking others',
      error: { sqlstate: '57014', message: 'canceling statement due to user request' },
      failedStep: {
        ...inc.failedStep,
        attempts: [attempt(1, { cause: 'blocking others', blockers: [], blocked: [waiter] })],
      },
    };
    const md = renderIncidentMarkdown(blocking, PLAN);
    expect(section(md, 'What failed')).toContain(
      'our statement was cancelled because other sessions waited behind it longer than `--max-blocking-ms`',
    );
    expect(section(md, 'Who was blocking')).toMatch(
      /### Sessions that waited on us\n\n\| pid[^\n]*\n[^\n]*\n\| 5151 \|/,
    );
    expect(fixSection(md)).toContain('Sessions 5151 waited behind our statement');
    expect(fixSection(md)).not.toContain('pg_terminate_backend');
  });

  it('step budget on a backfill: says where a rerun resumes', () => {
    const inc = lockTimeout(session(1));
    const budget: Incident = {
      ...inc,
      cause: 'step budget',
      error: { sqlstate: '57014', message: 'canceling statement due to statement timeout' },
      failedStep: {
        ...inc.failedStep,
        attempts: [],
        backfill: { rows: 120_000, batches: 24, lastKey: '120000', rowsPerSecond: 800.4, throttled: 3 },
      },
    };
    const md = renderIncidentMarkdown(budget, PLAN);
    expect(section(md, 'What failed')).toContain('ran longer than its time budget');
    expect(section(md, 'What failed')).toContain('120000 rows in 24 batches (800 rows/s), last key `120000`');
    expect(fixSection(md)).toContain('The backfill stopped after 120000 rows (last key `120000`)');
    expect(section(md, 'Attempts')).toContain('No attempt was recorded.');
  });
});

describe('incident report: JSON', () => {
  const inc = lockTimeout(session(4242));

  it('parses, carries the incident, the remaining rollback and what to do', () => {
    const text = renderIncidentJson(inc, PLAN);
    const json = JSON.parse(text) as {
      incident: Incident;
      remainingRollbackSql: string[];
      fixByHand: string[];
      prevent: string[];
      title: string;
    };
    expect(json.incident).toEqual(inc);
    expect(Array.isArray(json.remainingRollbackSql)).toBe(true);
    expect(json.remainingRollbackSql).toEqual([]);
    expect(json.title).toBe('Deploy 12 failed at validate-2 and was rolled back');
    expect(json.fixByHand.some((s) => s.includes('SELECT pg_terminate_backend(4242);'))).toBe(true);
    expect(json.prevent.length).toBeGreaterThan(0);
    expect(json.prevent.every((s) => typeof s === 'string')).toBe(true);
  });

  it('is stable: sorted keys, same bytes for the same input', () => {
    const text = renderIncidentJson(inc, PLAN);
    expect(renderIncidentJson(structuredClone(inc), PLAN)).toBe(text);
    const keys = Object.keys(JSON.parse(text) as object);
    expect(keys).toEqual([...keys].sort());
    expect(text.endsWith('}\n')).toBe(true);
  });
});
