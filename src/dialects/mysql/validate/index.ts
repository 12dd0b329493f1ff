/**
 * MySQL/MariaDB's half of `validate` (core/dialect/validation.ts): the functions of this folder
 * over the engine's sessions.
 */
import type { ValidationDriver } from '../../../core/dialect/validation.js';
import { mysqlSession } from '../session.js';
import { comparableSnapshot } from './comparable.js';
import { loadSchema, runAsWritten } from './load.js';
import { readNullFractions } from './null-fractions.js';
import { copySampleRows } from './sample.js';
import { traceStep } from './step.js';
import { synthesizeRows } from './synthesize.js';

export const mysqlValidation: ValidationDriver = {
  loadSchema: (session, source) => loadSchema(mysqlSession(session), source),
  runAsWritten: (session, files) => runAsWritten(mysqlSession(session), files),
  traceStep: (session, step, options) => traceStep(mysqlSession(session), step, options),
  comparable: comparableSnapshot,
  readNullFractions: (session) => readNullFractions(mysqlSession(session)),
  synthesizeRows: (session, snapshot, rowsPerTable, options) =>
    synthesizeRows(mysqlSession(session), snapshot, rowsPerTable, options),
  copySample: (source, target, snapshot, rowsPerTable) =>
    copySampleRows(mysqlSession(source), mysqlSession(target), snapshot, rowsPerTable),
};
