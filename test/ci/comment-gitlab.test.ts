/**
 * `schemapilot comment --gitlab`, run as a process against a local server that speaks the GitLab
 * REST API v4 notes endpoints (test/support/fake-gitlab.ts): one note per merge request, found
 * again by its marker on any page and updated; 403 degrades; the token is never printed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CliResult } from '../support/cli.js';
import { expectUsageError } from '../cli/support.js';
import { startFakeGitlab, FAKE_GITLAB_BOT, type FakeGitlab } from '../support/fake-gitlab.js';
import { comment, postedId, tempDir, writeReport } from './support.js';

const PROJECT = '42';
const MARKER = '<!-- schemapilot:report -->';

let gitlab: FakeGitlab;
const outputs: CliResult[] = [];

function mergeRequest(iid: number, project = PROJECT) {
  const dir = tempDir();
  const env = gitlab.env({ project, iid });
  const run = async (args: readonly string[], extra: Record<string, string> = {}) => {
    const result = await comment(args, { ...env, ...extra });
    outputs.push(result);
    return result;
  };
  return { dir, env, run };
}

beforeAll(async () => {
  gitlab = await startFakeGitlab();
});
afterEach(() => gitlab.clearFailures());
afterAll(async () => {
  await gitlab.close();
});

describe('one note per merge request', () => {
  it('is created on the first run and updated in place on the next', async () => {
    const mr = mergeRequest(1);
    const id = postedId(await mr.run([writeReport(mr.dir, 'first\n'), '--gitlab']), 'created', 'note');
    const created = gitlab.notes(PROJECT, 1);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      id,
      body: `${MARKER}\nfirst\n`,
      author: { username: FAKE_GITLAB_BOT },
    });
    const post = gitlab.requests.find((r) => r.method === 'POST');
    expect(post?.headers['private-token']).toBe(gitlab.token);
    expect(post?.headers['authorization']).toBeUndefined();

    const before = gitlab.requests.length;
    const second = await mr.run([writeReport(mr.dir, 'second\n'), '--gitlab']);
    expect(postedId(second, 'updated', 'note')).toBe(id);
    expect(second.stderr).toContain(`on 42!1: https://gitlab.example.com/42/-/merge_requests/1#note_${id}`);
    expect(gitlab.notes(PROJECT, 1).map((n) => n.body)).toEqual([`${MARKER}\nsecond\n`]);
    expect(gitlab.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /api/v4/projects/42/merge_requests/1/notes`,
      `PUT /api/v4/projects/42/merge_requests/1/notes/${id}`,
    ]);
  });

  it('finds its note on the third page of 250, oldest first, following X-Next-Page; system notes are never taken', async () => {
    const mr = mergeRequest(2);
    gitlab.addNotes(
      PROJECT,
      2,
      Array.from({ length: 150 }, (_, i) => `comment ${i}`),
    );
    gitlab.addNotes(PROJECT, 2, [`${MARKER}\nlooks like ours`], { system: true });
    gitlab.addNotes(
      PROJECT,
      2,
      Array.from({ length: 60 }, (_, i) => `more ${i}`),
    );
    const [ours] = gitlab.addNotes(PROJECT, 2, [`${MARKER}\nold`], { username: FAKE_GITLAB_BOT });
    // A newer marked note: the oldest one is kept updated (GitLab lists newest first by default).
    gitlab.addNotes(PROJECT, 2, [`${MARKER}\ncopy`], { username: 'mallory' });
    gitlab.addNotes(
      PROJECT,
      2,
      Array.from({ length: 38 }, (_, i) => `later ${i}`),
    );
    const before = gitlab.requests.length;

    const result = await mr.run([writeReport(mr.dir, 'new\n'), '--gitlab']);
    expect(postedId(result, 'updated', 'note')).toBe(ours?.id);
    const notes = gitlab.notes(PROJECT, 2);
    expect(notes).toHaveLength(251);
    expect(notes.filter((n) => n.body === `${MARKER}\nnew\n`).map((n) => n.id)).toEqual([ours?.id]);
    const gets = gitlab.requests.slice(before).filter((r) => r.method === 'GET');
    expect(gets.map((r) => r.query['page'])).toEqual(['1', '2', '3']);
    expect(gets[0]?.query).toMatchObject({ per_page: '100', sort: 'asc', order_by: 'created_at' });
  });

  it('takes a project path for CI_PROJECT_ID and the IID from --pr', async () => {
    const mr = mergeRequest(3, 'group/sub/app');
    postedId(
      await mr.run([writeReport(mr.dir, 'x\n'), '--gitlab', '--pr', '3'], { CI_MERGE_REQUEST_IID: '' }),
      'created',
      'note',
    );
    expect(gitlab.notes('group/sub/app', 3)).toHaveLength(1);
    expect(gitlab.requests.at(-1)?.path).toBe('/api/v4/projects/group%2Fsub%2Fapp/merge_requests/3/notes');
  });
});

describe('refusals and bad input', () => {
  it('degrades on 403: a warning, exit 0, nothing posted', async () => {
    const mr = mergeRequest(4);
    gitlab.failWith(403, { method: 'POST' });
    const result = await mr.run([writeReport(mr.dir, 'x\n'), '--gitlab']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'schemapilot: warning: could not comment on 42!4: GitLab answered 403 (403 Forbidden); nothing was posted. The token needs the api scope and at least the Reporter role in the project.\n',
    );
    gitlab.clearFailures();
    expect(gitlab.notes(PROJECT, 4)).toHaveLength(0);
  });

  it('exits 2 on a token GitLab rejects (401)', async () => {
    const mr = mergeRequest(5);
    const result = await mr.run([writeReport(mr.dir, 'x\n'), '--gitlab'], {
      GITLAB_TOKEN: 'glpat-wrong-one',
    });
    expectUsageError(
      result,
      /GitLab answered 401 to GET \/api\/v4\/projects\/42\/merge_requests\/5\/notes: 401 Unauthorized/,
    );
  });

  for (const name of ['GITLAB_TOKEN', 'CI_API_V4_URL', 'CI_PROJECT_ID', 'CI_MERGE_REQUEST_IID']) {
    it(`exits 2 without ${name}, naming it, before any request`, async () => {
      const mr = mergeRequest(6);
      const before = gitlab.requests.length;
      const result = await mr.run([writeReport(mr.dir, 'x\n'), '--gitlab'], { [name]: '' });
      expectUsageError(result, new RegExp(`^schemapilot: ${name} is not set \\(`));
      expect(gitlab.requests.length).toBe(before);
    });
  }

  it('explains that CI_JOB_TOKEN cannot post notes', async () => {
    const mr = mergeRequest(7);
    const result = await mr.run([writeReport(mr.dir, 'x\n'), '--gitlab'], {
      GITLAB_TOKEN: '',
      CI_JOB_TOKEN: 'abc',
    });
    expectUsageError(result, /GITLAB_TOKEN is not set \(.*CI_JOB_TOKEN cannot post notes\)/);
  });

  it('never prints the token', () => {
    expect(outputs.length).toBeGreaterThan(5);
    for (const result of outputs) expect(result.stdout + result.stderr).not.toContain(gitlab.token);
  });
});
