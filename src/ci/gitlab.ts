/**
 * The merge request's note through GitLab's REST API v4, from the environment of a GitLab CI
 * merge request pipeline:
 *   GET  {api}/projects/:id/merge_requests/:iid/notes?per_page=100&sort=asc&order_by=created_at&page=N   (X-Next-Page)
 *   PUT  {api}/projects/:id/merge_requests/:iid/notes/:note_id   {body}
 *   POST {api}/projects/:id/merge_requests/:iid/notes            {body}
 * https://docs.gitlab.com/api/notes/#merge-requests
 *
 * The token is GITLAB_TOKEN, sent as PRIVATE-TOKEN: a project or personal access token with the
 * `api` scope. CI_JOB_TOKEN cannot create notes (GitLab lists the endpoints it may call, and the
 * notes API is not one of them).
 */
import { InputError, registerSecret } from '../core/errors.js';
import { carriesMarker, type CommentTarget, type PostedComment } from './comment.js';
import { apiRequest, ApiError, type ApiClient } from './http.js';
import { apiBaseUrl, positiveInteger, requiredEnv } from './env.js';

/** GitLab's limit for a note ("Note is too long (maximum is 1000000 characters)"). */
export const GITLAB_MAX_BODY = 1_000_000;
const MAX_PAGES = 100;

export interface GitlabSettings {
  /** https://gitlab.example.com/api/v4 */
  apiUrl: string;
  /** A numeric id or a `group/project` path. */
  project: string;
  iid: number;
  token: string;
  /** CI_PROJECT_URL, for the note's link. */
  projectUrl: string | null;
  /** How messages name the project: CI_PROJECT_PATH, else the id. */
  projectName: string;
}

export function gitlabSettingsFromEnv(env: NodeJS.ProcessEnv, iid: number | undefined): GitlabSettings {
  const token = requiredEnv(
    env,
    'GITLAB_TOKEN',
    'a project access token with the api scope, as a masked CI/CD variable; CI_JOB_TOKEN cannot post notes',
  );
  registerSecret(token);
  const apiUrl = apiBaseUrl(env, 'CI_API_V4_URL', {
    hint: 'GitLab CI sets it, e.g. https://gitlab.example.com/api/v4',
  });
  const project = requiredEnv(env, 'CI_PROJECT_ID', 'GitLab CI sets it: the project id or group/project');
  let number = iid;
  if (number === undefined) {
    const text = requiredEnv(
      env,
      'CI_MERGE_REQUEST_IID',
      'run in a merge request pipeline (rules: - if: $CI_PIPELINE_SOURCE == "merge_request_event"), or pass --pr IID',
    );
    number = positiveInteger(text);
    if (number === undefined)
      throw new InputError(`CI_MERGE_REQUEST_IID must be a merge request number; got "${text}"`);
  }
  const projectUrl = env['CI_PROJECT_URL']?.trim();
  return {
    apiUrl,
    project,
    iid: number,
    token,
    projectUrl: projectUrl ? projectUrl.replace(/\/+$/, '') : null,
    projectName: env['CI_PROJECT_PATH']?.trim() || project,
  };
}

export function gitlabTarget(
  settings: GitlabSettings,
  options: { userAgent: string; timeoutMs: number },
): CommentTarget {
  const client: ApiClient = {
    platform: 'GitLab',
    timeoutMs: options.timeoutMs,
    headers: { 'private-token': settings.token, accept: 'application/json', 'user-agent': options.userAgent },
  };
  const notes = `${settings.apiUrl}/projects/${encodeURIComponent(settings.project)}/merge_requests/${settings.iid}/notes`;
  const posted = (body: unknown, what: string): PostedComment => {
    const note = body as { id?: unknown } | null;
    if (typeof note?.id !== 'number')
      throw new ApiError(`GitLab answered ${what} without a note id`, { status: 502 });
    return {
      id: note.id,
      url: settings.projectUrl && `${settings.projectUrl}/-/merge_requests/${settings.iid}#note_${note.id}`,
    };
  };
  return {
    platform: 'GitLab',
    noun: 'note',
    where: `${settings.projectName}!${settings.iid}`,
    maxBody: GITLAB_MAX_BODY,
    async findMarked(marker) {
      let page: number | undefined = 1;
      for (let count = 0; page !== undefined && count < MAX_PAGES; count += 1) {
        const response = await apiRequest(
          client,
          'GET',
          `${notes}?per_page=100&sort=asc&order_by=created_at&page=${page}`,
        );
        if (!Array.isArray(response.body))
          throw new ApiError('GitLab answered the note list with something else than a list', {
            status: 502,
          });
        // Oldest first; system notes ("added 1 commit") are GitLab's, never ours.
        for (const note of response.body as { body?: unknown; system?: unknown }[])
          if (note.system !== true && typeof note.body === 'string' && carriesMarker(note.body, marker))
            return posted(note, 'the note list');
        // Empty on the last page.
        const next: number | undefined = positiveInteger(response.headers.get('x-next-page') ?? '');
        page = next !== undefined && next > page ? next : undefined;
      }
      return null;
    },
    async update(id, body) {
      return posted((await apiRequest(client, 'PUT', `${notes}/${id}`, { body })).body, 'PUT');
    },
    async create(body) {
      return posted((await apiRequest(client, 'POST', notes, { body })).body, 'POST');
    },
  };
}
