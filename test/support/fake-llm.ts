/**
 * A local stand-in for the Anthropic Messages API and the OpenAI Chat Completions API, for
 * tests that drive the real SDKs: node:http on a random port of 127.0.0.1. Replies come from a
 * script (a queue of items, or functions of the request); every request is recorded with its
 * parsed body and headers.
 *
 *   POST /v1/messages          → Anthropic: { id, type: 'message', role, content, model, stop_reason, stop_sequence, usage }
 *   POST /v1/chat/completions  → OpenAI:    { id, object: 'chat.completion', created, model, choices: [{ index, message, finish_reason }], usage }
 *
 * Base URLs for the SDKs: `anthropicUrl` (the SDK appends /v1/messages) and `openaiUrl`
 * (ends in /v1; the SDK appends /chat/completions).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeApi = 'anthropic' | 'openai';

export type FakeItem =
  | { text: string }
  | { toolCall: { name: string; input: Record<string, unknown> }; text?: string }
  /** OpenAI only: tool arguments sent as this exact text (malformed JSON, an array...). */
  | { rawToolArguments: string; name: string }
  | { status: number; retryAfter?: number; body?: unknown }
  | { delayMs: number; then: FakeItem };

export interface FakeRequest {
  api: FakeApi;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (null when it was not JSON). */
  body: Record<string, unknown> | null;
  rawBody: string;
}

export type FakeScriptEntry = FakeItem | ((request: FakeRequest) => FakeItem);

export interface FakeLlm {
  /** http://127.0.0.1:<port> */
  url: string;
  /** baseURL for the Anthropic SDK. */
  anthropicUrl: string;
  /** baseURL for the OpenAI SDK (…/v1). */
  openaiUrl: string;
  /** Appends replies to the queue; one is taken per request. */
  script(items: FakeScriptEntry[]): void;
  /** Every request received, in order. */
  readonly requests: FakeRequest[];
  /** Replies still queued. */
  pending(): number;
  close(): Promise<void>;
}

/** The model name the fake reports when the request names none. */
export const FAKE_MODEL = 'fake-model';

export async function startFakeLlm(): Promise<FakeLlm> {
  const queue: FakeScriptEntry[] = [];
  const requests: FakeRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let counter = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> | null = null;
      try {
        const parsed: unknown = JSON.parse(rawBody);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
          body = parsed as Record<string, unknown>;
      } catch {
        body = null;
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const api: FakeApi | null =
        req.method === 'POST' && url.pathname === '/v1/messages'
          ? 'anthropic'
          : req.method === 'POST' && url.pathname === '/v1/chat/completions'
            ? 'openai'
            : null;
      if (api === null) {
        sendJson(res, 404, {
          error: { type: 'not_found_error', message: `no route ${req.method} ${url.pathname}` },
        });
        return;
      }
      const request: FakeRequest = {
        api,
        method: req.method ?? '',
        path: url.pathname,
        headers: req.headers,
        body,
        rawBody,
      };
      requests.push(request);
      const entry = queue.shift();
      if (entry === undefined) {
        sendJson(res, 500, errorBody(api, 500, 'fake-llm: no scripted reply left'));
        return;
      }
      const item = typeof entry === 'function' ? entry(request) : entry;
      respond(res, api, request, item);
    });
  });

  function respond(res: ServerResponse, api: FakeApi, request: FakeRequest, item: FakeItem): void {
    if ('delayMs' in item) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        // The client may have given up (timeout): the socket is gone, nothing to answer.
        if (res.destroyed || res.writableEnded) return;
        respond(res, api, request, item.then);
      }, item.delayMs);
      timers.add(timer);
      return;
    }
    if ('status' in item) {
      const headers: Record<string, string> = {};
      if (item.retryAfter !== undefined) headers['retry-after'] = String(item.retryAfter);
      sendJson(
        res,
        item.status,
        item.body ?? errorBody(api, item.status, `fake-llm: scripted HTTP ${item.status}`),
        headers,
      );
      return;
    }
    counter += 1;
    const model = typeof request.body?.['model'] === 'string' ? request.body['model'] : FAKE_MODEL;
    const inputTokens = Math.ceil(request.rawBody.length / 4);
    sendJson(
      res,
      200,
      api === 'anthropic'
        ? anthropicReply(item, model, counter, inputTokens)
        : openAiReply(item, model, counter, inputTokens),
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    anthropicUrl: url,
    openaiUrl: `${url}/v1`,
    script(items) {
      queue.push(...items);
    },
    requests,
    pending: () => queue.length,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function anthropicReply(
  item: FakeItem,
  model: string,
  n: number,
  inputTokens: number,
): Record<string, unknown> {
  const content: Record<string, unknown>[] = [];
  let stopReason = 'end_turn';
  let outputText = '';
  if ('text' in item && item.text !== undefined) {
    content.push({ type: 'text', text: item.text, citations: null });
    outputText += item.text;
  }
  if ('toolCall' in item) {
    content.push({
      type: 'tool_use',
      id: `toolu_fake_${n}`,
      name: item.toolCall.name,
      input: item.toolCall.input,
    });
    outputText += JSON.stringify(item.toolCall.input);
    stopReason = 'tool_use';
  }
  if ('rawToolArguments' in item) {
    throw new Error('fake-llm: rawToolArguments is OpenAI only (Anthropic sends tool input as an object)');
  }
  return {
    id: `msg_fake_${n}`,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: {
      input_tokens: inputTokens,
      output_tokens: Math.max(1, Math.ceil(outputText.length / 4)),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    },
  };
}

function openAiReply(item: FakeItem, model: string, n: number, inputTokens: number): Record<string, unknown> {
  let content: string | null = null;
  let toolCalls: Record<string, unknown>[] | undefined;
  let finishReason = 'stop';
  let outputText = '';
  if ('text' in item && item.text !== undefined) {
    content = item.text;
    outputText += item.text;
  }
  if ('toolCall' in item) {
    const args = JSON.stringify(item.toolCall.input);
    toolCalls = [
      { id: `call_fake_${n}`, type: 'function', function: { name: item.toolCall.name, arguments: args } },
    ];
    outputText += args;
    finishReason = 'tool_calls';
  }
  if ('rawToolArguments' in item) {
    toolCalls = [
      {
        id: `call_fake_${n}`,
        type: 'function',
        function: { name: item.name, arguments: item.rawToolArguments },
      },
    ];
    outputText += item.rawToolArguments;
    finishReason = 'tool_calls';
  }
  const completionTokens = Math.max(1, Math.ceil(outputText.length / 4));
  return {
    id: `chatcmpl-fake-${n}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content,
          refusal: null,
          ...(toolCalls ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage: {
      prompt_tokens: inputTokens,
      completion_tokens: completionTokens,
      total_tokens: inputTokens + completionTokens,
    },
  };
}

function errorBody(api: FakeApi, status: number, message: string): unknown {
  if (api === 'anthropic') {
    const type =
      status === 401
        ? 'authentication_error'
        : status === 429
          ? 'rate_limit_error'
          : status === 529
            ? 'overloaded_error'
            : status >= 500
              ? 'api_error'
              : 'invalid_request_error';
    return { type: 'error', error: { type, message } };
  }
  return {
    error: {
      message,
      type: status === 429 ? 'rate_limit_exceeded' : 'server_error',
      param: null,
      code: null,
    },
  };
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...(status === 200 ? { 'request-id': `req_fake_${Date.now()}` } : {}),
    ...headers,
  });
  res.end(text);
}
