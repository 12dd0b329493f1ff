import { SchemapilotError } from '../../core/errors.js';

/** Every stub of the sqlite dialect throws this until its part is written. */
export function notImplemented(what: string, file: string): never {
  throw new SchemapilotError(
    `the sqlite dialect does not implement ${what} yet (src/dialects/sqlite/${file})`,
  );
}
