/**
 * Function bodies and DO blocks are dollar-quoted with a tag that does not occur in the body
 * (dollarQuote in src/dialects/postgres/quote.ts): the server must read back exactly the body,
 * whatever names and literals it holds, and a plan whose DO block quotes `$schemapilot$` must
 * still parse, plan and pass the engine's own check.
 */
import { describe, expect, it } from 'vitest';
import { dollarQuote } from '../../src/dialects/postgres/quote.js';
import { createTempDatabase, describePg } from '../support/pg.js';
import { planSql, selfCheck } from '../support/plan-helpers.js';
import { testSchema } from '../support/schema-fixture.js';

const BODIES = [
  'plain',
  '',
  'a $$ b',
  '$schemapilot$',
  'ends with $schemapilot',
  '$schemapilot_1$ and $schemapilot$',
  'it\'s "quoted"; -- not a comment\n\\ back\\slash',
  '$',
];

describe('dollarQuote', () => {
  it('keeps the preferred tag when the body allows it', () => {
    expect(dollarQuote('SELECT 1')).toBe('$schemapilot$SELECT 1$schemapilot$');
    expect(dollarQuote('x', 'fn')).toBe('$fn$x$fn$');
  });

  it('picks the next free tag when the body holds it, or ends with its start', () => {
    expect(dollarQuote('a $schemapilot$ b')).toBe('$schemapilot_1$a $schemapilot$ b$schemapilot_1$');
    expect(dollarQuote('$schemapilot$ $schemapilot_1$')).toMatch(/^\$schemapilot_2\$/);
    // `…$schemapilot` + `$schemapilot$` would close on the body's own characters.
    expect(dollarQuote('x $schemapilot')).toBe('$schemapilot_1$x $schemapilot$schemapilot_1$');
  });

  it('refuses a tag that is not one', () => {
    expect(() => dollarQuote('x', 'a$b')).toThrow(/not a dollar-quote tag/);
  });
});

describe('plans around our own tags', () => {
  it('a DO block whose default literal and column hold $schemapilot$ still parses and checks clean', async () => {
    const p = await planSql(
      `ALTER TABLE users ADD COLUMN "tok$schemapilot$" text NOT NULL DEFAULT (md5(random()::text) || '$schemapilot$')`,
    );
    const backfill = p.steps.find((s) => s.backfill);
    expect(backfill?.sql[0]).toMatch(/^DO \$schemapilot_1\$\n[\s\S]*\$schemapilot_1\$$/);
    const errors = (await selfCheck(p, testSchema(15))).filter((f) => f.severity === 'error');
    expect(errors).toEqual([]);
  });
});

describePg('dollar-quoted bodies on a real server', (target) => {
  it('come back byte for byte', async () => {
    const db = await createTempDatabase(target);
    try {
      for (const body of BODIES) {
        const { rows } = await db.client.query<{ body: string }>(`SELECT ${dollarQuote(body)} AS body`);
        expect(rows[0]?.body).toBe(body);
      }
    } finally {
      await db.drop();
    }
  });
});
