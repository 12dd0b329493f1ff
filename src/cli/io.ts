import { writeFileSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { painterFor, plainPainter, type Painter } from '../reporters/ansi.js';

/** `--db`, else DATABASE_URL, else a usage error saying both. */
export function resolveDbUrl(flag: string | undefined, required = true): string | undefined {
  const url = flag ?? process.env['DATABASE_URL'];
  if ((url === undefined || url === '') && required) {
    throw new InputError(
      'no database given: pass --db postgres://user@host:port/database or set DATABASE_URL',
    );
  }
  return url === '' ? undefined : url;
}

/** Print to stdout, or write to `--output FILE` (then say where, on stderr). */
export function emit(text: string, outputPath: string | undefined): void {
  if (outputPath === undefined) {
    process.stdout.write(text.endsWith('\n') ? text : text + '\n');
    return;
  }
  try {
    writeFileSync(outputPath, text.endsWith('\n') ? text : text + '\n');
  } catch (error) {
    throw new InputError(
      `--output ${outputPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** Validate a choice flag with the flag named in the error. */
export function oneOf<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new InputError(`${flag} must be one of ${choices.join(', ')}; got "${value}"`);
}

/** Colour only when the text goes to a terminal. */
export function painterForOutput(outputPath: string | undefined): Painter {
  return outputPath === undefined ? painterFor(process.stdout) : plainPainter;
}
