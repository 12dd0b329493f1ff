/**
 * Whether a session TimeZone lets ALTER COLUMN … TYPE between timestamp and timestamptz skip the
 * rewrite (PostgreSQL 12+). The server skips it only when the zone's offset is zero and fixed
 * for all time (TimestampTimestampTzRequiresRewrite → pg_get_timezone_offset): UTC and its
 * aliases, not a zone such as Europe/London that is at +00 only in winter, nor Africa/Abidjan,
 * whose history has another offset. Checked against the server zone by zone in test/facts.
 * https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES
 */
const FIXED_UTC_ZONES = new Set(
  [
    'UTC',
    'UCT',
    'Universal',
    'Zulu',
    'GMT',
    'GMT0',
    'GMT+0',
    'GMT-0',
    'Greenwich',
    'Etc/UTC',
    'Etc/UCT',
    'Etc/Universal',
    'Etc/Zulu',
    'Etc/GMT',
    'Etc/GMT0',
    'Etc/GMT+0',
    'Etc/GMT-0',
    'Etc/Greenwich',
  ].map((z) => z.toLowerCase()),
);

/** Zone names as the server prints `TimeZone` (case-insensitive, as the server matches them). */
export function isFixedUtcZone(zone: string): boolean {
  return FIXED_UTC_ZONES.has(zone.trim().toLowerCase());
}

export const FIXED_UTC_ZONE_NAMES: readonly string[] = [...FIXED_UTC_ZONES];
