/** The report to post: a text file that says something, read once, checked before any request. */
import { readFileSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { fsErrorWords } from '../core/fs-errors.js';

export function readReport(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InputError(`${path}: cannot read the report: ${fsErrorWords(error)}`);
  }
  // A NUL byte never occurs in markdown; an archive or image passed by mistake has many.
  if (bytes.includes(0))
    throw new InputError(`${path}: not a text file (it holds NUL bytes); pass the markdown report`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${path}: not a UTF-8 text file; pass the markdown report`);
  }
  if (text.trim() === '') throw new InputError(`${path}: the report is empty; nothing to post`);
  return text;
}
