/**
 * schemapilot.config.json: read, validate with messages that name the file and the key, and
 * merge over the defaults. The JSON Schema for editors is schema/config.schema.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fsErrorWords } from '../core/fs-errors.js';
import { InputError } from '../core/errors.js';
import {
  type AiFileConfig,
  DEFAULT_CONFIG,
  RUNNERS,
  type ResolvedConfig,
  type RuleSetting,
  type RunnerName,
} from './types.js';
import { validateServices } from './services.js';
import { validateMysqlConfig } from './mysql.js';

export const CONFIG_FILE = 'schemapilot.config.json';

const SETTINGS = ['off', 'error', 'warning', 'info'] as const;
const KEYS = [
  'rules',
  'largeTableRows',
  'defaultSchema',
  'targetVersion',
  'runner',
  'timeZoneIsUtc',
  'maxLockTimeoutMs',
  'ai',
  'services',
  'mysql',
] as const;

/**
 * Load the config: `explicitPath` must exist; otherwise schemapilot.config.json in `cwd` is
 * used when present. `knownRules` lets a typo in a rule id fail loudly.
 */
export function loadConfig(options: { explicitPath?: string; cwd?: string; knownRules: readonly string[] }): {
  config: ResolvedConfig;
  path: string | null;
} {
  const cwd = options.cwd ?? process.cwd();
  const path = options.explicitPath ? resolve(cwd, options.explicitPath) : resolve(cwd, CONFIG_FILE);
  if (!existsSync(path)) {
    if (options.explicitPath) throw new InputError(`--config ${options.explicitPath}: no such file`);
    return { config: { ...DEFAULT_CONFIG, rules: {}, services: [] }, path: null };
  }
  const shown = options.explicitPath ?? CONFIG_FILE;
  return {
    config: validateConfig(
      parseJson(readConfigText(path, shown), shown),
      shown,
      options.knownRules,
      dirname(path),
    ),
    path,
  };
}

function readConfigText(path: string, shown: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EISDIR' ? 'is a directory, not a config file' : fsErrorWords(error);
    throw new InputError(`${shown}: cannot read: ${why}`);
  }
}

/**
 * How a wrong value is described in an error: numbers, booleans and null as they are; strings
 * and objects only by kind. A value in the wrong place may be a key or a password.
 */
export function describeValue(value: unknown): string {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string')
    return value === '' ? 'an empty string' : `a string of ${value.length} characters`;
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** JSON.parse with the error placed at `file:line:column` when the parser says where. */
function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /(.*?)\s+in JSON at position (\d+)/.exec(message);
    if (!at) throw new InputError(`${file}: not valid JSON (${message})`);
    const before = text.slice(0, Number(at[2]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    throw new InputError(`${file}:${line}:${column}: not valid JSON: ${at[1]}`);
  }
}

export function validateConfig(
  raw: unknown,
  file: string,
  knownRules: readonly string[],
  /** Where relative service paths start: the config file's directory. */
  baseDir: string = process.cwd(),
): ResolvedConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new InputError(`${file}: must be a JSON object`);
  const input = raw as Record<string, unknown>;
  const config: ResolvedConfig = { ...DEFAULT_CONFIG, rules: {}, ai: {}, services: [] };
  const fail = (key: string, expected: string) => {
    throw new InputError(`${file}: "${key}" must be ${expected}, got ${describeValue(input[key])}`);
  };
  for (const [key, value] of Object.entries(input)) {
    switch (key) {
      case '$schema':
        break;
      case 'rules': {
        if (value === null || typeof value !== 'object' || Array.isArray(value))
          fail(key, 'an object of rule id → "off" | "error" | "warning" | "info"');
        for (const [rule, setting] of Object.entries(value as Record<string, unknown>)) {
          if (!knownRules.includes(rule)) {
            throw new InputError(`${file}: "rules" names unknown rule "${rule}"${suggest(rule, knownRules)}`);
          }
          if (!SETTINGS.includes(setting as RuleSetting)) {
            throw new InputError(
              `${file}: "rules.${rule}" must be one of ${SETTINGS.join(', ')}, got ${typeof setting === 'string' && setting.length <= 20 ? JSON.stringify(setting) : describeValue(setting)}`,
            );
          }
          config.rules[rule] = setting as RuleSetting;
        }
        break;
      }
      case 'largeTableRows':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
          fail(key, 'a non-negative integer');
        config.largeTableRows = value as number;
        break;
      case 'defaultSchema':
        if (typeof value !== 'string' || value === '') fail(key, 'a schema name');
        config.defaultSchema = value as string;
        break;
      case 'targetVersion':
        if (typeof value === 'string' && /^\d+\.\d+(\.\d+)?$/.test(value)) {
          config.targetVersionText = value;
          break;
        }
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 10 || value > 18)
          fail(
            key,
            'a PostgreSQL major from 10 to 18, or a MySQL/MariaDB version such as "8.0.36" or "10.11"',
          );
        config.targetVersion = value as number;
        break;
      case 'runner':
        if (!RUNNERS.includes(value as RunnerName)) fail(key, `one of ${RUNNERS.join(', ')}`);
        config.runner = value as RunnerName;
        break;
      case 'timeZoneIsUtc':
        if (typeof value !== 'boolean') fail(key, 'true or false');
        config.timeZoneIsUtc = value as boolean;
        break;
      case 'maxLockTimeoutMs':
        if (typeof value !== 'number' || value <= 0) fail(key, 'a positive number of milliseconds');
        config.maxLockTimeoutMs = value as number;
        break;
      case 'ai':
        config.ai = validateAi(value, file);
        break;
      case 'services':
        config.services = validateServices(value, file, baseDir);
        break;
      case 'mysql':
        config.mysql = validateMysqlConfig(value, file);
        break;
      default:
        throw new InputError(
          `${file}: unknown key "${key}"${suggest(key, KEYS)}; known keys: ${KEYS.join(', ')}`,
        );
    }
  }
  return config;
}

const AI_KEYS = [
  'provider',
  'model',
  'baseUrl',
  'apiKeyEnv',
  'timeoutMs',
  'maxRetries',
  'cacheDir',
  'prices',
];

/** The `ai` section; an API key in the file is refused: keys belong in the environment. */
function validateAi(value: unknown, file: string): AiFileConfig {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new InputError(`${file}: "ai" must be an object`);
  const ai = value as Record<string, unknown>;
  const fail = (key: string, expected: string): never => {
    throw new InputError(`${file}: "ai.${key}" must be ${expected}, got ${describeValue(ai[key])}`);
  };
  for (const key of Object.keys(ai)) {
    if (/key|token|secret/i.test(key) && key !== 'apiKeyEnv')
      throw new InputError(
        `${file}: "ai.${key}": put API keys in the environment, not in the config file (see apiKeyEnv)`,
      );
    if (!AI_KEYS.includes(key))
      throw new InputError(
        `${file}: unknown key "ai.${key}"${suggest(key, AI_KEYS)}; known keys: ${AI_KEYS.join(', ')}`,
      );
  }
  if (ai['provider'] !== undefined && ai['provider'] !== 'anthropic' && ai['provider'] !== 'openai')
    fail('provider', '"anthropic" or "openai"');
  for (const key of ['model', 'baseUrl', 'apiKeyEnv', 'cacheDir'])
    if (ai[key] !== undefined && (typeof ai[key] !== 'string' || ai[key] === ''))
      fail(key, 'a non-empty string');
  for (const key of ['timeoutMs', 'maxRetries'])
    if (
      ai[key] !== undefined &&
      (typeof ai[key] !== 'number' || !Number.isInteger(ai[key]) || (ai[key] as number) < 0)
    )
      fail(key, 'a non-negative integer');
  const prices = ai['prices'];
  if (prices !== undefined) {
    if (prices === null || typeof prices !== 'object' || Array.isArray(prices))
      fail('prices', 'an object of model id → prices');
    for (const [model, price] of Object.entries(prices as Record<string, unknown>)) {
      const p = price as Record<string, unknown> | null;
      if (
        p === null ||
        typeof p !== 'object' ||
        typeof p['inputPerMTok'] !== 'number' ||
        typeof p['outputPerMTok'] !== 'number'
      )
        throw new InputError(
          `${file}: "ai.prices.${model}" must be { "inputPerMTok": number, "outputPerMTok": number }`,
        );
    }
  }
  return ai as AiFileConfig;
}

/** ` (did you mean "x"?)` for the closest known word within a few typos, else ''. */
function suggest(word: string, known: readonly string[]): string {
  const [closest] = known
    .map((k) => ({ k, d: distance(k.toLowerCase(), word.toLowerCase()) }))
    .filter((x) => x.d <= 3)
    .sort((a, b) => a.d - b.d);
  return closest ? ` (did you mean "${closest.k}"?)` : '';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}
