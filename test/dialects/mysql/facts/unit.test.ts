/**
 * The pieces of the facts that need no server: type parsing, the 255-byte length prefix rule
 * (its cases are the measured ones in cases/columns.ts), foreign_key_checks as SET, and
 * ALGORITHM=NOCOPY, which MariaDB has and the parser does not read yet (measured on the server
 * in cases/options.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Change } from '../../../../src/core/change.js';
import type { FactContext } from '../../../../src/core/facts.js';
import { parseType } from '../../../../src/dialects/mysql/facts/catalog.js';
import { mysqlFacts } from '../../../../src/dialects/mysql/facts/index.js';
import { foreignKeyChecks } from '../../../../src/dialects/mysql/facts/constraints.js';
import { lengthPrefixFits } from '../../../../src/dialects/mysql/facts/types.js';
import { table } from './fixture.js';

function context(key: number, variables: Record<string, string> = {}): FactContext {
  const users = table('users');
  return {
    major: key,
    table: (name) => (name === 'shop.users' ? users : undefined),
    tableOfIndex: () => undefined,
    isNew: () => false,
    volatility: () => undefined,
    timeZoneIsUtc: true,
    partitions: () => [],
    defaultPartition: () => undefined,
    referencingForeignKeys: () => [],
    dependentViews: () => [],
    viewSources: () => [],
    relationExists: () => true,
    sessionVariable: (name) => variables[name],
  };
}

describe('MySQL type text', () => {
  it('takes display widths, synonyms, members and character sets apart', () => {
    expect(parseType('int(11) unsigned')).toMatchObject({ base: 'int', args: [], unsigned: true });
    expect(parseType('INTEGER')).toMatchObject({ base: 'int', args: [] });
    expect(parseType('varchar(60) CHARACTER SET latin1')).toMatchObject({
      base: 'varchar',
      args: [60],
      charset: 'latin1',
    });
    expect(parseType("enum('a', 'b''c')")).toMatchObject({ base: 'enum', members: ['a', "b'c"] });
    expect(parseType('decimal')).toMatchObject({ base: 'decimal', args: [10, 0] });
    expect(parseType('boolean')).toMatchObject({ base: 'tinyint', args: [] });
  });
});

describe('InnoDB length prefix (bytes)', () => {
  it('fits while the new maximum is at most 255, the old one above 255 or at most 127', () => {
    expect(lengthPrefixFits(200, 240)).toBe(true); // utf8mb4 50 → 60
    expect(lengthPrefixFits(200, 400)).toBe(false); // utf8mb4 50 → 100
    expect(lengthPrefixFits(124, 400)).toBe(true); // utf8mb4 31 → 100
    expect(lengthPrefixFits(128, 400)).toBe(false); // utf8mb4 32 → 100
    expect(lengthPrefixFits(300, 400)).toBe(true); // latin1 300 → 400
  });
});

describe('foreign_key_checks as the migration set it', () => {
  it('is on unless set to 0, OFF or false', () => {
    expect(foreignKeyChecks(context(101106))).toBe(true);
    expect(foreignKeyChecks(context(101106, { foreign_key_checks: '0' }))).toBe(false);
    expect(foreignKeyChecks(context(101106, { foreign_key_checks: '`OFF`' }))).toBe(false);
    expect(foreignKeyChecks(context(101106, { foreign_key_checks: '1' }))).toBe(true);
  });
});

describe('ALGORITHM=NOCOPY (a Change built by hand: the parser does not read it yet)', () => {
  const engine: Change = {
    kind: 'alter table other',
    table: 'shop.users',
    subtype: 'ENGINE=InnoDB',
    rewrites: true,
    algorithm: 'NOCOPY',
  };
  const addColumn: Change = {
    kind: 'add column',
    table: 'shop.users',
    ifNotExists: false,
    algorithm: 'NOCOPY',
    column: {
      name: 'd',
      type: { name: 'int', modifiers: [], arrayDims: 0, sql: 'int' },
      notNull: false,
      default: null,
      identity: null,
      generated: null,
      collation: null,
      primaryKey: false,
      unique: false,
      checks: [],
      references: null,
    },
  };
  it('MariaDB refuses it for a rebuild (measured 1845 "Try ALGORITHM=INPLACE") and runs an instant change instantly', () => {
    const refused = mysqlFacts.changeFacts(engine, context(101106));
    expect(refused.notes[0]).toMatch(
      /^fails: ALGORITHM=NOCOPY is refused: the server needs ALGORITHM=INPLACE/,
    );
    expect(refused.rewritesTable).toBe(false);
    expect(mysqlFacts.changeFacts(addColumn, context(101106)).online?.algorithm).toBe('INSTANT');
  });
  it('MySQL has no NOCOPY: the statement fails', () => {
    expect(mysqlFacts.changeFacts(addColumn, context(80035)).notes[0]).toMatch(
      /^fails: MySQL has no ALGORITHM=NOCOPY/,
    );
  });
});
