/** What MySQL and MariaDB can do, for the parts of the engine that choose between strategies. */
import type { Capabilities } from '../../core/dialect/index.js';

export const MYSQL_CAPABILITIES: Capabilities = {
  // Every DDL statement commits the open transaction first and cannot be rolled back
  // (https://dev.mysql.com/doc/refman/8.0/en/implicit-commit.html,
  // https://mariadb.com/kb/en/sql-statements-that-cause-an-implicit-commit/).
  transactionalDdl: false,
  // InnoDB online DDL: ADD INDEX with LOCK=NONE lets writes go on while it builds.
  concurrentIndexBuilds: true,
  // No NOT VALID: a CHECK or foreign key is checked when added (foreign_key_checks=0 skips the
  // check, it does not defer it).
  notValidConstraints: false,
  // lock_wait_timeout bounds the metadata lock wait of DDL.
  lockTimeout: true,
  // 64 characters (https://dev.mysql.com/doc/refman/8.0/en/identifier-length.html); names are
  // cut in characters, and every generated name is ASCII.
  maxIdentifierBytes: 64,
};
