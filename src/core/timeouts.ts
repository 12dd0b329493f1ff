/**
 * The network timeouts of a run, for every dialect's driver, kept apart from the drivers so that the command line can set
 * them without loading the `pg` driver (most runs never connect). Why these defaults:
 * docs/decisions/0013-network-timeouts.md.
 */

/** Time to open a connection: TCP, TLS, startup and authentication. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** statement_timeout of read-only sessions; the client waits `graceMs` longer before it gives up. */
export const DEFAULT_QUERY_TIMEOUT_MS = 60_000;

const network: { connectTimeoutMs?: number; queryTimeoutMs: number } = {
  queryTimeoutMs: DEFAULT_QUERY_TIMEOUT_MS,
};

/** Set by `--connect-timeout` and `--query-timeout`, for every connection of the run. */
export function setNetworkTimeouts(timeouts: { connectTimeoutMs?: number; queryTimeoutMs?: number }): void {
  if (timeouts.connectTimeoutMs !== undefined) network.connectTimeoutMs = timeouts.connectTimeoutMs;
  if (timeouts.queryTimeoutMs !== undefined) network.queryTimeoutMs = timeouts.queryTimeoutMs;
}

/** `--connect-timeout` when given; otherwise the connection string and PGCONNECT_TIMEOUT decide. */
export function connectTimeoutOverride(): number | undefined {
  return network.connectTimeoutMs;
}

/** The server-side statement_timeout of read-only sessions (ms). */
export function queryTimeoutMs(): number {
  return network.queryTimeoutMs;
}

/**
 * How much longer than the server's statement_timeout the client waits before it gives up on
 * the connection: the server's own cancel, with its clear message, should come first.
 */
export function graceMs(timeoutMs: number): number {
  return Math.min(Math.max(timeoutMs, 500), 5_000);
}

/** The client-side deadline of a query whose server-side timeout is `timeoutMs`. */
export function deadlineFor(timeoutMs: number): number {
  return timeoutMs + graceMs(timeoutMs);
}

/** `1 s`, `0.5 s`, `60 s` */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 1000 ? 1 : 0))} s`;
}
