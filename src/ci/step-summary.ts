/**
 * GitHub Actions' job summary and annotations: the report is appended to the file named by
 * $GITHUB_STEP_SUMMARY, and a warning is a `::warning::` workflow command on stdout.
 * https://docs.github.com/actions/reference/workflows-and-actions/workflow-commands
 */
import { appendFileSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { fsErrorWords } from '../core/fs-errors.js';
import { truncated, truncationNote } from './comment.js';

/** GitHub refuses a step's summary above 1 MiB (and shows none of it). */
export const STEP_SUMMARY_MAX_BYTES = 1024 * 1024;

export function appendStepSummary(path: string, report: string): void {
  const text = truncated(
    report.endsWith('\n') ? report : `${report}\n`,
    STEP_SUMMARY_MAX_BYTES,
    truncationNote("the job's artifacts"),
    (s) => Buffer.byteLength(s),
  );
  try {
    appendFileSync(path, text);
  } catch (error) {
    throw new InputError(`GITHUB_STEP_SUMMARY ${path}: cannot write: ${fsErrorWords(error)}`);
  }
}

/** `::warning title=…::message`, with the characters the runner reads as syntax escaped. */
export function warningCommand(title: string, message: string): string {
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const property = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  return `::warning title=${property(title)}::${data(message)}`;
}
