/**
 * What both providers need from an HTTP failure, whichever SDK raised it: whether to retry,
 * how long the server asked us to wait, and a message that never contains the key.
 */

/** 429 (rate limit), 408 (request timeout) and 5xx are worth retrying; other statuses are not. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/** Our own AbortSignal timeout, as opposed to a caller's cancel. */
export function isTimeoutReason(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TimeoutError';
}

/** `host:port` of the endpoint for messages (never the path or any credentials in it). */
export function hostOf(baseUrl: string | null | undefined, fallback: string): string {
  try {
    return new URL(baseUrl || fallback).host;
  } catch {
    return 'invalid base URL';
  }
}

/** retry-after-ms, or retry-after in seconds or as an HTTP date. */
export function retryAfterSeconds(headers: Headers | undefined): number | null {
  if (!headers || typeof headers.get !== 'function') return null;
  const ms = Number(headers.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms / 1000;
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, (date - Date.now()) / 1000);
}

/** The key removed from a message, even when a server echoes it back. */
export function redact(text: string, secret: string): string {
  return secret.length >= 4 ? text.split(secret).join('[redacted]') : text;
}
