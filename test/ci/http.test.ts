/**
 * Redirects: followed on the API's own origin (GitHub redirects a renamed repository), refused
 * to any other, so the token header never reaches another host.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest, ApiError, type ApiClient } from '../../src/ci/http.js';

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
}

async function listen(
  handler: Parameters<typeof createServer>[1],
): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const client: ApiClient = {
  platform: 'GitHub',
  timeoutMs: 5000,
  headers: { authorization: 'Bearer ghs_redirectSecret123', 'private-token': 'glpat-redirectSecret' },
};

let api: { server: Server; origin: string };
let other: { server: Server; origin: string };
const seenByOther: Seen[] = [];

beforeAll(async () => {
  other = await listen((req, res) => {
    seenByOther.push({ path: req.url ?? '', headers: req.headers });
    res.end('[]');
  });
  api = await listen((req, res) => {
    if (req.url === '/repos/old/name/issues/1/comments') {
      res.writeHead(301, { location: '/repositories/9/issues/1/comments' }).end();
    } else if (req.url === '/repositories/9/issues/1/comments') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify([{ id: 1, seen: req.headers }]));
    } else {
      res.writeHead(302, { location: `${other.origin}/steal` }).end();
    }
  });
});
afterAll(async () => {
  for (const { server } of [api, other]) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

describe('redirects', () => {
  it('are followed on the same origin, with the headers', async () => {
    const response = await apiRequest(client, 'GET', `${api.origin}/repos/old/name/issues/1/comments`);
    const [first] = response.body as { id: number; seen: IncomingHttpHeaders }[];
    expect(first?.id).toBe(1);
    expect(first?.seen.authorization).toBe('Bearer ghs_redirectSecret123');
  });

  it('to another origin are refused, and that origin never sees the request', async () => {
    const error = await apiRequest(client, 'GET', `${api.origin}/elsewhere`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe(
      `GitHub redirected GET /elsewhere to ${other.origin}/steal, which is not its API; not followed`,
    );
    expect(seenByOther).toEqual([]);
  });
});
