/**
 * Scratch databases a killed run left on a server: named `schemapilot_scratch_<pid>_<hex>`, with
 * a marker table whose comment names this host, and whose <pid> is not running here. The host
 * check matters on a shared dev server: another machine's live run has a pid that means nothing
 * here. A database without our marker (a run killed between CREATE DATABASE and the marker, one
 * round trip) is left alone: we cannot tell whose it is.
 */
import { hostname } from 'node:os';
import type { MysqlSession } from '../session.js';
import { MARKER_COMMENT_PREFIX, MARKER_TABLE, SCRATCH_PATTERN } from './names.js';
import { isAlive } from '../../../core/child-server.js';
import { dropDatabase } from './server.js';

/** Drops the leftovers; returns the names dropped. A database that will not drop is a warning. */
export async function reapDevLeftovers(
  admin: MysqlSession,
  onWarning: ((message: string) => void) | undefined,
): Promise<string[]> {
  const rows = await admin.rows<{ db: string; comment: string | null }>(
    // LIKE with escaped underscores: `_` alone matches any character.
    `SELECT TABLE_SCHEMA AS db, TABLE_COMMENT AS comment FROM information_schema.TABLES
      WHERE TABLE_SCHEMA LIKE 'schemapilot\\_scratch\\_%' AND TABLE_NAME = ?`,
    [MARKER_TABLE],
  );
  const here = hostname();
  const dropped: string[] = [];
  for (const { db, comment } of rows) {
    const pid = Number(SCRATCH_PATTERN.exec(db)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (parseMarker(comment)?.host !== here || isAlive(pid)) continue;
    try {
      await dropDatabase(admin, db);
      dropped.push(db);
    } catch (error) {
      // Not fatal: it may be being dropped concurrently.
      onWarning?.(`could not drop leftover scratch database ${db}: ${(error as Error).message}`);
    }
  }
  return dropped;
}

function parseMarker(comment: string | null): { host?: unknown } | undefined {
  if (comment === null || !comment.startsWith(MARKER_COMMENT_PREFIX)) return undefined;
  try {
    const parsed: unknown = JSON.parse(comment.slice(MARKER_COMMENT_PREFIX.length));
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}
