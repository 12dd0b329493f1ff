import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/api/analyze.js';
import { DEFAULT_CONFIG } from '../../../src/config/types.js';
import {
  compareVersions,
  factKeyVersion,
  factKeyWords,
  versionAtLeast,
} from '../../../src/core/dialect/version.js';
import { dialectNamed } from '../../../src/dialects/index.js';
import { inlineMigration } from '../../../src/formats/read.js';
import { InputError } from '../../../src/core/errors.js';
import { mysqlFactKey, parseMysqlVersion } from '../../../src/dialects/mysql/version.js';

describe('parseMysqlVersion', () => {
  it('reads MariaDB with a distribution suffix', () => {
    expect(parseMysqlVersion('10.11.6-MariaDB-0+deb12u1')).toEqual({
      product: 'mariadb',
      parts: [10, 11, 6],
      text: '10.11.6',
    });
  });

  it('reads MySQL', () => {
    expect(parseMysqlVersion('8.0.36')).toEqual({ product: 'mysql', parts: [8, 0, 36], text: '8.0.36' });
    expect(parseMysqlVersion('8.4.0-commercial')).toMatchObject({ product: 'mysql', parts: [8, 4, 0] });
    expect(parseMysqlVersion('5.7.44-log')).toMatchObject({ product: 'mysql', parts: [5, 7, 44] });
  });

  it('drops the 5.5.5- replication prefix MariaDB shows in the handshake', () => {
    expect(parseMysqlVersion('5.5.5-10.11.6-MariaDB')).toMatchObject({
      product: 'mariadb',
      parts: [10, 11, 6],
    });
    expect(parseMysqlVersion('5.5.5-11.4.2-MariaDB-log')).toMatchObject({ parts: [11, 4, 2] });
  });

  it('counts a missing patch as 0', () => {
    expect(parseMysqlVersion('11.4-MariaDB').parts).toEqual([11, 4, 0]);
  });

  it('refuses what is not a version, naming where it came from', () => {
    expect(() => parseMysqlVersion('banana', '--server-version')).toThrow(InputError);
    expect(() => parseMysqlVersion('8', '--server-version')).toThrow(/--server-version: "8"/);
  });
});

describe('versions compare within one product', () => {
  it('orders patch releases, which change online DDL behaviour', () => {
    const v = parseMysqlVersion('8.0.28');
    expect(versionAtLeast(v, 8, 0, 29)).toBe(false);
    expect(versionAtLeast(parseMysqlVersion('8.0.29'), 8, 0, 29)).toBe(true);
    expect(mysqlFactKey(parseMysqlVersion('8.0.36'))).toBe(80036);
    expect(mysqlFactKey(parseMysqlVersion('10.11.6-MariaDB'))).toBe(101106);
    expect(mysqlFactKey(parseMysqlVersion('8.0.29'))).toBeGreaterThan(
      mysqlFactKey(parseMysqlVersion('8.0.28')),
    );
    expect(mysqlFactKey(parseMysqlVersion('10.11.0-MariaDB'))).toBeGreaterThan(
      mysqlFactKey(parseMysqlVersion('10.6.18-MariaDB')),
    );
  });

  it('refuses to compare MariaDB with MySQL', () => {
    expect(() => compareVersions(parseMysqlVersion('10.11.6-MariaDB'), parseMysqlVersion('8.0.36'))).toThrow(
      /cannot compare/,
    );
  });
});

describe('factKeyWords: a plan or snapshot that keeps only the key still names the server', () => {
  it.each([
    ['10.11.6-MariaDB-0+deb12u1', 'MariaDB 10.11.6'],
    ['5.5.5-11.4.2-MariaDB', 'MariaDB 11.4.2'],
    ['8.0.29', 'MySQL 8.0.29'],
    ['9.1.0', 'MySQL 9.1.0'],
  ])('%s → %s', (text, words) => {
    expect(factKeyWords('mysql', mysqlFactKey(parseMysqlVersion(text)))).toBe(words);
  });
  it('PostgreSQL keys are majors', () => {
    expect(factKeyWords('postgres', 15)).toBe('PostgreSQL 15');
  });
});

describe('factKeyVersion: the version text of a configured or planned MySQL server', () => {
  it('gives the parts back, and the report names the version, not the key', async () => {
    const key = mysqlFactKey(parseMysqlVersion('8.0.36'));
    expect(factKeyVersion('mysql', key)).toBe('8.0.36');
    expect(factKeyVersion('postgres', 15)).toBe('15');
    const mysql = dialectNamed('mysql');
    await mysql.language.load();
    const result = await analyze({
      files: [inlineMigration('m.sql', 'ALTER TABLE t ADD COLUMN a int', 'plain', mysql)],
      dialect: mysql,
      config: { ...DEFAULT_CONFIG, targetVersion: key },
    });
    expect(result.serverVersion).toBe('8.0.36');
  });
});
