/**
 * Server versions across dialects: parts compare numerically (10.11 is newer than 10.9), a
 * missing part counts as 0, and versions of different products do not compare at all (a
 * MariaDB 10.11 is not a MySQL 10). PostgreSQL's reader takes what servers and users write.
 */
import { describe, expect, it } from 'vitest';
import { compareVersions, versionAtLeast, type ServerVersion } from '../../../src/core/dialect/version.js';
import { InputError } from '../../../src/core/errors.js';
import {
  parsePostgresVersion,
  postgresMajor,
  postgresVersionFromNum,
} from '../../../src/dialects/postgres/version.js';

const v = (product: string, ...parts: number[]): ServerVersion => ({ product, parts, text: parts.join('.') });

describe('compareVersions', () => {
  it('orders by each part numerically, missing parts as 0', () => {
    expect(compareVersions(v('mariadb', 10, 11, 6), v('mariadb', 10, 9, 8))).toBeGreaterThan(0);
    expect(compareVersions(v('mysql', 8, 0, 12), v('mysql', 8, 0, 29))).toBeLessThan(0);
    expect(compareVersions(v('postgres', 15), v('postgres', 15, 0))).toBe(0);
    expect(versionAtLeast(v('mysql', 8, 0, 29), 8, 0, 12)).toBe(true);
    expect(versionAtLeast(v('mysql', 8, 0, 11), 8, 0, 12)).toBe(false);
  });

  it('refuses to compare versions of different products', () => {
    expect(() => compareVersions(v('mariadb', 10, 11), v('mysql', 8, 0))).toThrow(
      'cannot compare a mariadb version with a mysql version',
    );
  });
});

describe('PostgreSQL versions', () => {
  it('reads what servers print and users configure', () => {
    expect(parsePostgresVersion('15.19').parts).toEqual([15, 19]);
    expect(parsePostgresVersion('15').parts).toEqual([15]);
    expect(parsePostgresVersion('16beta1').parts).toEqual([16]);
    expect(parsePostgresVersion('18.0 (Debian 18.0-1.pgdg12+1)').parts).toEqual([18, 0]);
    expect(postgresVersionFromNum(150019)).toEqual({ product: 'postgres', parts: [15, 19], text: '15.19' });
    expect(postgresMajor(parsePostgresVersion('11.22'))).toBe(11);
  });

  it('names the source of a version it cannot read', () => {
    expect(() => parsePostgresVersion('latest', 'targetVersion')).toThrow(InputError);
    expect(() => parsePostgresVersion('latest', 'targetVersion')).toThrow(
      'targetVersion: "latest" is not a PostgreSQL version (e.g. 15 or 15.4)',
    );
  });
});
