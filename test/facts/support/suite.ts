/**
 * Registers every fact group for one server: the test targets (describePg) and the embedded
 * PostgreSQL 10 and 11 that only the version gates need (describeEmbeddedMajor).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPostgresParser } from '../../../src/dialects/postgres/parser.js';
import {
  startEmbeddedPostgres,
  type EmbeddedServer,
} from '../../../src/dialects/postgres/scratch/embedded-server.js';
import type { PgTarget } from '../../setup/targets.js';
import { createTempDatabase, type TempDatabase } from '../../support/pg.js';
import { ALL_GROUPS } from '../cases/index.js';
import { registerCatalogChecks } from './catalog-checks.js';
import { appliesTo, checkCase, type CaseDatabase } from './run-case.js';

export interface FactServer {
  major: number;
  /** Known only once the server runs (an embedded one starts in beforeAll). */
  target: () => PgTarget;
}

export function registerFactSuites(server: FactServer): void {
  let db: TempDatabase | undefined;
  // Tablespaces belong to the whole cluster: the name must not clash with another run's.
  const tablespace = `fact_space_${process.pid}_${randomBytes(3).toString('hex')}`;
  const database = (): CaseDatabase => {
    if (!db) throw new Error('fact database not created');
    return { major: server.major, url: db.url, client: db.client, tablespace };
  };
  beforeAll(async () => {
    await loadPostgresParser();
    db = await createTempDatabase(server.target());
    // In place: a directory under pg_tblspc, so no path the server's OS user must own.
    // https://www.postgresql.org/docs/current/runtime-config-developer.html
    await db.client.query('SET allow_in_place_tablespaces = on');
    await db.client.query(`CREATE TABLESPACE ${tablespace} LOCATION ''`);
  });
  afterAll(async () => {
    await db?.client.query(`DROP TABLESPACE IF EXISTS ${tablespace}`);
    await db?.drop();
  });
  for (const group of ALL_GROUPS) {
    // A statement the server does not have is left out rather than reported as skipped.
    const cases = group.cases.filter((c) => appliesTo(c, server.major));
    if (cases.length === 0) continue;
    describe(group.name, () => {
      for (const c of cases) it(c.name, () => checkCase(database(), c));
    });
  }
  registerCatalogChecks(server.major, database);
}

/** An embedded server of another major, started for this file only. */
export function describeEmbeddedMajor(packageName: string, major: number): void {
  describe(`facts [pg${major} embedded]`, () => {
    let embedded: EmbeddedServer | undefined;
    beforeAll(async () => {
      embedded = await startEmbeddedPostgres({ packageName });
      expect(embedded.major).toBe(major);
    });
    afterAll(async () => {
      await embedded?.stop();
    });
    registerFactSuites({
      major,
      target: () => {
        if (!embedded) throw new Error(`${packageName} did not start`);
        return { label: `pg${major} embedded`, url: embedded.url, major, embedded: true };
      },
    });
  });
}
