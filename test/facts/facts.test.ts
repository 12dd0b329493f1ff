/**
 * Every fact of dialects/postgres/facts.ts against every server in TEST_PG_URLS (PostgreSQL 15
 * and the embedded 18 in CI). PostgreSQL 10 and 11 run in pg10.test.ts and pg11.test.ts.
 */
import { describePg } from '../support/pg.js';
import { registerFactSuites } from './support/suite.js';

describePg('facts', (target) => registerFactSuites({ major: target.major, target: () => target }));
