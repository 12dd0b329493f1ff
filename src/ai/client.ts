/**
 * The provider wrapped for use: a response cache on disk, a timeout per attempt, retries with
 * exponential backoff and jitter on retryable failures (429, 5xx, timeouts, dropped
 * connections; a server's retry-after is respected up to a cap), and a CallRecord per call.
 *
 * Cache: the key is the sha256 of the canonical JSON of {provider, model, request}; the value
 * is the ChatResponse, one file per key under `cacheDir/<2 hex>/<key>.json`, written to a
 * temporary file and renamed so a reader never sees half a file. A hit sends no request and
 * costs nothing. Requests are made with the temperature the caller gave (0 for every caller),
 * so a cached answer is the answer the model would most likely give again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeDirectory } from '../core/make-directory.js';
import {
  ProviderError,
  type AiClient,
  type CallRecord,
  type ChatProvider,
  type ChatRequest,
  type ChatResponse,
  type Usage,
} from './types.js';

export interface ModelPrice {
  /** USD per million input tokens. */
  inputPerMTok: number;
  /** USD per million output tokens. */
  outputPerMTok: number;
}

export interface AiClientOptions {
  /** Directory of the response cache; null disables it. */
  cacheDir: string | null;
  /** Prices by model id (the id the server reports, or the configured one). */
  prices: Record<string, ModelPrice>;
  /** Retries after the first attempt (0 = one attempt). */
  maxRetries: number;
  /** Per attempt. */
  timeoutMs: number;
  /** For tests: waits between attempts. */
  sleep?: (ms: number) => Promise<void>;
  /** First backoff; doubles each retry (default 1000 ms). */
  backoffBaseMs?: number;
  /** Longest wait between attempts, retry-after included (default 30 s). */
  maxBackoffMs?: number;
  /** For tests: 0 <= x < 1, the jitter source. */
  random?: () => number;
}

const DEFAULT_BACKOFF_BASE_MS = 1000;
const DEFAULT_MAX_BACKOFF_MS = 30_000;

export function createAiClient(provider: ChatProvider, options: AiClientOptions): AiClient {
  const calls: CallRecord[] = [];
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const baseMs = options.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const capMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  const maxAttempts = Math.max(0, Math.floor(options.maxRetries)) + 1;

  async function chat(request: ChatRequest): Promise<ChatResponse> {
    const started = performance.now();
    const key = cacheKey(provider, request);
    if (options.cacheDir !== null) {
      const hit = await readCache(options.cacheDir, key);
      if (hit) {
        calls.push({
          provider: provider.name,
          model: hit.model,
          usage: { inputTokens: 0, outputTokens: 0 },
          costUsd: 0,
          cached: true,
          durationMs: performance.now() - started,
          attempts: 0,
        });
        return hit;
      }
    }

    let attempts = 0;
    for (;;) {
      attempts += 1;
      const signal = AbortSignal.timeout(options.timeoutMs);
      let response: ChatResponse;
      try {
        response = await provider.send(request, signal);
      } catch (error) {
        const failure = asProviderError(error, signal, provider.name, options.timeoutMs);
        if (!failure.retryable || attempts >= maxAttempts) {
          throw attempts > 1 ? withAttempts(failure, attempts) : failure;
        }
        await sleep(backoffMs(attempts, failure.retryAfterSeconds, baseMs, capMs, random));
        continue;
      }
      calls.push({
        provider: provider.name,
        model: response.model,
        usage: response.usage,
        costUsd: costOf(response.usage, options.prices[response.model] ?? options.prices[provider.model]),
        cached: false,
        durationMs: performance.now() - started,
        attempts,
      });
      if (options.cacheDir !== null) await writeCache(options.cacheDir, key, response);
      return response;
    }
  }

  return { provider: provider.name, model: provider.model, chat, calls };
}

/**
 * Wait before attempt `failedAttempts + 1`: base * 2^(n-1), with "equal jitter" (half fixed,
 * half random) so parallel clients spread out; at least what retry-after asked; at most the cap.
 */
export function backoffMs(
  failedAttempts: number,
  retryAfterSeconds: number | null,
  baseMs: number,
  capMs: number,
  random: () => number,
): number {
  const exponential = Math.min(capMs, baseMs * 2 ** (failedAttempts - 1));
  const jittered = exponential / 2 + (exponential / 2) * random();
  const asked = retryAfterSeconds !== null ? retryAfterSeconds * 1000 : 0;
  return Math.round(Math.min(capMs, Math.max(jittered, asked)));
}

export function costOf(usage: Usage, price: ModelPrice | undefined): number | null {
  if (!price) return null;
  return (usage.inputTokens * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1_000_000;
}

export function cacheKey(provider: Pick<ChatProvider, 'name' | 'model'>, request: ChatRequest): string {
  const canonical = canonicalJson({ provider: provider.name, model: provider.model, request });
  return createHash('sha256').update(canonical).digest('hex');
}

/** JSON with object keys sorted at every level and undefined members dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeys(item)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = sortKeys(member);
    }
    return out;
  }
  return value;
}

function cachePath(cacheDir: string, key: string): string {
  return path.join(cacheDir, key.slice(0, 2), `${key}.json`);
}

async function readCache(cacheDir: string, key: string): Promise<ChatResponse | null> {
  let text: string;
  try {
    text = await readFile(cachePath(cacheDir, key), 'utf8');
  } catch {
    return null;
  }
  try {
    const value = JSON.parse(text) as Partial<ChatResponse> | null;
    // A damaged or foreign file is a miss, not an error.
    if (
      !value ||
      typeof value.text !== 'string' ||
      !Array.isArray(value.toolCalls) ||
      typeof value.model !== 'string' ||
      typeof value.stopReason !== 'string' ||
      typeof value.usage?.inputTokens !== 'number' ||
      typeof value.usage?.outputTokens !== 'number'
    ) {
      return null;
    }
    return value as ChatResponse;
  } catch {
    return null;
  }
}

async function writeCache(cacheDir: string, key: string, response: ChatResponse): Promise<void> {
  const file = cachePath(cacheDir, key);
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    makeDirectory(path.dirname(file));
    await writeFile(temp, `${JSON.stringify(response)}\n`, 'utf8');
    await rename(temp, file);
  } catch {
    // The cache is an optimisation: a read-only or full disk must not fail the command.
    await rm(temp, { force: true }).catch(() => undefined);
  }
}

function asProviderError(
  error: unknown,
  signal: AbortSignal,
  name: string,
  timeoutMs: number,
): ProviderError {
  if (signal.aborted)
    return new ProviderError(`${name}: no answer within ${timeoutMs} ms (timeout)`, null, true);
  if (error instanceof ProviderError) return error;
  const text = error instanceof Error ? error.message : String(error);
  return new ProviderError(`${name}: ${text}`, null, false);
}

function withAttempts(error: ProviderError, attempts: number): ProviderError {
  const wrapped = new ProviderError(
    `${error.message} (gave up after ${attempts} attempts)`,
    error.status,
    error.retryable,
    error.retryAfterSeconds,
  );
  wrapped.cause = error;
  return wrapped;
}
