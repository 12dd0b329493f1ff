/**
 * The pull request's comment through GitHub's REST API (issue comments: a pull request is an
 * issue), from the environment GitHub Actions provides, so it runs the same outside Actions.
 *   GET   {api}/repos/{owner}/{repo}/issues/{n}/comments?per_page=100   (oldest first; Link: rel="next")
 *   PATCH {api}/repos/{owner}/{repo}/issues/comments/{id}               {body}
 *   POST  {api}/repos/{owner}/{repo}/issues/{n}/comments                {body}
 * https://docs.github.com/rest/issues/comments
 */
import { readFileSync } from 'node:fs';
import { InputError, registerSecret } from '../core/errors.js';
import { fsErrorWords } from '../core/fs-errors.js';
import { carriesMarker, type CommentTarget, type PostedComment } from './comment.js';
import { apiRequest, ApiError, type ApiClient } from './http.js';
import { apiBaseUrl, positiveInteger, requiredEnv } from './env.js';

/** GitHub refuses longer bodies ("body is too long (maximum is 65536 characters)"). */
export const GITHUB_MAX_BODY = 65_536;
/** 100 pages of 100: a pull request with more comments than that gets a new one. */
const MAX_PAGES = 100;

export interface GithubSettings {
  /** https://api.github.com, or a GitHub Enterprise Server's https://host/api/v3 */
  apiUrl: string;
  owner: string;
  repo: string;
  number: number;
  token: string;
}

/**
 * GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL (default https://api.github.com) and the
 * pull request's number: `pr` when given, else from the event file at GITHUB_EVENT_PATH
 * (`pull_request.number`, `issue.number` for issue_comment events, or `number`). The token is
 * registered as a secret before anything else can fail.
 */
export function githubSettingsFromEnv(env: NodeJS.ProcessEnv, pr: number | undefined): GithubSettings {
  const token = requiredEnv(
    env,
    'GITHUB_TOKEN',
    'pass the workflow token: env: { GITHUB_TOKEN: ${{ github.token }} }',
  );
  registerSecret(token);
  const repository = requiredEnv(env, 'GITHUB_REPOSITORY', 'owner/repo; GitHub Actions sets it');
  const parts = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repository);
  if (!parts) throw new InputError(`GITHUB_REPOSITORY must be owner/repo; got "${repository}"`);
  return {
    apiUrl: apiBaseUrl(env, 'GITHUB_API_URL', { fallback: 'https://api.github.com' }),
    owner: parts[1] ?? '',
    repo: parts[2] ?? '',
    number: pr ?? eventNumber(env),
    token,
  };
}

function eventNumber(env: NodeJS.ProcessEnv): number {
  const path = requiredEnv(env, 'GITHUB_EVENT_PATH', 'run on pull_request events, or pass --pr NUMBER');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`GITHUB_EVENT_PATH ${path}: cannot read: ${fsErrorWords(error)}`);
  }
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw new InputError(`GITHUB_EVENT_PATH ${path}: not a JSON event file`);
  }
  const record = (value: unknown): Record<string, unknown> | undefined =>
    value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  const found = [
    record(record(event)?.['pull_request'])?.['number'],
    record(record(event)?.['issue'])?.['number'],
    record(event)?.['number'],
  ].find((n) => n !== undefined);
  const number = typeof found === 'number' ? positiveInteger(String(found)) : undefined;
  if (number === undefined)
    throw new InputError(
      `GITHUB_EVENT_PATH ${path}: no pull request number (pull_request.number, issue.number or number): run on pull_request events, or pass --pr NUMBER`,
    );
  return number;
}

export function githubTarget(
  settings: GithubSettings,
  options: { userAgent: string; timeoutMs: number },
): CommentTarget {
  const client: ApiClient = {
    platform: 'GitHub',
    timeoutMs: options.timeoutMs,
    headers: {
      authorization: `Bearer ${settings.token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': options.userAgent,
    },
  };
  const repo = `${settings.apiUrl}/repos/${encodeURIComponent(settings.owner)}/${encodeURIComponent(settings.repo)}`;
  const posted = (body: unknown, what: string): PostedComment => {
    const comment = body as { id?: unknown; html_url?: unknown } | null;
    if (typeof comment?.id !== 'number')
      throw new ApiError(`GitHub answered ${what} without a comment id`, { status: 502 });
    return { id: comment.id, url: typeof comment.html_url === 'string' ? comment.html_url : null };
  };
  return {
    platform: 'GitHub',
    noun: 'comment',
    where: `${settings.owner}/${settings.repo}#${settings.number}`,
    maxBody: GITHUB_MAX_BODY,
    async findMarked(marker) {
      let url: string | null = `${repo}/issues/${settings.number}/comments?per_page=100`;
      for (let page = 1; url !== null && page <= MAX_PAGES; page += 1) {
        const response = await apiRequest(client, 'GET', url);
        if (!Array.isArray(response.body))
          throw new ApiError(`GitHub answered the comment list with something else than a list`, {
            status: 502,
          });
        // Oldest first: the first marked comment is the one to keep updating.
        for (const comment of response.body as { body?: unknown }[])
          if (typeof comment.body === 'string' && carriesMarker(comment.body, marker))
            return posted(comment, 'the comment list');
        url = nextLink(response.headers.get('link'), settings.apiUrl);
      }
      return null;
    },
    async update(id, body) {
      return posted(
        (await apiRequest(client, 'PATCH', `${repo}/issues/comments/${id}`, { body })).body,
        'PATCH',
      );
    },
    async create(body) {
      return posted(
        (await apiRequest(client, 'POST', `${repo}/issues/${settings.number}/comments`, { body })).body,
        'POST',
      );
    },
  };
}

/**
 * The rel="next" URL of a Link header (RFC 8288), or null on the last page. It must be on the
 * API's origin: the token goes with the request.
 */
export function nextLink(header: string | null, apiUrl: string): string | null {
  if (header === null) return null;
  for (const part of header.split(',')) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!match || !/(?:^|;)\s*rel\s*=\s*"?(?:[^";]*\s)?next(?:\s[^";]*)?"?\s*(?:;|$)/i.test(match[2] ?? ''))
      continue;
    const next = new URL(match[1] ?? '', apiUrl);
    if (next.origin !== new URL(apiUrl).origin)
      throw new ApiError(
        `GitHub's next page is on ${next.origin}, not on its API ${new URL(apiUrl).origin}`,
        {
          status: 502,
        },
      );
    return next.toString();
  }
  return null;
}
