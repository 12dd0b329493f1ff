/**
 * PostgreSQL's errors as deploy acts on them, by SQLSTATE class: 08 (connection exception) and
 * 57P (operator intervention: admin shutdown, crash) lose the connection; 55P03 is a lock wait
 * past lock_timeout, 40P01 a deadlock, 57014 a cancelled statement (our watchdog's cancel).
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
import type { DeployErrors } from '../../../core/dialect/deploy.js';

const CONNECTION_CLASSES = /^(08|57P)/;

export const postgresDeployErrors: DeployErrors = {
  code(error) {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
  },
  isConnectionError(error) {
    const e = error as { code?: string; message?: string };
    if (typeof e.code === 'string' && CONNECTION_CLASSES.test(e.code)) return true;
    return /Connection terminated|ECONNRESET|EPIPE|Client has encountered a connection error|not queryable/i.test(
      e.message ?? '',
    );
  },
  kind(error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === '55P03') return 'lock timeout';
    if (code === '40P01') return 'deadlock';
    if (code === '57014') return 'cancelled';
    return 'other';
  },
  connectionLostCode: '08006',
};
