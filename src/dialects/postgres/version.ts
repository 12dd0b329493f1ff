/**
 * PostgreSQL versions: major.minor since 10 (https://www.postgresql.org/support/versioning/).
 * Facts change at majors only, so the fact key is the major.
 */
import { InputError } from '../../core/errors.js';
import type { ServerVersion } from '../../core/dialect/version.js';
import { ASSUMED_MAJOR } from '../../config/types.js';

/** "15.19", "15", "16beta1", "18.0 (Debian 18.0-1)" → parts. */
export function parsePostgresVersion(text: string, source?: string): ServerVersion {
  const match = /^\s*(\d+)(?:\.(\d+))?/.exec(text);
  if (!match?.[1])
    throw new InputError(
      `${source ? `${source}: ` : ''}"${text}" is not a PostgreSQL version (e.g. 15 or 15.4)`,
    );
  const parts = [Number(match[1])];
  if (match[2] !== undefined) parts.push(Number(match[2]));
  return { product: 'postgres', parts, text: parts.join('.') };
}

/** From `server_version_num` (150019 → 15.19); the snapshot's human text may carry a distribution suffix. */
export function postgresVersionFromNum(num: number): ServerVersion {
  const major = Math.floor(num / 10000);
  const minor = num % 10000;
  return { product: 'postgres', parts: [major, minor], text: `${major}.${minor}` };
}

export function postgresMajor(version: ServerVersion): number {
  return version.parts[0] ?? ASSUMED_MAJOR;
}

export const ASSUMED_POSTGRES_VERSION: ServerVersion = {
  product: 'postgres',
  parts: [ASSUMED_MAJOR],
  text: String(ASSUMED_MAJOR),
};
