/**
 * `schemapilot comment --github`, run as a process against a local server that speaks the
 * GitHub REST endpoints it uses (test/support/fake-github.ts): one comment per pull request,
 * found again by its marker on any page and updated; a fork's read-only token degrades to the
 * step summary; bad input exits 2 before any request; the token is never printed or written.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CliResult } from '../support/cli.js';
import { expectUsageError } from '../cli/support.js';
import { expectNoSecretInFiles } from '../support/secrets.js';
import { startFakeGithub, FAKE_GITHUB_BOT, type FakeGithub } from '../support/fake-github.js';
import { comment, postedId, readIfExists, tempDir, writeReport } from './support.js';

const REPO = 'acme/shop';
const MARKER = '<!-- schemapilot:report -->';

let github: FakeGithub;
const outputs: CliResult[] = [];
const dirs: string[] = [];

/** A pull request of its own (number), a directory for its event and summary files, its env. */
function pullRequest(pr: number, fake = github) {
  const dir = tempDir();
  dirs.push(dir);
  const env = fake.env({ repo: REPO, pr, dir });
  const run = async (args: readonly string[], extra: Record<string, string> = {}) => {
    const result = await comment(args, { ...env, ...extra });
    outputs.push(result);
    return result;
  };
  return { dir, env, run, summary: join(dir, 'summary.md') };
}

beforeAll(async () => {
  github = await startFakeGithub();
});
afterEach(() => github.clearFailures());
afterAll(async () => {
  await github.close();
});

describe('one comment per pull request', () => {
  it('is created on the first run and updated in place on the next, with the same markdown in the step summary', async () => {
    const pr = pullRequest(1);
    const first = await pr.run([writeReport(pr.dir, '## schemapilot\n\n✓ safe: 3 migrations\n'), '--github']);
    const id = postedId(first, 'created');
    expect(first.stderr).toContain(`on ${REPO}#1: https://github.com/${REPO}/pull/1#issuecomment-${id}`);
    expect(first.stdout).toBe('');
    const created = github.comments(REPO, 1);
    expect(created).toHaveLength(1);
    expect(created[0]?.id).toBe(id);
    expect(created[0]?.body).toBe(`${MARKER}\n## schemapilot\n\n✓ safe: 3 migrations\n`);
    expect(created[0]?.user.login).toBe(FAKE_GITHUB_BOT);

    const post = github.requests.find((r) => r.method === 'POST');
    expect(post?.headers['authorization']).toBe(`Bearer ${github.token}`);
    expect(post?.headers['accept']).toBe('application/vnd.github+json');
    expect(post?.headers['x-github-api-version']).toBe('2022-11-28');
    expect(post?.headers['user-agent']).toMatch(/^schemapilot\/\d+\.\d+\.\d+/);

    const before = github.requests.length;
    const second = await pr.run([
      writeReport(pr.dir, '## schemapilot\n\n✗ not safe: drop column\n'),
      '--github',
    ]);
    expect(postedId(second, 'updated')).toBe(id);
    const after = github.comments(REPO, 1);
    expect(after).toHaveLength(1);
    expect(after[0]?.body).toBe(`${MARKER}\n## schemapilot\n\n✗ not safe: drop column\n`);
    expect(github.requests.slice(before).map((r) => r.method)).toEqual(['GET', 'PATCH']);
    expect(github.requests.at(-1)?.path).toBe(`/repos/${REPO}/issues/comments/${id}`);

    // The summary gets each run's report appended, without the marker.
    const summary = readIfExists(pr.summary) ?? '';
    expect(summary).toContain('✓ safe: 3 migrations');
    expect(summary).toContain('✗ not safe: drop column');
    expect(summary).not.toContain(MARKER);
  });

  it('finds its comment on the third page of a pull request with 250 comments, following the Link header', async () => {
    const pr = pullRequest(2);
    github.addComments(
      REPO,
      2,
      Array.from({ length: 210 }, (_, i) => `LGTM ${i}`),
    );
    // Not ours: the marker is not at the top, or it is another marker's.
    github.addComments(REPO, 2, [`quoting: ${MARKER} is hidden`, '<!-- schemapilot:fleet -->\nother']);
    const [ours] = github.addComments(REPO, 2, [`${MARKER}\nold report`], FAKE_GITHUB_BOT);
    github.addComments(
      REPO,
      2,
      Array.from({ length: 40 }, (_, i) => `later ${i}`),
    );
    const before = github.requests.length;

    const result = await pr.run([writeReport(pr.dir, 'new report\n'), '--github']);
    expect(postedId(result, 'updated')).toBe(ours?.id);
    const comments = github.comments(REPO, 2);
    expect(comments).toHaveLength(253);
    expect(comments.find((c) => c.id === ours?.id)?.body).toBe(`${MARKER}\nnew report\n`);
    expect(comments.filter((c) => c.body.includes('new report'))).toHaveLength(1);
    const gets = github.requests.slice(before).filter((r) => r.method === 'GET');
    expect(gets.map((r) => r.query['page'] ?? '1')).toEqual(['1', '2', '3']);
    expect(gets[0]?.query['per_page']).toBe('100');
    // Pages 2 and 3 are where GitHub's Link header pointed: the repository by id.
    expect(gets[1]?.path).toMatch(/^\/repositories\/\d+\/issues\/2\/comments$/);
  });

  it('reads every page before creating one on a pull request with 200 comments and none of its own', async () => {
    const pr = pullRequest(3);
    github.addComments(
      REPO,
      3,
      Array.from({ length: 200 }, (_, i) => `comment ${i}`),
    );
    const before = github.requests.length;
    postedId(await pr.run([writeReport(pr.dir, 'report\n'), '--github']), 'created');
    expect(github.comments(REPO, 3)).toHaveLength(201);
    expect(github.requests.slice(before).map((r) => r.method)).toEqual(['GET', 'GET', 'POST']);
  });

  it('keeps one comment per --marker, and does not mark a report that carries a marker twice', async () => {
    const pr = pullRequest(4);
    postedId(await pr.run([writeReport(pr.dir, 'service report\n'), '--github']), 'created');
    const fleet = writeReport(pr.dir, '<!-- schemapilot:report -->\nfleet report\n', 'fleet.md');
    postedId(await pr.run([fleet, '--github', '--marker', 'fleet']), 'created');
    postedId(await pr.run([fleet, '--github', '--marker', 'fleet']), 'updated');
    const bodies = github.comments(REPO, 4).map((c) => c.body);
    expect(bodies).toEqual([`${MARKER}\nservice report\n`, '<!-- schemapilot:fleet -->\nfleet report\n']);

    const bad = await pr.run([fleet, '--github', '--marker', 'x -->']);
    expectUsageError(bad, /--marker must be letters, digits/);
  });

  it('cuts a report over 65536 characters at a line, with a note, and keeps it whole in the step summary', async () => {
    const pr = pullRequest(5);
    const lines = Array.from({ length: 3000 }, (_, i) => `| service-${i} | safe | 0 breaking changes |`);
    const report = ['## Fleet', '', '```text', ...lines, '```', ''].join('\n');
    expect(report.length).toBeGreaterThan(100_000);
    postedId(await pr.run([writeReport(pr.dir, report), '--github']), 'created');
    const [posted] = github.comments(REPO, 5);
    const body = posted?.body ?? '';
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.length).toBeGreaterThan(60_000);
    expect(body).toMatch(
      /\n```\n\n_… report truncated: \d+ of \d+ characters shown; the full report is in this job's step summary\._\n$/,
    );
    // Cut between two table rows, the code fence closed.
    expect(
      body
        .split('\n')
        .filter((l) => l.startsWith('| service-'))
        .every((l) => l.endsWith('|')),
    ).toBe(true);
    expect(readIfExists(pr.summary)).toBe(report);
  });

  it('works from --pr without an event file, and from an issue_comment event', async () => {
    const pr = pullRequest(6);
    postedId(
      await pr.run([writeReport(pr.dir, 'x\n'), '--github', '--pr', '6'], { GITHUB_EVENT_PATH: '' }),
      'created',
    );
    const event = join(pr.dir, 'issue-comment.json');
    writeFileSync(event, JSON.stringify({ action: 'created', issue: { number: 6, pull_request: {} } }));
    postedId(await pr.run([writeReport(pr.dir, 'y\n'), '--github'], { GITHUB_EVENT_PATH: event }), 'updated');
    expect(github.comments(REPO, 6).map((c) => c.body)).toEqual([`${MARKER}\ny\n`]);
  });

  it('writes no step summary with --no-step-summary', async () => {
    const pr = pullRequest(7);
    postedId(await pr.run([writeReport(pr.dir, 'x\n'), '--github', '--no-step-summary']), 'created');
    expect(readIfExists(pr.summary)).toBeNull();
  });
});

describe('GitHub Enterprise', () => {
  it('honours GITHUB_API_URL with a path prefix (/api/v3), for listing, creating and updating', async () => {
    const enterprise = await startFakeGithub({ prefix: '/api/v3' });
    try {
      const pr = pullRequest(8, enterprise);
      expect(pr.env['GITHUB_API_URL']).toMatch(/\/api\/v3$/);
      enterprise.addComments(
        REPO,
        8,
        Array.from({ length: 120 }, (_, i) => `c${i}`),
      );
      const id = postedId(await pr.run([writeReport(pr.dir, 'one\n'), '--github']), 'created');
      // A trailing slash is the same URL.
      const again = await pr.run([writeReport(pr.dir, 'two\n'), '--github'], {
        GITHUB_API_URL: `${enterprise.url}/`,
      });
      expect(postedId(again, 'updated')).toBe(id);
      expect(enterprise.comments(REPO, 8).at(-1)?.body).toBe(`${MARKER}\ntwo\n`);
      expect(enterprise.requests.every((r) => r.path.startsWith('/api/v3/'))).toBe(true);
      expect(
        enterprise.requests.every((r) => r.headers['authorization'] === `Bearer ${enterprise.token}`),
      ).toBe(true);
    } finally {
      await enterprise.close();
    }
  });
});

describe('a token that may not write (a pull request from a fork)', () => {
  for (const [status, method] of [
    [403, 'POST'],
    [404, undefined],
  ] as const) {
    it(`degrades on ${status}${method ? ` to ${method}` : ''}: warning and annotation, the step summary written, exit 0, nothing posted`, async () => {
      const pr = pullRequest(10 + status);
      github.failWith(status, method ? { method } : {});
      const result = await pr.run([writeReport(pr.dir, '## report\n'), '--github']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(
        new RegExp(
          `^schemapilot: warning: could not comment on ${REPO}#${10 + status}: GitHub answered ${status} \\(.+\\); the report is in the step summary\\. A pull request from a fork gets a read-only token; otherwise the job needs permissions: pull-requests: write\\.\\n$`,
        ),
      );
      expect(result.stdout).toMatch(
        new RegExp(
          `^::warning title=schemapilot comment::could not comment on ${REPO}#${10 + status}: GitHub answered ${status}[^\\n]*\\n$`,
        ),
      );
      expect(readIfExists(pr.summary)).toBe('## report\n');
      github.clearFailures();
      expect(github.comments(REPO, 10 + status)).toHaveLength(0);
    });
  }

  it('prints no annotation outside GitHub Actions, and says nothing was posted when no summary was written', async () => {
    const pr = pullRequest(20);
    github.failWith(403, { method: 'POST' });
    const result = await pr.run([writeReport(pr.dir, 'r\n'), '--github', '--no-step-summary'], {
      GITHUB_ACTIONS: '',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /GitHub answered 403 \(Resource not accessible by integration\); nothing was posted\. /,
    );
  });
});

describe('API failures', () => {
  it('retries a 502 and a request that gets no answer, then posts one comment', async () => {
    const pr = pullRequest(21);
    github.failWith(502, { method: 'GET', times: 1, retryAfter: 0 });
    github.failWith('hang', { method: 'POST', times: 1 });
    const result = await pr.run([writeReport(pr.dir, 'r\n'), '--github', '--timeout', '1']);
    postedId(result, 'created');
    expect(github.comments(REPO, 21)).toHaveLength(1);
  });

  it('exits 1 when the API keeps answering 500, after three attempts', async () => {
    const pr = pullRequest(22);
    github.failWith(500, { retryAfter: 0 });
    const before = github.requests.length;
    const result = await pr.run([writeReport(pr.dir, 'r\n'), '--github']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `schemapilot: GitHub answered 500 to GET /repos/${REPO}/issues/22/comments: Server Error\n`,
    );
    expect(github.requests.length - before).toBe(3);
  });

  it('exits 2 on a token the API rejects (401), naming GitHub’s words', async () => {
    const pr = pullRequest(23);
    const result = await pr.run([writeReport(pr.dir, 'r\n'), '--github'], {
      GITHUB_TOKEN: 'ghs_notTheRightOne',
    });
    expectUsageError(
      result,
      /^schemapilot: GitHub answered 401 to GET \/repos\/acme\/shop\/issues\/23\/comments: Bad credentials$/m,
    );
    expect(github.comments(REPO, 23)).toHaveLength(0);
  });

  it('exits 1 naming the host when nothing listens at GITHUB_API_URL', async () => {
    const pr = pullRequest(24);
    const closed = await startFakeGithub();
    await closed.close();
    const result = await pr.run([writeReport(pr.dir, 'r\n'), '--github'], { GITHUB_API_URL: closed.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^schemapilot: GitHub API at http:\/\/127\.0\.0\.1:\d+: GET \/repos\/acme\/shop\/issues\/24\/comments: connection failed \(ECONNREFUSED\)\n$/,
    );
  });
});

describe('bad input: exit 2, one line naming what is wrong, no request', () => {
  const cases: [string, (dir: string) => { args?: string[]; env?: Record<string, string> }, RegExp][] = [
    ['no GITHUB_TOKEN', () => ({ env: { GITHUB_TOKEN: '' } }), /GITHUB_TOKEN is not set/],
    ['no GITHUB_REPOSITORY', () => ({ env: { GITHUB_REPOSITORY: '' } }), /GITHUB_REPOSITORY is not set/],
    [
      'a bad GITHUB_REPOSITORY',
      () => ({ env: { GITHUB_REPOSITORY: 'acme' } }),
      /GITHUB_REPOSITORY must be owner\/repo; got "acme"/,
    ],
    [
      'no GITHUB_EVENT_PATH',
      () => ({ env: { GITHUB_EVENT_PATH: '' } }),
      /GITHUB_EVENT_PATH is not set \(.*--pr NUMBER\)/,
    ],
    [
      'a missing event file',
      (dir) => ({ env: { GITHUB_EVENT_PATH: join(dir, 'nope.json') } }),
      /GITHUB_EVENT_PATH .*nope\.json: cannot read: no such file or directory/,
    ],
    [
      'an event file that is not JSON',
      (dir) => ({ env: { GITHUB_EVENT_PATH: writeReport(dir, '{oops', 'bad.json') } }),
      /GITHUB_EVENT_PATH .*bad\.json: not a JSON event file/,
    ],
    [
      'a push event (no pull request number)',
      (dir) => ({ env: { GITHUB_EVENT_PATH: writeReport(dir, '{"ref":"refs/heads/main"}', 'push.json') } }),
      /GITHUB_EVENT_PATH .*push\.json: no pull request number/,
    ],
    [
      'a GITHUB_API_URL that is not http(s)',
      () => ({ env: { GITHUB_API_URL: 'ftp://example.com' } }),
      /GITHUB_API_URL must be an http\(s\) URL/,
    ],
    [
      'a missing report',
      (dir) => ({ args: [join(dir, 'missing.md'), '--github'] }),
      /missing\.md: cannot read the report: no such file or directory/,
    ],
    [
      'an empty report',
      (dir) => ({ args: [writeReport(dir, ' \n\n'), '--github'] }),
      /report\.md: the report is empty/,
    ],
    [
      'a report that is not text',
      (dir) => ({ args: [writeReport(dir, '\x89PNG\r\n\x1a\n\0\0\0\rIHDR'), '--github'] }),
      /report\.md: not a text file/,
    ],
    [
      'a report that is a folder',
      (dir) => ({ args: [dir, '--github'] }),
      /cannot read the report: is a directory/,
    ],
    [
      'neither --github nor --gitlab',
      (dir) => ({ args: [writeReport(dir, 'r\n')] }),
      /pass one of --github or --gitlab/,
    ],
    [
      'both --github and --gitlab',
      (dir) => ({ args: [writeReport(dir, 'r\n'), '--github', '--gitlab'] }),
      /pass one of --github or --gitlab/,
    ],
    [
      'a bad --pr',
      (dir) => ({ args: [writeReport(dir, 'r\n'), '--github', '--pr', 'seven'] }),
      /--pr must be a whole number/,
    ],
    [
      'a bad --timeout',
      (dir) => ({ args: [writeReport(dir, 'r\n'), '--github', '--timeout', '0'] }),
      /--timeout must be a number of seconds/,
    ],
  ];
  for (const [name, make, message] of cases) {
    it(name, async () => {
      const pr = pullRequest(30);
      const { args, env } = make(pr.dir);
      const before = github.requests.length;
      const result = await pr.run(args ?? [writeReport(pr.dir, 'r\n'), '--github'], env);
      expectUsageError(result, message);
      expect(github.requests.length).toBe(before);
      expect(readIfExists(pr.summary)).toBeNull();
    });
  }
});

describe('the token', () => {
  it('is redacted when the API echoes it in an error', async () => {
    const pr = pullRequest(40);
    github.failWith(422, { method: 'POST', body: { message: `token ${github.token} is not valid here` } });
    const result = await pr.run([writeReport(pr.dir, 'r\n'), '--github']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `schemapilot: GitHub answered 422 to POST /repos/${REPO}/issues/40/comments: token *** is not valid here\n`,
    );
    github.clearFailures();
    github.failWith(403, { method: 'POST', body: { message: `no write for ${github.token}` } });
    const degraded = await pr.run([writeReport(pr.dir, 'r\n'), '--github']);
    expect(degraded.code).toBe(0);
    expect(degraded.stderr + degraded.stdout).toContain('no write for ***');
  });

  it('never appears in any output or file of this suite', () => {
    expect(outputs.length).toBeGreaterThan(20);
    for (const result of outputs) expect(result.stdout + result.stderr).not.toContain(github.token);
    const files = expectNoSecretInFiles(dirs, [github.token]);
    expect(files.some((f) => f.endsWith('summary.md'))).toBe(true);
  });
});
