/**
 * The GitHub Action (action.yml) end to end, run by test/support/composite-action.ts as the
 * runner runs `uses: ./`: a pull request in a real git repository, the real CLI of this
 * checkout (SCHEMAPILOT_CLI), a real PostgreSQL database as the service's live schema, and a
 * local server speaking GitHub's comment endpoints (GITHUB_API_URL).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCompositeAction, type ActionRun } from '../support/composite-action.js';
import { startFakeGithub, type FakeGithub } from '../support/fake-github.js';
import { git, makeFixtureFleet } from '../support/fleet-fixture.js';
import { databaseUrl, missingDatabase, pgTargets, withClient } from '../support/pg.js';
import { expectNoSecretInFiles } from '../support/secrets.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The CLI of this checkout, from source: what a user's preinstalled `schemapilot` would be. */
const CLI = `${join(root, 'node_modules', '.bin', 'tsx')} ${join(root, 'src', 'cli', 'main.ts')}`;
const REPO = 'acme/shop';
const PR = 42;
const TOKEN = `ghs_action${randomBytes(12).toString('hex')}`;
/** The marker `schemapilot comment` hides in its comment. */
const MARKER = '<!-- schemapilot:report -->';

const temp = mkdtempSync(join(tmpdir(), 'schemapilot-action-'));
let github: FakeGithub;
const runs: { run: ActionRun; dir: string }[] = [];

beforeAll(async () => {
  github = await startFakeGithub({ token: TOKEN });
});
afterAll(async () => {
  await github.close();
  rmSync(temp, { recursive: true, force: true });
});

function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** Commit `files` on the checked-out branch; returns the new HEAD. */
function commit(dir: string, files: Record<string, string>, message: string): string {
  write(dir, files);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD').trim();
}

/** Run the action on `workspace`, as a pull_request event (or `event`) of PR 42 whose base is `base`. */
async function runAction(
  workspace: string,
  base: string,
  inputs: Record<string, string>,
  options: { event?: string; env?: Record<string, string>; pr?: number } = {},
): Promise<ActionRun> {
  const event = options.event ?? 'pull_request';
  const pr = options.pr ?? PR;
  const dir = join(temp, `run-${runs.length + 1}`);
  mkdirSync(dir);
  const run = await runCompositeAction({
    actionPath: root,
    workspace,
    inputs,
    event: {
      name: event,
      payload:
        event === 'pull_request'
          ? { number: pr, pull_request: { number: pr, base: { sha: base } }, repository: { full_name: REPO } }
          : { ref: 'refs/heads/main', repository: { full_name: REPO } },
    },
    token: TOKEN,
    env: {
      SCHEMAPILOT_CLI: CLI,
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: REPO,
      NO_COLOR: '1',
      ...options.env,
    },
    tempDir: dir,
  });
  runs.push({ run, dir });
  return run;
}

const failedStep = (run: ActionRun) => run.steps.find((s) => s.exitCode !== 0)?.id;
const count = (text: string, part: string) => text.split(part).length - 1;

describe('the Action on bad input', () => {
  it('fails at its first step with exit 2 and an annotation, before checking or commenting', async () => {
    const requests = github.requests.length;
    const run = await runAction(temp, 'HEAD', { migrations: 'db/migrations', 'fail-on': 'sometimes' });
    expect(run.outcome).toBe('failure');
    expect(run.steps.map((s) => [s.id, s.exitCode])).toEqual([['cli', 2]]);
    expect(run.annotations).toEqual([
      { level: 'error', message: 'input fail-on must be error, warning or never' },
    ]);
    expect(github.requests.length).toBe(requests);
  });

  it('wants migrations or fleet, not neither and not both', async () => {
    const neither = await runAction(temp, 'HEAD', {});
    expect(neither.annotations[0]?.message).toMatch(/input migrations is empty/);
    const both = await runAction(temp, 'HEAD', { migrations: 'db', fleet: 'true' });
    expect(both.annotations[0]?.message).toMatch(/not both/);
    expect([failedStep(neither), failedStep(both)]).toEqual(['cli', 'cli']);
  });
});

if (pgTargets.length === 0) {
  missingDatabase('the Action on one service', 'PostgreSQL', 'TEST_PG_URLS is empty');
} else {
  const target = pgTargets[0]!;
  describe(`the Action on one service [${target.label}]`, () => {
    const name = `action_${randomBytes(5).toString('hex')}`;
    const workspace = join(temp, 'shop');
    let dbUrl = '';
    let password = '';
    let base = '';

    beforeAll(async () => {
      await withClient(target.url, (c) => c.query(`CREATE DATABASE ${name}`));
      const url = new URL(databaseUrl(target.url, name));
      // A password to look for in every output, even where the server trusts any (ignored there).
      if (url.password === '') url.password = `pw${randomBytes(8).toString('hex')}`;
      password = decodeURIComponent(url.password);
      dbUrl = url.toString();
      await withClient(dbUrl, (c) =>
        c.query('CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, note text)'),
      );
      mkdirSync(workspace);
      git(workspace, 'init', '-q', '-b', 'main');
      base = commit(
        workspace,
        {
          'db/migrations/001_users.sql':
            'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, note text);\n',
        },
        'base: what the database has',
      );
      git(workspace, 'checkout', '-q', '-b', 'feature');
    });
    afterAll(async () => {
      await withClient(target.url, (c) => c.query(`DROP DATABASE IF EXISTS ${name}`));
    });

    const inputs = (more: Record<string, string> = {}) => ({
      migrations: 'db/migrations',
      'database-url': dbUrl,
      ...more,
    });

    it('first push: checks the new migration only, posts one comment, writes the summary and SARIF', async () => {
      commit(
        workspace,
        {
          'db/migrations/002_add_verified.sql':
            "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN verified boolean NOT NULL DEFAULT false;\n",
          'db/migrations/002_add_verified.down.sql': 'ALTER TABLE users DROP COLUMN verified;\n',
        },
        'add verified',
      );
      const run = await runAction(workspace, base, inputs());
      expect(run.outcome, run.log).toBe('success');
      expect(run.outputs['safe']).toBe('true');
      expect(run.outputs['report']).toMatch(/\/runner-temp\/schemapilot-\w+\/report\.md$/);
      const report = readFileSync(run.outputs['report'] as string, 'utf8');
      expect(report).toContain('002_add_verified.sql');
      // The down migration and the applied 001 were not checked (001 would fail: users exists).
      expect(report).not.toContain('002_add_verified.down.sql');
      expect(report).not.toContain('001_users.sql');

      const comments = github.comments(REPO, PR);
      expect(comments).toHaveLength(1);
      expect(comments[0]?.body.startsWith(MARKER)).toBe(true);
      expect(comments[0]?.body).toContain('002_add_verified.sql');
      // The summary holds the report once (comment wrote it; the action did not add it again).
      expect(count(run.summary, report.trim().split('\n')[0] as string)).toBe(1);

      const sarif = JSON.parse(readFileSync(run.outputs['sarif'] as string, 'utf8')) as { version: string };
      expect(sarif.version).toBe('2.1.0');
      // No finding at all: fail-on: warning would have passed it too.
      expect(run.steps.find((s) => s.id === 'report')?.outputs['warnings']).toBe('0');
    });

    it('fail-on: warning fails the same safe migration when a finding is a warning', async () => {
      commit(
        workspace,
        { 'db/migrations/003_index.sql': 'CREATE INDEX users_email ON users (email);\n' },
        'an index that locks writes',
      );
      const warned = await runAction(workspace, base, inputs({ 'fail-on': 'warning', comment: 'false' }));
      // Safe (the plan builds the index concurrently), but the finding on the file is a warning.
      expect(warned.outputs['safe']).toBe('true');
      expect(Number(warned.steps.find((s) => s.id === 'report')?.outputs['warnings'])).toBeGreaterThan(0);
      expect(warned.outcome).toBe('failure');
      expect(failedStep(warned)).toBe('verdict');
      expect(warned.annotations.at(-1)?.message).toMatch(/warning finding\(s\), and fail-on is warning/);
    });

    it('a later push: the same comment is updated, and fail-on decides the job, not the report', async () => {
      commit(
        workspace,
        {
          'db/migrations/004_drop_note.sql':
            "SET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN note;\n",
        },
        'drop note',
      );
      const [first] = github.comments(REPO, PR);
      const never = await runAction(workspace, base, inputs({ 'fail-on': 'never', format: 'json' }));
      expect(never.outcome, never.log).toBe('success');
      expect(never.outputs['safe']).toBe('false');
      expect(never.outputs['report']).toMatch(/\/schemapilot-\w+\/report\.json$/);
      const json = JSON.parse(readFileSync(never.outputs['report'] as string, 'utf8')) as { safe: boolean };
      expect(json.safe).toBe(false);

      const comments = github.comments(REPO, PR);
      expect(comments).toHaveLength(1);
      expect(comments[0]?.id).toBe(first?.id);
      expect(comments[0]?.body).toContain('004_drop_note.sql');
      expect(comments[0]?.body).not.toBe(first?.body);

      const error = await runAction(workspace, base, inputs());
      expect(error.outcome).toBe('failure');
      expect(error.outputs['safe']).toBe('false');
      expect(failedStep(error)).toBe('verdict');
      expect(error.annotations.at(-1)).toEqual({
        level: 'error',
        message: 'not safe to deploy: see the report in the job summary',
      });
      expect(github.comments(REPO, PR)).toHaveLength(1);
    });

    it('a busy pull request: with 200 comments before it, its comment is still found on a later page and updated', async () => {
      const busy = 142;
      github.addComments(
        REPO,
        busy,
        Array.from({ length: 200 }, (_, i) => `review comment ${i + 1}`),
      );
      const first = await runAction(workspace, base, inputs({ 'fail-on': 'never' }), { pr: busy });
      expect(first.outcome, first.log).toBe('success');
      const created = github.comments(REPO, busy).filter((c) => c.body.startsWith(MARKER));
      expect(created).toHaveLength(1);
      expect(github.comments(REPO, busy)).toHaveLength(201);
      const again = await runAction(workspace, base, inputs({ 'fail-on': 'never' }), { pr: busy });
      expect(again.outcome, again.log).toBe('success');
      const marked = github.comments(REPO, busy).filter((c) => c.body.startsWith(MARKER));
      expect(marked.map((c) => c.id)).toEqual([created[0]?.id]);
      expect(github.comments(REPO, busy)).toHaveLength(201);
      // Found by following the Link header: the listing went past its first page.
      const pages = github.requests.filter(
        (r) =>
          r.method === 'GET' &&
          r.path.endsWith(`/issues/${busy}/comments`) &&
          Number(r.query['page'] ?? 1) >= 2,
      );
      expect(pages.length).toBeGreaterThan(0);
    });

    it('a fork’s pull request (no secrets, a read-only token): replays the base, warns, keeps the verdict', async () => {
      github.failWith(403);
      try {
        const comments = github.comments(REPO, PR).map((c) => c.body);
        const run = await runAction(workspace, base, inputs({ 'database-url': '', 'fail-on': 'never' }));
        expect(run.outcome, run.log).toBe('success');
        expect(run.log).toContain('the schema before the change is rebuilt from db/migrations at');
        // The same verdict as against the live database: 004 drops a column.
        expect(run.outputs['safe']).toBe('false');
        expect(readFileSync(run.outputs['report'] as string, 'utf8')).toContain('004_drop_note.sql');
        expect(run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
          expect.stringMatching(/could not comment on .*403.*the report is in the step summary/),
        ]);
        const report = readFileSync(run.outputs['report'] as string, 'utf8');
        expect(count(run.summary, report.trim().split('\n')[0] as string)).toBe(1);
        expect(github.comments(REPO, PR).map((c) => c.body)).toEqual(comments);

        const failing = await runAction(workspace, base, inputs());
        expect(failing.outcome).toBe('failure');
        expect(failedStep(failing)).toBe('verdict');
      } finally {
        github.clearFailures();
      }
    });

    it('comment: false and events other than pull requests post nothing; the summary still has the report', async () => {
      const requests = github.requests.length;
      const off = await runAction(workspace, base, inputs({ comment: 'false', 'fail-on': 'never' }));
      const push = await runAction(
        workspace,
        '',
        inputs({ migrations: 'db/migrations/002_add_verified.sql', since: '' }),
        { event: 'push' },
      );
      expect(github.requests.length).toBe(requests);
      for (const run of [off, push]) {
        expect(run.outcome, run.log).toBe('success');
        expect(run.summary).toContain('002_add_verified.sql');
      }
      // Outside a pull request `since` is empty: the given paths are checked as they are.
      expect(push.outputs['safe']).toBe('true');
    });

    it('no migration changed since the base: safe, and the comment says so', async () => {
      const head = git(workspace, 'rev-parse', 'HEAD').trim();
      const run = await runAction(workspace, head, inputs());
      expect(run.outcome, run.log).toBe('success');
      expect(run.outputs['safe']).toBe('true');
      expect(run.log).toContain('nothing to check');
      expect(github.comments(REPO, PR)).toHaveLength(1);
    });

    it('never lets the token or the database password out: no output, summary or file holds them', () => {
      expect(runs.length).toBeGreaterThan(5);
      for (const { run, dir } of runs) {
        for (const secret of [TOKEN, password]) {
          expect(run.log).not.toContain(secret);
          expect(run.summary).not.toContain(secret);
          expect(JSON.stringify(run.outputs)).not.toContain(secret);
        }
        expect(expectNoSecretInFiles([dir], [TOKEN, password]).length).toBeGreaterThan(0);
      }
      expectNoSecretInFiles([workspace], [TOKEN, password]);
      for (const comment of github.comments(REPO, PR)) {
        expect(comment.body).not.toContain(TOKEN);
        expect(comment.body).not.toContain(password);
      }
      // The token went where it belongs: the Authorization header of each API request.
      expect(github.requests.length).toBeGreaterThan(0);
      for (const request of github.requests) expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    });
  });
}

describe('the Action on a fleet', () => {
  it('runs fleet check --since the base over the config, one comment for the fleet', async () => {
    const fleet = makeFixtureFleet();
    const base = git(fleet.root, 'rev-parse', 'main').trim();
    const pr = 43;
    const run = await runCompositeAction({
      actionPath: root,
      workspace: fleet.root,
      inputs: { fleet: 'true', 'fail-on': 'never' },
      event: { name: 'pull_request', payload: { pull_request: { number: pr, base: { sha: base } } } },
      token: TOKEN,
      env: { SCHEMAPILOT_CLI: CLI, GITHUB_API_URL: github.url, GITHUB_REPOSITORY: REPO, NO_COLOR: '1' },
      tempDir: join(temp, 'fleet-run'),
    });
    expect(run.outcome, run.log).toBe('success');
    // orders drops a column billing reads: not safe.
    expect(run.outputs['safe']).toBe('false');
    const comments = github.comments(REPO, pr);
    expect(comments).toHaveLength(1);
    for (const service of ['orders', 'accounts', 'edge']) expect(comments[0]?.body).toContain(service);
    expect(existsSync(run.outputs['sarif'] as string)).toBe(true);
    rmSync(fleet.root, { recursive: true, force: true });
  });
});
