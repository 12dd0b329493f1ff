/**
 * TODO: read SQLite's version as the server reports it and as users configure it, into a
 * ServerVersion (src/core/dialect/version.ts) whose `product` tells apart servers whose
 * numbers do not compare (a MariaDB 10.11 is not a MySQL 10).
 */
import type { ServerVersion } from '../../core/dialect/index.js';
import { notImplemented } from './not-implemented.js';

/** TODO: the oldest version the dialect supports. */
export const ASSUMED_SQLITE_VERSION: ServerVersion = { product: 'sqlite', parts: [0], text: '0' };

export function parseSqliteVersion(_text: string, _source?: string): ServerVersion {
  return notImplemented('version parsing', 'version.ts');
}
