/** Reading the CI's environment: one-line errors that name the variable, never its value's secrets. */
import { InputError, redactConnectionString } from '../core/errors.js';

/** The variable's value; unset and empty are both missing (CI systems export empty strings). */
export function requiredEnv(env: NodeJS.ProcessEnv, name: string, hint: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new InputError(`${name} is not set (${hint})`);
  return value.trim();
}

/** An API's base URL from `name` (or `fallback`), without a trailing slash; http(s) only. */
export function apiBaseUrl(
  env: NodeJS.ProcessEnv,
  name: string,
  source: { fallback: string } | { hint: string },
): string {
  const value =
    'fallback' in source ? env[name]?.trim() || source.fallback : requiredEnv(env, name, source.hint);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`${name} must be an http(s) URL; got "${redactConnectionString(value)}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new InputError(`${name} must be an http(s) URL; got "${redactConnectionString(value)}"`);
  if (url.username !== '' || url.password !== '')
    throw new InputError(`${name} must not hold credentials; the token comes from its own variable`);
  if (url.search !== '' || url.hash !== '')
    throw new InputError(`${name} must be the API's base URL without ?query or #fragment`);
  return url.toString().replace(/\/+$/, '');
}

/** A positive integer written in decimal, else undefined. */
export function positiveInteger(text: string): number | undefined {
  if (!/^\d{1,15}$/.test(text.trim())) return undefined;
  const n = Number(text);
  return n >= 1 ? n : undefined;
}
