/**
 * `--connect-timeout` and `--query-timeout`, on every command that talks to a database. They
 * set the timeouts of every connection of the run (timeouts.ts); without them the connection
 * string's connect_timeout, PGCONNECT_TIMEOUT and the defaults apply.
 */
import type { Command } from 'commander';
import { InputError } from '../core/errors.js';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_QUERY_TIMEOUT_MS,
  setNetworkTimeouts,
} from '../core/timeouts.js';

export interface NetworkFlags {
  connectTimeout?: string;
  queryTimeout?: string;
}

export function addNetworkOptions(command: Command): Command {
  return command
    .option(
      '--connect-timeout <seconds>',
      `give up opening a connection after this long (default: the URL's connect_timeout, $PGCONNECT_TIMEOUT, or ${DEFAULT_CONNECT_TIMEOUT_MS / 1000})`,
    )
    .option(
      '--query-timeout <seconds>',
      `statement_timeout of read-only queries; a server that does not answer at all is given up a little later (default ${DEFAULT_QUERY_TIMEOUT_MS / 1000})`,
    );
}

/** Read the flags (commander's preAction hook calls this for every command). */
export function applyNetworkOptions(flags: NetworkFlags): void {
  setNetworkTimeouts({
    connectTimeoutMs: seconds('--connect-timeout', flags.connectTimeout),
    queryTimeoutMs: seconds('--query-timeout', flags.queryTimeout),
  });
}

function seconds(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (!(n >= 0.1 && n <= 86_400))
    throw new InputError(`${flag} must be a number of seconds from 0.1 to 86400; got "${value}"`);
  return Math.round(n * 1000);
}
