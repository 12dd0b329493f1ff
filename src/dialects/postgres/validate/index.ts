/**
 * PostgreSQL's half of `validate` (core/dialect/validation.ts): the functions of this folder
 * over the engine's sessions.
 */
import type { ValidationDriver } from '../../../core/dialect/validation.js';
import { pgClient } from '../session.js';
import { loadSchema, runAsWritten } from './load.js';
import { readNullFractions } from './null-fractions.js';
import { copySampleRows } from './sample.js';
import { traceStep } from './step.js';
import { synthesizeRows } from './synthesize.js';

export const postgresValidation: ValidationDriver = {
  loadSchema: (session, source) => loadSchema(pgClient(session), source),
  runAsWritten: (session, files) => runAsWritten(pgClient(session), files),
  traceStep: (session, step, options) => traceStep(pgClient(session), step, options),
  readNullFractions: (session) => readNullFractions(pgClient(session)),
  synthesizeRows: (session, snapshot, rowsPerTable, options) =>
    synthesizeRows(pgClient(session), snapshot, rowsPerTable, options),
  async copySample(source, target, snapshot, rowsPerTable) {
    const client = pgClient(target);
    const report = await copySampleRows(pgClient(source), client, snapshot, rowsPerTable);
    // The planner's statistics follow the copied rows, as they would the real ones.
    await client.query('ANALYZE');
    return report;
  },
};
