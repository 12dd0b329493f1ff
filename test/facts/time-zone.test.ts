/**
 * timestamp ↔ timestamptz rewrites unless the session TimeZone has a fixed zero offset
 * (PostgreSQL 12+, TimestampTimestampTzRequiresRewrite). Which zone names qualify is a fact of
 * the server: each name in our list, and zones that are at +00 only part of the time or were
 * not always, are run on the server and the rewrite is read from pg_class.relfilenode.
 * https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES
 * And with --db, the TimeZone the database gives this role decides, and the output says so.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { analyze } from '../../src/api/analyze.js';
import { inspectPostgres } from '../../src/dialects/postgres/introspect.js';
import { FIXED_UTC_ZONE_NAMES, isFixedUtcZone } from '../../src/dialects/postgres/time-zone.js';
import { createTempDatabase, describePg, type TempDatabase } from '../support/pg.js';

const NOT_FIXED_UTC = ['Europe/London', 'Africa/Abidjan', 'Europe/Paris', 'Etc/GMT+1', 'America/New_York'];

describePg('session TimeZone and timestamp ↔ timestamptz', (target) => {
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase(
      target,
      `CREATE TABLE ts (id int PRIMARY KEY, at timestamp);
       INSERT INTO ts SELECT g, '2024-01-01'::timestamp + g * interval '1 hour' FROM generate_series(1, 20) g;`,
    );
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function rewrites(zone: string): Promise<boolean> {
    const relfilenode = async () =>
      (
        await db.client.query<{ f: string }>(
          `SELECT relfilenode::text AS f FROM pg_class WHERE oid = 'ts'::regclass`,
        )
      ).rows[0]?.f;
    await db.client.query('BEGIN');
    try {
      await db.client.query(`SELECT set_config('TimeZone', $1, true)`, [zone]);
      const before = await relfilenode();
      await db.client.query('ALTER TABLE ts ALTER COLUMN at TYPE timestamptz');
      return (await relfilenode()) !== before;
    } finally {
      await db.client.query('ROLLBACK');
    }
  }

  it('rewrites exactly for the zones isFixedUtcZone rejects', async () => {
    const zones = [...FIXED_UTC_ZONE_NAMES, ...NOT_FIXED_UTC];
    const measured: Record<string, boolean> = {};
    const predicted: Record<string, boolean> = {};
    for (const zone of zones) {
      measured[zone] = await rewrites(zone);
      predicted[zone] = target.major < 12 || !isFixedUtcZone(zone);
    }
    expect(predicted).toEqual(measured);
    // The server must show both outcomes, or the comparison proves nothing.
    if (target.major >= 12) expect(new Set(Object.values(measured)).size).toBe(2);
  });

  it('with --db, the database TimeZone for the role decides, and the assumptions say which', async () => {
    const change = [
      {
        path: 'c.sql',
        sql: 'ALTER TABLE ts ALTER COLUMN at TYPE timestamptz;',
        transaction: 'none' as const,
      },
    ];
    const verdict = async (zone: string) => {
      await db.client.query(`ALTER DATABASE ${db.name} SET TimeZone = '${zone}'`);
      const snapshot = await inspectPostgres(db.url);
      expect(snapshot.timeZone).toBe(zone);
      const result = await analyze({ files: change, snapshot });
      return { rewrites: result.statements[0]?.rewritesTable, said: result.assumptions.join('\n') };
    };
    const utc = await verdict('Etc/UTC');
    expect(utc.rewrites).toBe(target.major < 12);
    expect(utc.said).toMatch(/session TimeZone: Etc\/UTC \(the database's setting/);
    const paris = await verdict('Europe/Paris');
    expect(paris.rewrites).toBe(true);
    expect(paris.said).toMatch(/session TimeZone: Europe\/Paris .*not UTC/);
    // The config, when it says, wins over the database.
    const snapshot = await inspectPostgres(db.url);
    const { DEFAULT_CONFIG } = await import('../../src/config/types.js');
    const configured = await analyze({
      files: change,
      snapshot,
      config: { ...DEFAULT_CONFIG, timeZoneIsUtc: true },
    });
    expect(configured.statements[0]?.rewritesTable).toBe(target.major < 12);
    expect(configured.assumptions.join('\n')).toMatch(/as timeZoneIsUtc in the config says/);
  });
});
