/**
 * A local stand-in for the GitHub REST API endpoints of a pull request's comments, for tests
 * that run `schemapilot comment --github` (and the GitHub Action, which calls it) against it:
 *
 *   GET   {prefix}/repos/{owner}/{repo}/issues/{n}/comments?per_page&page   oldest first, Link header
 *   GET   {prefix}/repositories/{repo_id}/issues/{n}/comments?…             where GitHub's Link points
 *   POST  {prefix}/repos/{owner}/{repo}/issues/{n}/comments     {body}      201
 *   PATCH {prefix}/repos/{owner}/{repo}/issues/comments/{id}    {body}      200
 *
 * Comments are kept in memory per repository and issue. Every request needs
 * `Authorization: Bearer <token>` (or `token <token>`), else 401 as GitHub answers it. Pages are
 * `per_page` long (default 30, at most 100) with real `Link` headers (next, last, first, prev),
 * which, as on github.com, name the repository by id. Bodies over 65536 characters get 422.
 *
 * Use: `const gh = await startFakeGithub()`, then `gh.env({ repo: 'o/r', pr: 7, dir })` for
 * the GITHUB_* variables (it writes the event file), `gh.comments('o/r', 7)` to see what was
 * posted, `gh.failWith(403, { method: 'POST' })` for a fork's read-only token, `gh.requests`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pageOf, startJsonServer, type JsonReply, type RecordedRequest } from './fake-api-server.js';

export type { RecordedRequest } from './fake-api-server.js';

export interface FakeGithubComment {
  id: number;
  body: string;
  user: { login: string; type: 'User' | 'Bot' };
  created_at: string;
  updated_at: string;
  html_url: string;
  url: string;
}

export interface FailOptions {
  /** Only requests on this repository (owner/repo). */
  repo?: string;
  /** Only this method ('GET', 'POST', 'PATCH'). */
  method?: string;
  /** How many matching requests fail (default: all). */
  times?: number;
  /** The JSON body of the failure (default: GitHub's for the status). */
  body?: unknown;
  retryAfter?: number;
}

export interface FakeGithub {
  /** The API's base URL, with the prefix when one was asked for: GITHUB_API_URL. */
  url: string;
  /** The token it accepts. */
  token: string;
  /** Every request received, in order (headers include the Authorization header as sent). */
  requests: RecordedRequest[];
  /** The issue's comments, oldest first (a copy). */
  comments(repo: string, issue: number): FakeGithubComment[];
  /** Comments by other people (`login`, default "octocat"), e.g. 200 to make the list paginate. */
  addComments(repo: string, issue: number, bodies: readonly string[], login?: string): FakeGithubComment[];
  /** From now on, matching requests get `status`, or no answer at all ('hang'). */
  failWith(status: number | 'hang', options?: FailOptions): void;
  /** Forget the scripted failures. */
  clearFailures(): void;
  /**
   * GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_TOKEN and GITHUB_EVENT_PATH (a pull_request event
   * written to `dir`/event.json), plus GITHUB_ACTIONS=true and GITHUB_STEP_SUMMARY=`dir`/summary.md.
   */
  env(options: { repo: string; pr: number; dir: string }): Record<string, string>;
  close(): Promise<void>;
}

export const FAKE_GITHUB_TOKEN = 'ghs_fakeToken0123456789abcdefXYZ';
/** Who the token is: comments it creates are this bot's. */
export const FAKE_GITHUB_BOT = 'github-actions[bot]';
export const GITHUB_MAX_BODY = 65_536;

export async function startFakeGithub(
  options: { token?: string; prefix?: string } = {},
): Promise<FakeGithub> {
  const token = options.token ?? FAKE_GITHUB_TOKEN;
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');
  const issues = new Map<string, FakeGithubComment[]>();
  const repoIds = new Map<string, number>();
  let nextId = 1_000_000_001;
  let clock = Date.parse('2026-01-01T00:00:00Z');

  const repoId = (repo: string): number => {
    const known = repoIds.get(repo.toLowerCase());
    if (known !== undefined) return known;
    const id = 500_000 + repoIds.size;
    repoIds.set(repo.toLowerCase(), id);
    return id;
  };
  const repoOfId = (id: number): string | undefined => [...repoIds].find(([, value]) => value === id)?.[0];
  const listOf = (repo: string, issue: number): FakeGithubComment[] => {
    const key = `${repo.toLowerCase()}#${issue}`;
    let list = issues.get(key);
    if (!list) issues.set(key, (list = []));
    repoId(repo);
    return list;
  };
  const newComment = (repo: string, issue: number, body: string, login: string): FakeGithubComment => {
    const id = nextId++;
    const at = new Date((clock += 1000)).toISOString();
    const comment: FakeGithubComment = {
      id,
      body,
      user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
      created_at: at,
      updated_at: at,
      html_url: `https://github.com/${repo}/pull/${issue}#issuecomment-${id}`,
      url: `${server.origin}${prefix}/repos/${repo}/issues/comments/${id}`,
    };
    listOf(repo, issue).push(comment);
    return comment;
  };

  const route = (request: RecordedRequest, origin: string): JsonReply => {
    if (!request.path.startsWith(`${prefix}/`)) return notFound();
    const auth = request.headers.authorization;
    if (auth === undefined) return error(401, 'Requires authentication');
    if (auth !== `Bearer ${token}` && auth !== `token ${token}`) return error(401, 'Bad credentials');
    const path = request.path.slice(prefix.length);
    const thread = issueOf(path);
    if (thread) {
      const { repo, issue } = thread;
      if (request.method === 'GET') return list(origin, repo, issue, request.query);
      if (request.method === 'POST') {
        const invalid = invalidBody(request.body);
        if (invalid) return invalid;
        const comment = newComment(repo, issue, (request.body as { body: string }).body, FAKE_GITHUB_BOT);
        return { status: 201, body: comment };
      }
      return error(404, 'Not Found');
    }
    const patch = /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/.exec(path);
    if (patch && request.method === 'PATCH') {
      const repo = decodeURIComponent(patch[1] ?? '').toLowerCase();
      const comment = [...issues]
        .filter(([key]) => key.startsWith(`${repo}#`))
        .flatMap(([, comments]) => comments)
        .find((c) => c.id === Number(patch[2]));
      if (!comment) return notFound();
      const invalid = invalidBody(request.body);
      if (invalid) return invalid;
      comment.body = (request.body as { body: string }).body;
      comment.updated_at = new Date((clock += 1000)).toISOString();
      return { status: 200, body: comment };
    }
    return notFound();
  };

  const list = (origin: string, repo: string, issue: number, query: Record<string, string>): JsonReply => {
    const all = listOf(repo, issue);
    const { page, perPage } = pageOf(query, { perPage: 30, maxPerPage: 100 });
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (n: number, rel: string) =>
      `<${origin}${prefix}/repositories/${repoId(repo)}/issues/${issue}/comments?per_page=${perPage}&page=${n}>; rel="${rel}"`;
    const links: string[] = [];
    if (page > 1) links.push(link(page - 1, 'prev'));
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'));
    return {
      status: 200,
      body: all.slice((page - 1) * perPage, page * perPage),
      headers: links.length > 0 ? { link: links.join(', ') } : {},
    };
  };

  const server = await startJsonServer(route);
  const url = `${server.origin}${prefix}`;

  return {
    url,
    token,
    requests: server.requests,
    comments: (repo, issue) => listOf(repo, issue).map((c) => ({ ...c, user: { ...c.user } })),
    addComments: (repo, issue, bodies, login = 'octocat') =>
      bodies.map((body) => newComment(repo, issue, body, login)),
    failWith(status, fail = {}) {
      server.failures.push({
        status,
        times: fail.times ?? Number.POSITIVE_INFINITY,
        body: fail.body ?? errorBody(typeof status === 'number' ? status : 500),
        ...(fail.retryAfter === undefined ? {} : { retryAfter: fail.retryAfter }),
        match: (request) =>
          (fail.method === undefined || request.method === fail.method) &&
          (fail.repo === undefined ||
            repoOfRequest(request.path.slice(prefix.length)) === fail.repo.toLowerCase()),
      });
    },
    clearFailures() {
      server.failures.length = 0;
    },
    env({ repo, pr, dir }) {
      const eventPath = join(dir, 'event.json');
      writeFileSync(
        eventPath,
        JSON.stringify({
          action: 'synchronize',
          number: pr,
          pull_request: { number: pr },
          repository: { full_name: repo },
        }),
      );
      return {
        GITHUB_API_URL: url,
        GITHUB_REPOSITORY: repo,
        GITHUB_TOKEN: token,
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_ACTIONS: 'true',
        GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
      };
    },
    close: () => server.close(),
  };

  /** The repository and issue of a comment-list path, by name or by id (as Link headers name it). */
  function issueOf(path: string): { repo: string; issue: number } | null {
    const byName = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(path);
    if (byName) return { repo: decodeURIComponent(byName[1] ?? ''), issue: Number(byName[2]) };
    const byId = /^\/repositories\/(\d+)\/issues\/(\d+)\/comments$/.exec(path);
    const repo = byId ? repoOfId(Number(byId[1])) : undefined;
    return byId && repo !== undefined ? { repo, issue: Number(byId[2]) } : null;
  }

  function repoOfRequest(path: string): string | undefined {
    const byName = /^\/repos\/([^/]+\/[^/]+)\//.exec(path);
    if (byName) return decodeURIComponent(byName[1] ?? '').toLowerCase();
    const byId = /^\/repositories\/(\d+)\//.exec(path);
    return byId ? repoOfId(Number(byId[1])) : undefined;
  }
}

function invalidBody(body: unknown): JsonReply | null {
  const text = (body as { body?: unknown } | null)?.body;
  if (typeof text !== 'string' || text === '')
    return validationFailed('body', 'missing_field', "body wasn't supplied.");
  if ([...text].length > GITHUB_MAX_BODY)
    return validationFailed('body', 'custom', `body is too long (maximum is ${GITHUB_MAX_BODY} characters)`);
  return null;
}

function validationFailed(field: string, code: string, message: string): JsonReply {
  return {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [{ resource: 'IssueComment', code, field, message }],
      documentation_url: 'https://docs.github.com/rest/issues/comments',
      status: '422',
    },
  };
}

function notFound(): JsonReply {
  return error(404, 'Not Found');
}

function error(status: number, message: string): JsonReply {
  return { status, body: errorBody(status, message) };
}

/** GitHub's error bodies, as it sends them for these statuses. */
function errorBody(status: number, message?: string): unknown {
  const words =
    message ??
    (
      { 401: 'Bad credentials', 403: 'Resource not accessible by integration', 404: 'Not Found' } as Record<
        number,
        string
      >
    )[status] ??
    (status >= 500 ? 'Server Error' : 'Error');
  return { message: words, documentation_url: 'https://docs.github.com/rest', status: String(status) };
}
