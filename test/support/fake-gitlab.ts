/**
 * A local stand-in for the GitLab REST API v4 endpoints of a merge request's notes, for tests of
 * `schemapilot comment --gitlab`:
 *
 *   GET  /api/v4/projects/:id/merge_requests/:iid/notes?per_page&page&sort&order_by   X-Next-Page, X-Total, Link
 *   POST /api/v4/projects/:id/merge_requests/:iid/notes            {body}   201
 *   PUT  /api/v4/projects/:id/merge_requests/:iid/notes/:note_id   {body}   200
 *
 * `:id` is a number or a URL-encoded path (group%2Fproject). Every request needs the
 * `PRIVATE-TOKEN` header, else 401. Lists are newest first unless `sort=asc` (GitLab's
 * default), `per_page` 20 by default and at most 100. System notes can be seeded.
 */
import { pageOf, startJsonServer, type JsonReply, type RecordedRequest } from './fake-api-server.js';

export interface FakeGitlabNote {
  id: number;
  body: string;
  author: { username: string };
  system: boolean;
  created_at: string;
  updated_at: string;
  noteable_type: 'MergeRequest';
  noteable_iid: number;
}

export interface FakeGitlab {
  /** CI_API_V4_URL: http://127.0.0.1:<port>/api/v4 */
  url: string;
  token: string;
  requests: RecordedRequest[];
  /** The merge request's notes, oldest first (a copy). */
  notes(project: string, iid: number): FakeGitlabNote[];
  addNotes(
    project: string,
    iid: number,
    bodies: readonly string[],
    options?: { username?: string; system?: boolean },
  ): FakeGitlabNote[];
  failWith(status: number | 'hang', options?: { method?: string; times?: number; body?: unknown }): void;
  clearFailures(): void;
  /** GITLAB_TOKEN, CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID, CI_PROJECT_URL. */
  env(options: { project: string; iid: number }): Record<string, string>;
  close(): Promise<void>;
}

export const FAKE_GITLAB_TOKEN = 'glpat-fakeToken0123456789abcd';
export const FAKE_GITLAB_BOT = 'project_42_bot_0123';
const PREFIX = '/api/v4';

export async function startFakeGitlab(options: { token?: string } = {}): Promise<FakeGitlab> {
  const token = options.token ?? FAKE_GITLAB_TOKEN;
  const mergeRequests = new Map<string, FakeGitlabNote[]>();
  let nextId = 3_000_001;
  let clock = Date.parse('2026-01-01T00:00:00Z');

  const notesOf = (project: string, iid: number): FakeGitlabNote[] => {
    const key = `${project}!${iid}`;
    let notes = mergeRequests.get(key);
    if (!notes) mergeRequests.set(key, (notes = []));
    return notes;
  };
  const newNote = (project: string, iid: number, body: string, username: string, system: boolean) => {
    const at = new Date((clock += 1000)).toISOString();
    const note: FakeGitlabNote = {
      id: nextId++,
      body,
      author: { username },
      system,
      created_at: at,
      updated_at: at,
      noteable_type: 'MergeRequest',
      noteable_iid: iid,
    };
    notesOf(project, iid).push(note);
    return note;
  };

  const route = (request: RecordedRequest, origin: string): JsonReply => {
    if (request.headers['private-token'] !== token)
      return { status: 401, body: { message: '401 Unauthorized' } };
    const m = /^\/api\/v4\/projects\/([^/]+)\/merge_requests\/(\d+)\/notes(?:\/(\d+))?$/.exec(request.path);
    if (!m) return notFound();
    const project = decodeURIComponent(m[1] ?? '');
    const iid = Number(m[2]);
    const notes = notesOf(project, iid);
    if (m[3] === undefined && request.method === 'GET') return list(origin, request, notes);
    if (m[3] === undefined && request.method === 'POST') {
      const invalid = invalidBody(request.body);
      return invalid ?? { status: 201, body: newNote(project, iid, bodyOf(request), FAKE_GITLAB_BOT, false) };
    }
    if (m[3] !== undefined && request.method === 'PUT') {
      const note = notes.find((n) => n.id === Number(m[3]));
      if (!note) return notFound();
      const invalid = invalidBody(request.body);
      if (invalid) return invalid;
      note.body = bodyOf(request);
      note.updated_at = new Date((clock += 1000)).toISOString();
      return { status: 200, body: note };
    }
    return { status: 405, body: { message: '405 Method Not Allowed' } };
  };

  const list = (origin: string, request: RecordedRequest, notes: FakeGitlabNote[]): JsonReply => {
    const { page, perPage } = pageOf(request.query, { perPage: 20, maxPerPage: 100 });
    const sorted = request.query['sort'] === 'asc' ? [...notes] : [...notes].reverse();
    const totalPages = Math.max(1, Math.ceil(sorted.length / perPage));
    const params = (n: number) => {
      const query = new URLSearchParams({ ...request.query, page: String(n), per_page: String(perPage) });
      return `<${origin}${request.path}?${query.toString()}>`;
    };
    const links = [
      ...(page < totalPages ? [`${params(page + 1)}; rel="next"`] : []),
      `${params(1)}; rel="first"`,
      `${params(totalPages)}; rel="last"`,
    ];
    return {
      status: 200,
      body: sorted.slice((page - 1) * perPage, page * perPage),
      headers: {
        'x-page': String(page),
        'x-per-page': String(perPage),
        'x-total': String(sorted.length),
        'x-total-pages': String(totalPages),
        'x-next-page': page < totalPages ? String(page + 1) : '',
        'x-prev-page': page > 1 ? String(page - 1) : '',
        link: links.join(', '),
      },
    };
  };

  const server = await startJsonServer(route);
  const url = `${server.origin}${PREFIX}`;
  return {
    url,
    token,
    requests: server.requests,
    notes: (project, iid) => notesOf(project, iid).map((n) => ({ ...n, author: { ...n.author } })),
    addNotes: (project, iid, bodies, add = {}) =>
      bodies.map((body) => newNote(project, iid, body, add.username ?? 'alice', add.system ?? false)),
    failWith(status, fail = {}) {
      server.failures.push({
        status,
        times: fail.times ?? Number.POSITIVE_INFINITY,
        body: fail.body ?? {
          message: `${typeof status === 'number' ? status : 500} ${WORDS[String(status)] ?? 'Error'}`,
        },
        match: (request) => fail.method === undefined || request.method === fail.method,
      });
    },
    clearFailures() {
      server.failures.length = 0;
    },
    env: ({ project, iid }) => ({
      GITLAB_TOKEN: token,
      CI_API_V4_URL: url,
      CI_PROJECT_ID: project,
      CI_MERGE_REQUEST_IID: String(iid),
      CI_PROJECT_URL: `https://gitlab.example.com/${project}`,
    }),
    close: () => server.close(),
  };
}

const WORDS: Record<string, string> = { '401': 'Unauthorized', '403': 'Forbidden', '404': 'Not found' };

function bodyOf(request: RecordedRequest): string {
  return (request.body as { body: string }).body;
}

function invalidBody(body: unknown): JsonReply | null {
  const text = (body as { body?: unknown } | null)?.body;
  if (typeof text !== 'string' || text.trim() === '')
    return { status: 400, body: { error: 'body is missing' } };
  if ([...text].length > 1_000_000)
    return { status: 400, body: { message: { note: ['is too long (maximum is 1000000 characters)'] } } };
  return null;
}

function notFound(): JsonReply {
  return { status: 404, body: { message: '404 Not found' } };
}
