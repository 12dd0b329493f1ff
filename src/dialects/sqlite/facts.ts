/**
 * TODO: what each Change does on SQLite, per server version: the locks it takes (mapped onto
 * LockMode of src/core/locks.ts, whose blockedTraffic says what traffic waits; record the
 * mapping in docs/decisions/), whether it rewrites, scans or rebuilds indexes, whether it can
 * run in a transaction. Each fact cites the vendor's documentation for the version it holds on,
 * and a test on a real server of each supported version checks it (as test/facts does for
 * PostgreSQL):
 * https://www.sqlite.org/lang_altertable.html
 * https://www.sqlite.org/lockingv3.html
 */
import type { DialectFacts } from '../../core/facts.js';
import { notImplemented } from './not-implemented.js';

export const sqliteFacts: DialectFacts = {
  changeFacts: () => notImplemented('facts', 'facts.ts'),
};
