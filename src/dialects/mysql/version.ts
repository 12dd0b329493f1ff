/**
 * MySQL and MariaDB versions. Both are major.minor.patch and change behaviour at patch releases
 * (MySQL 8.0.12 added INSTANT ADD COLUMN, 8.0.16 enforced CHECK, 8.0.29 INSTANT ADD/DROP
 * anywhere; MariaDB 10.3.2 instant ADD COLUMN), so all three parts count. MariaDB shares
 * MySQL's protocol and `VERSION()` but not its numbering: a MariaDB 10.11 is not a MySQL 10, so
 * the product is read from the text and versions compare only within one product
 * (`compareVersions` throws otherwise).
 */
import { InputError } from '../../core/errors.js';
import type { ServerVersion } from '../../core/dialect/version.js';

/**
 * `VERSION()` text → version. "8.0.36", "8.4.0-commercial" → mysql; "10.11.6-MariaDB-0+deb12u1"
 * → mariadb [10, 11, 6]. "5.5.5-10.11.6-MariaDB" is what the handshake of MariaDB 10.x-11.x
 * shows old clients (the 5.5.5- prefix kept replication from MySQL 5.x working), so the
 * version after the prefix is the real one.
 */
export function parseMysqlVersion(text: string, source?: string): ServerVersion {
  const mariadb = /mariadb/i.test(text);
  const body = mariadb ? text.trim().replace(/^5\.5\.5-(?=\d+\.\d+)/, '') : text.trim();
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(body);
  if (!match?.[1] || match[2] === undefined)
    throw new InputError(
      `${source ? `${source}: ` : ''}"${text}" is not a MySQL or MariaDB version (e.g. 8.0.36 or 10.11.6-MariaDB)`,
    );
  const parts = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  return { product: mariadb ? 'mariadb' : 'mysql', parts, text: parts.join('.') };
}

/**
 * One number that orders versions of one product: 10.11.6 → 101106, 8.0.36 → 80036 (the shape
 * of MySQL's own `@@version` number and of MariaDB's `MYSQL_VERSION_ID`). The snapshot stores
 * it as `serverVersionNum`; a fact keyed on it must compare it only with versions of the same
 * product (MariaDB 10.6 = 100600 is not newer than MySQL 8.4 = 80400 in any useful sense),
 * which is why the snapshot also records the product.
 */
export function mysqlFactKey(version: ServerVersion): number {
  const [major = 0, minor = 0, patch = 0] = version.parts;
  return major * 10000 + minor * 100 + patch;
}

export function isMariadb(version: ServerVersion): boolean {
  return version.product === 'mariadb';
}
