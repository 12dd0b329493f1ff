/**
 * Which model answers, from the environment and the config file's `ai` section (environment
 * variables win over the file). Keys only ever come from the environment.
 *
 * Provider: SCHEMAPILOT_AI_PROVIDER or `ai.provider` (anthropic | openai); otherwise
 * ANTHROPIC_API_KEY set → anthropic; otherwise OPENAI_API_KEY, SCHEMAPILOT_AI_BASE_URL or
 * OPENAI_BASE_URL set → openai (any OpenAI-compatible server); otherwise none.
 *
 * Model: SCHEMAPILOT_AI_MODEL or `ai.model`. Anthropic defaults to a current Sonnet
 * (DEFAULT_ANTHROPIC_MODEL; change it with SCHEMAPILOT_AI_MODEL). OpenAI defaults to
 * DEFAULT_OPENAI_MODEL on OpenAI's own API; any other base URL needs a model named, since only
 * the server knows what it serves.
 *
 * Base URL: SCHEMAPILOT_AI_BASE_URL, then ANTHROPIC_BASE_URL or OPENAI_BASE_URL, then
 * `ai.baseUrl` (the environment wins, as everywhere else).
 * Key: the variable `ai.apiKeyEnv` names, else ANTHROPIC_API_KEY / OPENAI_API_KEY; an
 * OpenAI-compatible server on localhost may go without one (Ollama does not check it). Only a
 * variable meant for a key may be named (`…_KEY`, `…_TOKEN`; never PG* or one holding a URL or
 * a connection string): a config file must not be able to send DATABASE_URL to a model server
 * as a bearer token (docs/decisions/0015-ai-key-sources.md).
 * Cache: `.schemapilot/cache/ai` under the working directory, `ai.cacheDir` to move it,
 * SCHEMAPILOT_AI_CACHE=off (or `ai.cacheDir: "off"`) to disable it.
 *
 * `ai.*` settings in the file apply only when the file's provider (if it names one) is the
 * provider chosen, so switching provider by environment does not inherit the other's model.
 */
import path from 'node:path';
import type { AiFileConfig } from '../config/types.js';
import { redactConnectionString, registerConnectionSecrets, registerSecret } from '../core/errors.js';
import { createAiClient, type ModelPrice } from './client.js';
import { createAnthropicProvider } from './providers/anthropic.js';
import { createOpenAiProvider } from './providers/openai.js';
import type { AiClient, ChatProvider } from './types.js';

export type AiProviderName = 'anthropic' | 'openai';

/** Claude Sonnet 5.5, the current Sonnet (claude-sonnet-4-5 was retired on 30 Nov 2026). */
export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-5-5';
export const DEFAULT_OPENAI_MODEL = 'gpt-4.1-mini';
export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_CACHE_DIR = path.join('.schemapilot', 'cache', 'ai');

export interface AiSettings {
  provider: AiProviderName;
  model: string;
  /** null: the provider's public API. */
  baseUrl: string | null;
  apiKey: string;
  /** Where the key came from (a variable name, or "none needed" for a local server). */
  apiKeySource: string;
  timeoutMs: number;
  maxRetries: number;
  /** Absolute; null when the cache is off. */
  cacheDir: string | null;
  prices: Record<string, ModelPrice>;
}

export const AI_SETUP_HINT =
  'Set ANTHROPIC_API_KEY to use Claude, or for a local Ollama model: SCHEMAPILOT_AI_PROVIDER=openai SCHEMAPILOT_AI_BASE_URL=http://localhost:11434/v1 SCHEMAPILOT_AI_MODEL=qwen2.5-coder';

type Env = Record<string, string | undefined>;

export function resolveAiSettings(
  env: Env = process.env,
  fileConfig: AiFileConfig = {},
  cwd: string = process.cwd(),
): AiSettings | { missing: string } {
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  const explicit = get('SCHEMAPILOT_AI_PROVIDER') ?? fileConfig.provider;
  let provider: AiProviderName;
  if (explicit !== undefined) {
    const normalized = explicit.toLowerCase();
    if (normalized !== 'anthropic' && normalized !== 'openai') {
      const from = get('SCHEMAPILOT_AI_PROVIDER') !== undefined ? 'SCHEMAPILOT_AI_PROVIDER' : 'ai.provider';
      return { missing: `${from} must be "anthropic" or "openai" (got "${explicit}").` };
    }
    provider = normalized;
  } else if (get('ANTHROPIC_API_KEY')) {
    provider = 'anthropic';
  } else if (get('OPENAI_API_KEY') || get('SCHEMAPILOT_AI_BASE_URL') || get('OPENAI_BASE_URL')) {
    provider = 'openai';
  } else {
    return { missing: `No AI provider is configured. ${AI_SETUP_HINT}` };
  }

  // The file's settings belong to the file's provider.
  const file: AiFileConfig =
    fileConfig.provider === undefined || fileConfig.provider === provider
      ? fileConfig
      : {
          timeoutMs: fileConfig.timeoutMs,
          maxRetries: fileConfig.maxRetries,
          cacheDir: fileConfig.cacheDir,
          prices: fileConfig.prices,
        };

  const providerBase = provider === 'anthropic' ? 'ANTHROPIC_BASE_URL' : 'OPENAI_BASE_URL';
  const [baseUrlFrom, baseUrlText] = get('SCHEMAPILOT_AI_BASE_URL')
    ? ['SCHEMAPILOT_AI_BASE_URL', get('SCHEMAPILOT_AI_BASE_URL')]
    : get(providerBase)
      ? [providerBase, get(providerBase)]
      : ['ai.baseUrl', file.baseUrl];
  // A base URL may carry user:password@ (a proxy's credentials): never print them.
  registerConnectionSecrets(baseUrlText ?? '');
  const shown = redactConnectionString(baseUrlText ?? '');
  let baseUrl: URL | null = null;
  if (baseUrlText !== undefined && baseUrlText !== '') {
    try {
      baseUrl = new URL(baseUrlText);
    } catch {
      // Not quoted: what does not parse cannot be told apart from its credentials.
      return { missing: `The AI base URL in ${baseUrlFrom} is not a URL (e.g. http://localhost:11434/v1).` };
    }
    if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
      return { missing: `The AI base URL "${shown}" must be http:// or https://.` };
    }
    registerSecret(decodeURIComponent(baseUrl.password));
  }
  const officialOpenAi = baseUrl === null || baseUrl.hostname === 'api.openai.com';

  let model = get('SCHEMAPILOT_AI_MODEL') ?? file.model;
  if (model === undefined || model === '') {
    if (provider === 'anthropic') model = DEFAULT_ANTHROPIC_MODEL;
    else if (officialOpenAi) model = DEFAULT_OPENAI_MODEL;
    else {
      return {
        missing: `SCHEMAPILOT_AI_MODEL is required with an OpenAI-compatible base URL (${shown}): set it to a model that server serves, e.g. SCHEMAPILOT_AI_MODEL=qwen2.5-coder for Ollama.`,
      };
    }
  }

  const keyVar = file.apiKeyEnv || (provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY');
  const refused = refusedKeySource(keyVar, get(keyVar));
  if (refused) return { missing: refused };
  let apiKey = get(keyVar);
  registerSecret(apiKey);
  let apiKeySource = keyVar;
  if (apiKey === undefined) {
    if (provider === 'openai' && baseUrl !== null && isLocalHost(baseUrl.hostname)) {
      apiKey = 'ollama';
      apiKeySource = 'none needed (local server)';
    } else if (provider === 'anthropic') {
      return { missing: `The anthropic provider needs an API key in ${keyVar}. ${AI_SETUP_HINT}` };
    } else {
      return {
        missing: `The openai provider needs an API key in ${keyVar}${officialOpenAi ? '' : ' (any value if the server does not check keys)'}. ${AI_SETUP_HINT}`,
      };
    }
  }

  const cacheSetting = get('SCHEMAPILOT_AI_CACHE') ?? file.cacheDir;
  const cacheDir =
    cacheSetting !== undefined && ['off', 'false', '0', 'no', 'none'].includes(cacheSetting.toLowerCase())
      ? null
      : path.resolve(
          cwd,
          cacheSetting && !['on', 'true', '1', 'yes'].includes(cacheSetting.toLowerCase())
            ? cacheSetting
            : DEFAULT_CACHE_DIR,
        );

  const timeoutMs = positiveInt(file.timeoutMs) ?? DEFAULT_TIMEOUT_MS;
  const maxRetries =
    file.maxRetries !== undefined && Number.isInteger(file.maxRetries) && file.maxRetries >= 0
      ? file.maxRetries
      : DEFAULT_MAX_RETRIES;

  return {
    provider,
    model,
    baseUrl: baseUrl === null ? null : baseUrlText!,
    apiKey,
    apiKeySource,
    timeoutMs,
    maxRetries,
    cacheDir,
    prices: { ...(file.prices ?? {}) },
  };
}

export function createProviderFromSettings(settings: AiSettings): ChatProvider {
  const common = {
    apiKey: settings.apiKey,
    model: settings.model,
    baseUrl: settings.baseUrl,
    timeoutMs: settings.timeoutMs,
  };
  return settings.provider === 'anthropic' ? createAnthropicProvider(common) : createOpenAiProvider(common);
}

export function createAiClientFromSettings(settings: AiSettings): AiClient {
  return createAiClient(createProviderFromSettings(settings), {
    cacheDir: settings.cacheDir,
    prices: settings.prices,
    maxRetries: settings.maxRetries,
    timeoutMs: settings.timeoutMs,
  });
}

/** "anthropic claude-sonnet-5-5 (api.anthropic.com)": for the CLI; never shows the key. */
export function describeAiSettings(settings: AiSettings): string {
  const fallback = settings.provider === 'anthropic' ? 'api.anthropic.com' : 'api.openai.com';
  let host = fallback;
  if (settings.baseUrl !== null) {
    try {
      host = new URL(settings.baseUrl).host;
    } catch {
      host = 'invalid base URL';
    }
  }
  return `${settings.provider} ${settings.model} (${host})`;
}

/**
 * Why `name` may not be read as an API key, or null when it may: the name must say it holds a
 * key or token, must not be one of libpq's variables, and its value must not be a URL or a
 * connection string (whatever the name says, a value like that is not a key).
 */
export function refusedKeySource(name: string, value: string | undefined): string | null {
  const why = `ai.apiKeyEnv "${name}" cannot be a source of API keys`;
  if (/^PG/i.test(name) || /DATABASE|_URL$|_URI$|_DSN$/i.test(name))
    return `${why}: it names a database setting; name a variable that holds only the key, e.g. TEAM_ANTHROPIC_API_KEY.`;
  if (!/^[A-Za-z_][A-Za-z0-9_]*_(?:API_KEY|KEY|TOKEN)$/i.test(name))
    return `${why}: only variables whose names end in _KEY, _API_KEY or _TOKEN can hold one.`;
  if (
    value !== undefined &&
    (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /\b(host|password|dbname|user)\s*=/i.test(value))
  )
    return `${why}: its value is a URL or a connection string, not a key.`;
  return null;
}

function isLocalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127\./.test(host) ||
    host === '0.0.0.0'
  );
}

function positiveInt(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}
