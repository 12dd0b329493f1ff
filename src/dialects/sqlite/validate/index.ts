/**
 * SQLite's half of `validate` (core/dialect/validation.ts): the functions of this folder over
 * the engine's sessions. Loaded on first use with better-sqlite3 (../index.ts).
 */
import type { ValidationDriver } from '../../../core/dialect/validation.js';
import { sqliteSession } from '../session.js';
import { comparableSnapshot } from './comparable.js';
import { copySample, readNullFractions, synthesizeRows } from './data.js';
import { checkIntegrity } from './integrity.js';
import { loadSchema, runAsWritten } from './load.js';
import { traceStep } from './step.js';

export const sqliteValidation: ValidationDriver = {
  loadSchema: (session, source) => loadSchema(sqliteSession(session), source),
  runAsWritten: (session, files) => Promise.resolve(runAsWritten(sqliteSession(session), files)),
  traceStep: (session, step, options) => Promise.resolve(traceStep(sqliteSession(session), step, options)),
  comparable: comparableSnapshot,
  readNullFractions: () => Promise.resolve(readNullFractions()),
  synthesizeRows: (session, snapshot, rows, options) =>
    Promise.resolve(synthesizeRows(sqliteSession(session), snapshot, rows, options)),
  copySample: (source, target, snapshot, rows) =>
    Promise.resolve(copySample(sqliteSession(source), sqliteSession(target), snapshot, rows)),
  checkIntegrity: (session) => Promise.resolve(checkIntegrity(sqliteSession(session))),
};
