import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAiClient, type AiClientOptions } from '../../src/ai/client.js';
import {
  AI_SETUP_HINT,
  DEFAULT_ANTHROPIC_MODEL,
  DEFAULT_OPENAI_MODEL,
  createAiClientFromSettings,
  describeAiSettings,
  resolveAiSettings,
  type AiSettings,
} from '../../src/ai/config.js';
import { createAnthropicProvider } from '../../src/ai/providers/anthropic.js';
import { createOpenAiProvider } from '../../src/ai/providers/openai.js';
import { ProviderError, type ChatMessage, type ChatRequest, type ToolSpec } from '../../src/ai/types.js';
import { startFakeLlm, type FakeLlm, type FakeRequest } from '../support/fake-llm.js';

const KEY = 'sk-test-SECRET123';

const TOOLS: ToolSpec[] = [
  {
    name: 'inspect_table',
    description: 'Columns, indexes and keys of a table.',
    inputSchema: { type: 'object', properties: { table: { type: 'string' } }, required: ['table'] },
  },
];

function request(messages: ChatMessage[], overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    system: 'You write migrations.',
    messages,
    tools: TOOLS,
    temperature: 0,
    maxTokens: 512,
    ...overrides,
  };
}

let fake: FakeLlm;
let sleeps: number[];

beforeAll(async () => {
  fake = await startFakeLlm();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  // Every test consumes exactly what it scripted.
  expect(fake.pending()).toBe(0);
  fake.requests.length = 0;
});

type Api = 'anthropic' | 'openai';

function provider(api: Api, options: { timeoutMs?: number; apiKey?: string; model?: string } = {}) {
  const common = {
    apiKey: options.apiKey ?? KEY,
    model: options.model ?? (api === 'anthropic' ? 'claude-test' : 'gpt-test'),
    timeoutMs: options.timeoutMs ?? 5_000,
  };
  return api === 'anthropic'
    ? createAnthropicProvider({ ...common, baseUrl: fake.anthropicUrl })
    : createOpenAiProvider({ ...common, baseUrl: fake.openaiUrl });
}

function client(api: Api, options: Partial<AiClientOptions> & { providerTimeoutMs?: number } = {}) {
  sleeps = [];
  return createAiClient(provider(api, { timeoutMs: options.providerTimeoutMs }), {
    cacheDir: null,
    prices: {},
    maxRetries: 3,
    timeoutMs: 5_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0,
    backoffBaseMs: 100,
    ...options,
  });
}

function keyHeader(req: FakeRequest): string {
  return `${req.headers['authorization'] ?? ''} ${req.headers['x-api-key'] ?? ''}`;
}

async function caught(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error('expected a ProviderError');
}

describe('anthropic provider against the fake Messages API', () => {
  it('sends system, tools and max_tokens (no sampling parameters) and maps a text reply', async () => {
    fake.script([{ text: 'Hello from Claude' }]);
    const ai = client('anthropic');
    const response = await ai.chat(request([{ role: 'user', content: 'add a column' }]));

    expect(response.text).toBe('Hello from Claude');
    expect(response.toolCalls).toEqual([]);
    expect(response.stopReason).toBe('end');
    expect(response.model).toBe('claude-test');
    expect(response.usage.inputTokens).toBeGreaterThan(0);
    expect(response.usage.outputTokens).toBeGreaterThan(0);

    expect(fake.requests).toHaveLength(1);
    const wire = fake.requests[0]!;
    expect(wire.path).toBe('/v1/messages');
    expect(keyHeader(wire)).toContain(KEY);
    expect(wire.body).toMatchObject({
      model: 'claude-test',
      system: 'You write migrations.',
      max_tokens: 512,
      messages: [{ role: 'user', content: 'add a column' }],
      tools: [
        { name: 'inspect_table', description: TOOLS[0]!.description, input_schema: TOOLS[0]!.inputSchema },
      ],
    });
    // API version 2026-10-21 (SDK 1.x) answers 400 to any temperature/top_p/top_k.
    expect(wire.body).not.toHaveProperty('temperature');
    expect(wire.body).not.toHaveProperty('top_p');

    expect(ai.calls).toHaveLength(1);
    expect(ai.calls[0]).toMatchObject({
      provider: 'anthropic',
      model: 'claude-test',
      cached: false,
      attempts: 1,
      costUsd: null,
    });
    expect(ai.calls[0]!.usage).toEqual(response.usage);
  });

  it('round-trips a tool call: tool_use in, tool_use + tool_result (with is_error) back', async () => {
    let secondTurn: FakeRequest | undefined;
    fake.script([
      { toolCall: { name: 'inspect_table', input: { table: 'users' } }, text: 'Let me look.' },
      (req) => {
        secondTurn = req;
        return { text: 'done' };
      },
    ]);
    const ai = client('anthropic');
    const messages: ChatMessage[] = [{ role: 'user', content: 'add email to users' }];
    const first = await ai.chat(request(messages));
    expect(first.stopReason).toBe('tool_use');
    expect(first.text).toBe('Let me look.');
    expect(first.toolCalls).toHaveLength(1);
    const call = first.toolCalls[0]!;
    expect(call).toMatchObject({
      name: 'inspect_table',
      input: { table: 'users' },
      rawInput: '{"table":"users"}',
    });
    expect(call.id).toMatch(/^toolu_fake_/);

    messages.push({ role: 'assistant', content: first.text, toolCalls: first.toolCalls });
    messages.push({
      role: 'tool',
      results: [{ toolCallId: call.id, content: '{"error":"no such table"}', isError: true }],
    });
    const second = await ai.chat(request(messages));
    expect(second.text).toBe('done');

    expect(secondTurn?.body?.['messages']).toEqual([
      { role: 'user', content: 'add email to users' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me look.' },
          { type: 'tool_use', id: call.id, name: 'inspect_table', input: { table: 'users' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: call.id, content: '{"error":"no such table"}', is_error: true },
        ],
      },
    ]);
  });

  it('sends the content blocks of `replay` back verbatim (thinking blocks must not be dropped)', async () => {
    const thinking = { type: 'thinking', thinking: 'check the table first', signature: 'sig-abc' };
    let wire: FakeRequest | undefined;
    fake.script([
      (req) => {
        wire = req;
        return { text: 'ok' };
      },
    ]);
    const toolUse = { type: 'tool_use', id: 'toolu_1', name: 'inspect_table', input: { table: 'users' } };
    await client('anthropic').chat(
      request([
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'toolu_1', name: 'inspect_table', input: { table: 'users' }, rawInput: '{}' }],
          replay: [thinking, toolUse],
        },
        { role: 'tool', results: [{ toolCallId: 'toolu_1', content: '{}', isError: false }] },
      ]),
    );
    expect((wire?.body?.['messages'] as unknown[])[1]).toEqual({
      role: 'assistant',
      content: [thinking, toolUse],
    });
  });

  it('returns the response content blocks as replay', async () => {
    fake.script([{ toolCall: { name: 'inspect_table', input: { table: 'a' } } }]);
    const response = await client('anthropic').chat(request([{ role: 'user', content: 'x' }]));
    expect(response.replay).toEqual([
      { type: 'tool_use', id: response.toolCalls[0]!.id, name: 'inspect_table', input: { table: 'a' } },
    ]);
  });
});

describe('openai provider against the fake Chat Completions API', () => {
  it('sends system as a message, function tools and temperature 0; maps a text reply', async () => {
    fake.script([{ text: 'Hello from GPT' }]);
    const ai = client('openai');
    const response = await ai.chat(request([{ role: 'user', content: 'add a column' }]));

    expect(response).toMatchObject({
      text: 'Hello from GPT',
      toolCalls: [],
      stopReason: 'end',
      model: 'gpt-test',
    });
    expect(response.usage.inputTokens).toBeGreaterThan(0);
    expect(response.usage.outputTokens).toBeGreaterThan(0);

    const wire = fake.requests[0]!;
    expect(wire.path).toBe('/v1/chat/completions');
    expect(wire.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(wire.body).toMatchObject({
      model: 'gpt-test',
      temperature: 0,
      max_tokens: 512,
      messages: [
        { role: 'system', content: 'You write migrations.' },
        { role: 'user', content: 'add a column' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'inspect_table',
            description: TOOLS[0]!.description,
            parameters: TOOLS[0]!.inputSchema,
          },
        },
      ],
    });
    expect(ai.calls[0]).toMatchObject({ provider: 'openai', model: 'gpt-test', attempts: 1, cached: false });
  });

  it('round-trips a tool call: tool_calls in, assistant tool_calls + tool messages back', async () => {
    let secondTurn: FakeRequest | undefined;
    fake.script([
      { toolCall: { name: 'inspect_table', input: { table: 'users' } } },
      (req) => {
        secondTurn = req;
        return { text: 'done' };
      },
    ]);
    const ai = client('openai');
    const messages: ChatMessage[] = [{ role: 'user', content: 'add email to users' }];
    const first = await ai.chat(request(messages));
    expect(first.stopReason).toBe('tool_use');
    const call = first.toolCalls[0]!;
    expect(call).toMatchObject({
      name: 'inspect_table',
      input: { table: 'users' },
      rawInput: '{"table":"users"}',
    });

    messages.push({ role: 'assistant', content: first.text, toolCalls: first.toolCalls });
    messages.push({
      role: 'tool',
      results: [
        { toolCallId: call.id, content: '{"columns":[]}', isError: false },
        { toolCallId: 'call_other', content: 'boom', isError: true },
      ],
    });
    await ai.chat(request(messages));

    expect(secondTurn?.body?.['messages']).toEqual([
      { role: 'system', content: 'You write migrations.' },
      { role: 'user', content: 'add email to users' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: call.id,
            type: 'function',
            function: { name: 'inspect_table', arguments: '{"table":"users"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: call.id, content: '{"columns":[]}' },
      { role: 'tool', tool_call_id: 'call_other', content: 'ERROR: boom' },
    ]);
  });

  it('malformed tool arguments: input null, raw text kept (the agent asks for a repair)', async () => {
    fake.script([
      { rawToolArguments: '{"table": "users"', name: 'inspect_table' },
      { rawToolArguments: '["users"]', name: 'inspect_table' },
    ]);
    const ai = client('openai');
    const broken = await ai.chat(request([{ role: 'user', content: 'x' }]));
    expect(broken.toolCalls[0]).toMatchObject({
      name: 'inspect_table',
      input: null,
      rawInput: '{"table": "users"',
    });
    const array = await ai.chat(request([{ role: 'user', content: 'y' }]));
    expect(array.toolCalls[0]).toMatchObject({ input: null, rawInput: '["users"]' });
  });
});

describe.each<Api>(['anthropic', 'openai'])('retries and failures (%s)', (api) => {
  it('429 with retry-after, then success: 2 attempts, waited what the server asked', async () => {
    fake.script([{ status: 429, retryAfter: 2 }, { text: 'ok' }]);
    const ai = client(api);
    const response = await ai.chat(request([{ role: 'user', content: 'x' }]));
    expect(response.text).toBe('ok');
    expect(fake.requests).toHaveLength(2);
    expect(ai.calls).toHaveLength(1);
    expect(ai.calls[0]!.attempts).toBe(2);
    expect(sleeps).toEqual([2000]);
  });

  it('retry-after beyond the cap waits the cap', async () => {
    fake.script([{ status: 429, retryAfter: 3600 }, { text: 'ok' }]);
    const ai = client(api, { maxBackoffMs: 5_000 });
    await ai.chat(request([{ role: 'user', content: 'x' }]));
    expect(sleeps).toEqual([5_000]);
  });

  it('500 twice, then success: 3 attempts with growing backoff', async () => {
    fake.script([{ status: 500 }, { status: 503 }, { text: 'ok' }]);
    const ai = client(api);
    const response = await ai.chat(request([{ role: 'user', content: 'x' }]));
    expect(response.text).toBe('ok');
    expect(fake.requests).toHaveLength(3);
    expect(ai.calls[0]!.attempts).toBe(3);
    // base 100 ms, doubling, jitter source 0 → half of each step.
    expect(sleeps).toEqual([50, 100]);
  });

  it('gives up after maxRetries on 5xx and says how many attempts were made', async () => {
    fake.script([{ status: 500 }, { status: 500 }]);
    const ai = client(api, { maxRetries: 1 });
    const error = await caught(ai.chat(request([{ role: 'user', content: 'x' }])));
    expect(error.status).toBe(500);
    expect(error.message).toMatch(/gave up after 2 attempts/);
    expect(fake.requests).toHaveLength(2);
    expect(ai.calls).toHaveLength(0);
  });

  it('a timeout is retried, then gives up with a clear error', async () => {
    fake.script([
      { delayMs: 2_000, then: { text: 'too late' } },
      { delayMs: 2_000, then: { text: 'too late' } },
    ]);
    const ai = client(api, { maxRetries: 1, timeoutMs: 150 });
    const started = Date.now();
    const error = await caught(ai.chat(request([{ role: 'user', content: 'x' }])));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error.message).toMatch(/no answer within 150 ms/);
    expect(error.message).toMatch(/gave up after 2 attempts/);
    expect(error.retryable).toBe(true);
    expect(error.status).toBeNull();
    expect(fake.requests).toHaveLength(2);
  });

  it('the SDK timeout (provider timeoutMs) is retryable as well', async () => {
    fake.script([{ delayMs: 2_000, then: { text: 'late' } }, { text: 'ok' }]);
    const ai = client(api, { providerTimeoutMs: 150 });
    const response = await ai.chat(request([{ role: 'user', content: 'x' }]));
    expect(response.text).toBe('ok');
    expect(ai.calls[0]!.attempts).toBe(2);
  });

  it('401 is not retried, and the key is in the request header but in no error message', async () => {
    // A server (or proxy) that echoes the key back must not get it into our messages.
    fake.script([
      {
        status: 401,
        body:
          api === 'anthropic'
            ? { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${KEY}` } }
            : {
                error: {
                  message: `Incorrect API key provided: ${KEY}`,
                  type: 'invalid_request_error',
                  param: null,
                  code: 'invalid_api_key',
                },
              },
      },
    ]);
    const ai = client(api);
    const error = await caught(ai.chat(request([{ role: 'user', content: 'x' }])));
    expect(fake.requests).toHaveLength(1);
    expect(keyHeader(fake.requests[0]!)).toContain(KEY);
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
    expect(sleeps).toEqual([]);
    expect(error.message).toMatch(/401/);
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toContain('SECRET123');
    expect(String(error.stack)).not.toContain(KEY);
  });

  it('a refused connection is retryable and names the host, not the key', async () => {
    const closed = await startFakeLlm();
    const baseUrl = api === 'anthropic' ? closed.anthropicUrl : closed.openaiUrl;
    await closed.close();
    const p =
      api === 'anthropic'
        ? createAnthropicProvider({ apiKey: KEY, model: 'm', baseUrl, timeoutMs: 2_000 })
        : createOpenAiProvider({ apiKey: KEY, model: 'm', baseUrl, timeoutMs: 2_000 });
    sleeps = [];
    const ai = createAiClient(p, {
      cacheDir: null,
      prices: {},
      maxRetries: 1,
      timeoutMs: 2_000,
      sleep: async (ms) => void sleeps.push(ms),
    });
    const error = await caught(ai.chat(request([{ role: 'user', content: 'x' }])));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/connection/i);
    expect(error.message).toContain('127.0.0.1');
    expect(error.message).not.toContain(KEY);
    expect(sleeps).toHaveLength(1);
  });
});

describe('response cache and cost accounting', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'schemapilot-ai-cache-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each<Api>(['anthropic', 'openai'])(
    'a second identical call (%s) sends nothing, is cached and costs 0',
    async (api) => {
      const cacheDir = path.join(dir, api);
      const prices = {
        [api === 'anthropic' ? 'claude-test' : 'gpt-test']: { inputPerMTok: 3, outputPerMTok: 15 },
      };
      fake.script([{ toolCall: { name: 'inspect_table', input: { table: 'users' } } }]);
      const ai = client(api, { cacheDir, prices });
      const req = request([{ role: 'user', content: 'cache me' }]);
      const first = await ai.chat(req);
      expect(fake.requests).toHaveLength(1);
      const second = await ai.chat(structuredClone(req));
      expect(fake.requests).toHaveLength(1);
      expect(second).toEqual(first);
      expect(ai.calls.map((c) => c.cached)).toEqual([false, true]);
      expect(ai.calls[0]!.costUsd).toBeGreaterThan(0);
      expect(ai.calls[1]).toMatchObject({
        cached: true,
        costUsd: 0,
        attempts: 0,
        usage: { inputTokens: 0, outputTokens: 0 },
      });

      // A fresh client (another process) reads the same files.
      const later = client(api, { cacheDir, prices });
      expect(await later.chat(req)).toEqual(first);
      expect(fake.requests).toHaveLength(1);
      const shards = await readdir(cacheDir);
      expect(shards).toHaveLength(1);
      const files = await readdir(path.join(cacheDir, shards[0]!));
      expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(1);
      expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    },
  );

  it('a different request (here only the temperature) is a miss', async () => {
    const cacheDir = path.join(dir, 'miss');
    fake.script([{ text: 'a' }, { text: 'b' }]);
    const ai = client('openai', { cacheDir });
    await ai.chat(request([{ role: 'user', content: 'same' }]));
    const other = await ai.chat(request([{ role: 'user', content: 'same' }], { temperature: 0.5 }));
    expect(other.text).toBe('b');
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.body?.['temperature']).toBe(0.5);
  });

  it('cost = tokens × price per million, by the model the server reports; null without a price', async () => {
    fake.script([{ text: 'priced' }, { text: 'unpriced' }]);
    const priced = client('anthropic', { prices: { 'claude-test': { inputPerMTok: 3, outputPerMTok: 15 } } });
    const response = await priced.chat(request([{ role: 'user', content: 'x' }]));
    const expected = (response.usage.inputTokens * 3 + response.usage.outputTokens * 15) / 1_000_000;
    expect(priced.calls[0]!.costUsd).toBeCloseTo(expected, 12);
    expect(priced.calls[0]!.costUsd).toBeGreaterThan(0);

    const unpriced = client('anthropic', {
      prices: { 'other-model': { inputPerMTok: 3, outputPerMTok: 15 } },
    });
    await unpriced.chat(request([{ role: 'user', content: 'y' }]));
    expect(unpriced.calls[0]!.costUsd).toBeNull();
  });
});

describe('resolveAiSettings', () => {
  const cwd = '/work/project';

  it('nothing configured: explains Claude and a local Ollama model', () => {
    const result = resolveAiSettings({}, {}, cwd);
    expect(result).toHaveProperty('missing');
    const missing = (result as { missing: string }).missing;
    expect(missing).toContain('ANTHROPIC_API_KEY');
    expect(missing).toContain(
      'SCHEMAPILOT_AI_PROVIDER=openai SCHEMAPILOT_AI_BASE_URL=http://localhost:11434/v1 SCHEMAPILOT_AI_MODEL=qwen2.5-coder',
    );
    expect(missing.split('\n').length).toBeLessThanOrEqual(2);
    expect(AI_SETUP_HINT.length).toBeGreaterThan(0);
  });

  it('ANTHROPIC_API_KEY alone → anthropic, the default Sonnet, default cache dir under cwd', () => {
    const settings = resolveAiSettings(
      { ANTHROPIC_API_KEY: KEY, OPENAI_API_KEY: 'sk-other' },
      {},
      cwd,
    ) as AiSettings;
    expect(settings).toMatchObject({
      provider: 'anthropic',
      model: DEFAULT_ANTHROPIC_MODEL,
      baseUrl: null,
      apiKey: KEY,
      cacheDir: path.join(cwd, '.schemapilot', 'cache', 'ai'),
    });
    expect(DEFAULT_ANTHROPIC_MODEL).toMatch(/^claude-sonnet-/);
    expect(describeAiSettings(settings)).toBe(`anthropic ${DEFAULT_ANTHROPIC_MODEL} (api.anthropic.com)`);
    expect(describeAiSettings(settings)).not.toContain(KEY);
  });

  it('OPENAI_API_KEY alone → openai with the default model', () => {
    const settings = resolveAiSettings({ OPENAI_API_KEY: KEY }, {}, cwd) as AiSettings;
    expect(settings).toMatchObject({
      provider: 'openai',
      model: DEFAULT_OPENAI_MODEL,
      baseUrl: null,
      apiKey: KEY,
    });
  });

  it('explicit provider wins over the keys present; env over the config file', () => {
    const env = { ANTHROPIC_API_KEY: 'a-key', OPENAI_API_KEY: 'o-key', SCHEMAPILOT_AI_PROVIDER: 'openai' };
    expect(resolveAiSettings(env, {}, cwd)).toMatchObject({ provider: 'openai', apiKey: 'o-key' });
    expect(
      resolveAiSettings({ ANTHROPIC_API_KEY: 'a-key', OPENAI_API_KEY: 'o-key' }, { provider: 'openai' }, cwd),
    ).toMatchObject({
      provider: 'openai',
    });
    // The file's model belongs to the file's provider: not inherited when env picks the other one.
    expect(
      resolveAiSettings(
        { ...env, SCHEMAPILOT_AI_PROVIDER: 'anthropic' },
        { provider: 'openai', model: 'gpt-x' },
        cwd,
      ),
    ).toMatchObject({ provider: 'anthropic', model: DEFAULT_ANTHROPIC_MODEL });
    expect(
      resolveAiSettings({ ...env, SCHEMAPILOT_AI_MODEL: 'env-model' }, { model: 'file-model' }, cwd),
    ).toMatchObject({
      model: 'env-model',
    });
    expect(resolveAiSettings(env, { model: 'file-model' }, cwd)).toMatchObject({ model: 'file-model' });
  });

  it('an unknown provider name is refused', () => {
    expect(resolveAiSettings({ SCHEMAPILOT_AI_PROVIDER: 'gemini' }, {}, cwd)).toEqual({
      missing: expect.stringContaining('"anthropic" or "openai"'),
    });
  });

  it('local Ollama: no key needed, model required', () => {
    const env = {
      SCHEMAPILOT_AI_PROVIDER: 'openai',
      SCHEMAPILOT_AI_BASE_URL: 'http://localhost:11434/v1',
      SCHEMAPILOT_AI_MODEL: 'qwen2.5-coder',
    };
    const settings = resolveAiSettings(env, {}, cwd) as AiSettings;
    expect(settings).toMatchObject({
      provider: 'openai',
      model: 'qwen2.5-coder',
      baseUrl: 'http://localhost:11434/v1',
      apiKey: 'ollama',
    });
    expect(describeAiSettings(settings)).toBe('openai qwen2.5-coder (localhost:11434)');

    // The base URL alone selects openai; without a model it says what to set.
    const noModel = resolveAiSettings({ SCHEMAPILOT_AI_BASE_URL: 'http://localhost:11434/v1' }, {}, cwd);
    expect(noModel).toEqual({ missing: expect.stringContaining('SCHEMAPILOT_AI_MODEL is required') });
  });

  it('a remote OpenAI-compatible server needs a key', () => {
    const result = resolveAiSettings(
      {
        SCHEMAPILOT_AI_PROVIDER: 'openai',
        SCHEMAPILOT_AI_BASE_URL: 'https://vllm.internal:8000/v1',
        SCHEMAPILOT_AI_MODEL: 'm',
      },
      {},
      cwd,
    );
    expect(result).toEqual({ missing: expect.stringContaining('OPENAI_API_KEY') });
  });

  it('anthropic without a key is missing; apiKeyEnv names another variable', () => {
    expect(resolveAiSettings({ SCHEMAPILOT_AI_PROVIDER: 'anthropic' }, {}, cwd)).toEqual({
      missing: expect.stringContaining('ANTHROPIC_API_KEY'),
    });
    expect(
      resolveAiSettings(
        { SCHEMAPILOT_AI_PROVIDER: 'anthropic', TEAM_CLAUDE_KEY: 'k2' },
        { apiKeyEnv: 'TEAM_CLAUDE_KEY' },
        cwd,
      ),
    ).toMatchObject({ apiKey: 'k2' });
  });

  it('base URL precedence and provider-specific variables', () => {
    expect(
      resolveAiSettings(
        { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'https://proxy.example/anthropic' },
        {},
        cwd,
      ),
    ).toMatchObject({
      baseUrl: 'https://proxy.example/anthropic',
    });
    expect(
      resolveAiSettings(
        {
          ANTHROPIC_API_KEY: 'k',
          ANTHROPIC_BASE_URL: 'https://a.example',
          SCHEMAPILOT_AI_BASE_URL: 'https://b.example',
        },
        {},
        cwd,
      ),
    ).toMatchObject({ baseUrl: 'https://b.example' });
    expect(
      resolveAiSettings({ ANTHROPIC_API_KEY: 'k', SCHEMAPILOT_AI_BASE_URL: 'not a url' }, {}, cwd),
    ).toEqual({
      missing: expect.stringContaining('not a URL'),
    });
  });

  it('the environment base URL wins over the file, as documented', () => {
    expect(
      resolveAiSettings(
        { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'https://env.example' },
        { baseUrl: 'https://file.example' },
        cwd,
      ),
    ).toMatchObject({ baseUrl: 'https://env.example' });
    expect(
      resolveAiSettings(
        { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'https://env.example/v1' },
        { baseUrl: 'https://file.example/v1', provider: 'openai', model: 'm' },
        cwd,
      ),
    ).toMatchObject({ baseUrl: 'https://env.example/v1' });
    expect(
      resolveAiSettings({ ANTHROPIC_API_KEY: 'k' }, { baseUrl: 'https://file.example' }, cwd),
    ).toMatchObject({
      baseUrl: 'https://file.example',
    });
  });

  it('only variables meant for keys can be key sources', () => {
    const env = {
      SCHEMAPILOT_AI_PROVIDER: 'openai',
      SCHEMAPILOT_AI_MODEL: 'm',
      DATABASE_URL: 'postgres://app:db-secret@db/app',
      PGPASSWORD: 'db-secret',
      TEAM_TOKEN: 'postgres://app:db-secret@db/app',
      TEAM_SECRET: 'not-a-key-name',
      TEAM_API_KEY: 'sk-team',
    };
    for (const apiKeyEnv of ['DATABASE_URL', 'PGPASSWORD', 'TEAM_TOKEN', 'TEAM_SECRET']) {
      const result = resolveAiSettings(env, { apiKeyEnv, baseUrl: 'http://elsewhere.example/v1' }, cwd);
      expect(result, apiKeyEnv).toEqual({
        missing: expect.stringContaining(`ai.apiKeyEnv "${apiKeyEnv}" cannot be a source of API keys`),
      });
      expect(JSON.stringify(result)).not.toContain('db-secret');
    }
    expect(resolveAiSettings(env, { apiKeyEnv: 'TEAM_API_KEY' }, cwd)).toMatchObject({ apiKey: 'sk-team' });
  });

  it('a base URL with credentials is never quoted with them', () => {
    const result = resolveAiSettings(
      { SCHEMAPILOT_AI_BASE_URL: 'http://user:Proxy-Secret-1@llm.internal:8000/v1', OPENAI_API_KEY: 'k' },
      {},
      cwd,
    );
    expect(result).toEqual({ missing: expect.stringContaining('llm.internal:8000') });
    expect(JSON.stringify(result)).not.toContain('Proxy-Secret-1');
    const bad = resolveAiSettings(
      { ANTHROPIC_API_KEY: 'k', SCHEMAPILOT_AI_BASE_URL: 'ht tp://u:Bad Secret@x' },
      {},
      cwd,
    );
    expect(JSON.stringify(bad)).not.toContain('Bad Secret');
  });

  it('cache: SCHEMAPILOT_AI_CACHE=off disables, config moves it', () => {
    expect(resolveAiSettings({ ANTHROPIC_API_KEY: 'k', SCHEMAPILOT_AI_CACHE: 'off' }, {}, cwd)).toMatchObject(
      { cacheDir: null },
    );
    expect(resolveAiSettings({ ANTHROPIC_API_KEY: 'k' }, { cacheDir: 'off' }, cwd)).toMatchObject({
      cacheDir: null,
    });
    expect(resolveAiSettings({ ANTHROPIC_API_KEY: 'k' }, { cacheDir: 'tmp/ai' }, cwd)).toMatchObject({
      cacheDir: path.join(cwd, 'tmp', 'ai'),
    });
  });

  it('createAiClientFromSettings talks to the configured endpoint', async () => {
    fake.script([{ text: 'via settings' }]);
    const settings = resolveAiSettings(
      {
        SCHEMAPILOT_AI_PROVIDER: 'openai',
        SCHEMAPILOT_AI_BASE_URL: fake.openaiUrl,
        SCHEMAPILOT_AI_MODEL: 'local-model',
        SCHEMAPILOT_AI_CACHE: 'off',
      },
      { prices: { 'local-model': { inputPerMTok: 0, outputPerMTok: 0 } } },
      cwd,
    ) as AiSettings;
    expect(settings.apiKey).toBe('ollama');
    const ai = createAiClientFromSettings(settings);
    expect(ai.provider).toBe('openai');
    expect(ai.model).toBe('local-model');
    const response = await ai.chat(request([{ role: 'user', content: 'x' }]));
    expect(response.text).toBe('via settings');
    expect(fake.requests[0]!.headers['authorization']).toBe('Bearer ollama');
    expect(ai.calls[0]!.costUsd).toBe(0);
  });
});
