/**
 * The REST calls of the CI integrations (GitHub, GitLab): node's global fetch with a deadline
 * per request, JSON in and out, redirects followed only on the API's own origin (a token header
 * must never travel to another host), and errors that say which API answered what, without the
 * token (it is registered as a secret, so `redactUrl` removes it from every message).
 */
import { ExitCode, SchemapilotError, redactUrl } from '../core/errors.js';

/** Per request: GitHub and GitLab answer in well under a second; a stuck proxy should not hang CI. */
export const DEFAULT_HTTP_TIMEOUT_MS = 30_000;

export interface ApiClient {
  /** 'GitHub' or 'GitLab', as messages name it. */
  platform: string;
  /** Sent with every request: the token header, Accept, User-Agent. */
  headers: Record<string, string>;
  timeoutMs: number;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * An API call that did not succeed. `status` is null when there was no answer (connection
 * refused, reset, timeout). Server trouble (5xx, 429, no answer) is `retryable` and exits 1:
 * nothing is wrong with the input, and a rerun may pass. A refused token (401) or request (other
 * 4xx) exits 2. 403 and 404 are what a fork's read-only token gets: the comment flow degrades
 * on them rather than failing (comment.ts).
 */
export class ApiError extends SchemapilotError {
  readonly status: number | null;
  readonly retryable: boolean;
  /** From a Retry-After header, when the server sent one. */
  readonly retryAfterMs: number | null;
  /** The API's own words (`message` of its JSON error), one line, redacted; '' when none. */
  readonly apiMessage: string;

  constructor(
    message: string,
    details: { status: number | null; apiMessage?: string; retryAfterMs?: number | null; cause?: unknown },
  ) {
    const retryable = details.status === null || details.status === 429 || details.status >= 500;
    super(redactUrl(message), {
      exitCode: retryable ? ExitCode.unsafe : ExitCode.usage,
      cause: details.cause,
    });
    this.name = 'ApiError';
    this.status = details.status;
    this.retryable = retryable;
    this.retryAfterMs = details.retryAfterMs ?? null;
    this.apiMessage = redactUrl(details.apiMessage ?? '');
  }
}

const MAX_REDIRECTS = 5;

/**
 * One request; resolves for 2xx answers and throws ApiError for anything else. `url` is
 * absolute; `origin` is the API's, which every redirect must stay on.
 */
export async function apiRequest(
  client: ApiClient,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
  url: string,
  json?: unknown,
): Promise<ApiResponse> {
  const origin = new URL(url).origin;
  let target = url;
  for (let hop = 0; ; hop += 1) {
    const response = await send(client, method, target, json);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      const next = new URL(location, target);
      // GitHub redirects a renamed repository's URLs; another host would receive our token.
      if (next.origin !== origin || hop >= MAX_REDIRECTS)
        throw new ApiError(
          `${client.platform} redirected ${method} ${pathOf(target)} to ${next.origin}${next.pathname}, which is not its API; not followed`,
          { status: response.status },
        );
      await response.body?.cancel();
      target = next.toString();
      continue;
    }
    const body = await readBody(client, method, target, response);
    if (response.status >= 200 && response.status < 300)
      return { status: response.status, headers: response.headers, body };
    throw httpError(client, method, target, response, body);
  }
}

async function send(client: ApiClient, method: string, url: string, json: unknown): Promise<Response> {
  const signal = AbortSignal.timeout(client.timeoutMs);
  try {
    return await fetch(url, {
      method,
      headers: {
        ...client.headers,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: json === undefined ? undefined : JSON.stringify(json),
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    throw noAnswer(client, method, url, error, signal);
  }
}

async function readBody(
  client: ApiClient,
  method: string,
  url: string,
  response: Response,
): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw noAnswer(client, method, url, error, null);
  }
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // An HTML error page from a proxy: keep its start for the message.
    return text;
  }
}

function noAnswer(
  client: ApiClient,
  method: string,
  url: string,
  error: unknown,
  signal: AbortSignal | null,
): ApiError {
  const timedOut = signal?.aborted === true || (error instanceof Error && error.name === 'TimeoutError');
  const reason = timedOut ? `no answer within ${client.timeoutMs / 1000} s` : causeWords(error);
  return new ApiError(
    `${client.platform} API at ${new URL(url).origin}: ${method} ${pathOf(url)}: ${reason}`,
    {
      status: null,
      cause: error,
    },
  );
}

/** fetch's "fetch failed" says nothing; the cause's code (ECONNREFUSED, ENOTFOUND) does. */
function causeWords(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return `connection failed (${cause.code})`;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function httpError(
  client: ApiClient,
  method: string,
  url: string,
  response: Response,
  body: unknown,
): ApiError {
  const apiMessage = messageOf(body);
  const retryAfter = Number(response.headers.get('retry-after'));
  return new ApiError(
    `${client.platform} answered ${response.status} to ${method} ${pathOf(url)}${apiMessage ? `: ${apiMessage}` : ''}`,
    {
      status: response.status,
      apiMessage,
      retryAfterMs:
        response.headers.has('retry-after') && Number.isFinite(retryAfter) && retryAfter >= 0
          ? retryAfter * 1000
          : null,
    },
  );
}

/** GitHub: `{message}`; GitLab: `{message}` (a string or an object of field errors) or `{error}`. */
function messageOf(body: unknown): string {
  let text = '';
  if (typeof body === 'string') text = body;
  else if (body !== null && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const message = record['message'] ?? record['error'];
    text = typeof message === 'string' ? message : message === undefined ? '' : JSON.stringify(message);
  }
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** The path of a URL, without its query: what messages quote. */
export function pathOf(url: string): string {
  return new URL(url).pathname;
}
