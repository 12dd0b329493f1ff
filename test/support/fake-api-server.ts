/**
 * What the fake REST APIs (fake-github.ts, fake-gitlab.ts) share: node:http on a random port of
 * 127.0.0.1, JSON bodies in and out, every request recorded, and scripted failures (a status
 * for matching requests, a number of times, or no answer at all).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** The path as sent, without the query. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; null when there was none or it was not JSON. */
  body: unknown;
  rawBody: string;
}

export interface JsonReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A scripted failure: requests that `match` get `status` (or no answer: 'hang'), `times` times. */
export interface ScriptedFailure {
  status: number | 'hang';
  match: (request: RecordedRequest) => boolean;
  times: number;
  body: unknown;
  retryAfter?: number;
}

export interface JsonServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  requests: RecordedRequest[];
  failures: ScriptedFailure[];
  close(): Promise<void>;
}

export async function startJsonServer(
  route: (request: RecordedRequest, origin: string) => JsonReply,
): Promise<JsonServer> {
  const requests: RecordedRequest[] = [];
  const failures: ScriptedFailure[] = [];
  let origin = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown = null;
      try {
        body = rawBody === '' ? null : (JSON.parse(rawBody) as unknown);
      } catch {
        body = null;
      }
      const url = new URL(req.url ?? '/', origin);
      const request: RecordedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
        rawBody,
      };
      requests.push(request);
      const failure = failures.find((f) => f.times > 0 && f.match(request));
      if (failure) {
        failure.times -= 1;
        if (failure.status === 'hang') return; // answered by close(), never before
        sendJson(res, {
          status: failure.status,
          body: failure.body,
          headers: failure.retryAfter === undefined ? {} : { 'retry-after': String(failure.retryAfter) },
        });
        return;
      }
      sendJson(res, route(request, origin));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    failures,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendJson(res: ServerResponse, reply: JsonReply): void {
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...reply.headers,
  });
  res.end(text);
}

/** `page` and `per_page` of a list request, bounded as the real APIs bound them. */
export function pageOf(
  query: Record<string, string>,
  defaults: { perPage: number; maxPerPage: number },
): { page: number; perPage: number } {
  const page = Math.max(1, Number.parseInt(query['page'] ?? '1', 10) || 1);
  const asked = Number.parseInt(query['per_page'] ?? '', 10);
  const perPage =
    Number.isFinite(asked) && asked > 0 ? Math.min(asked, defaults.maxPerPage) : defaults.perPage;
  return { page, perPage };
}
