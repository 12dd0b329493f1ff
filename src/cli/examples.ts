import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The `examples/` folder shipped with the package. Found relative to this file, which lives
 * in `src/cli/` when run with tsx and in `dist/cli/` when built: both are two levels down.
 */
export function examplesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = join(here, '..', '..', 'examples');
  if (!existsSync(dir)) throw new Error(`examples folder not found at ${dir}`);
  return dir;
}

export function readExample(relativePath: string): string {
  return readFileSync(join(examplesDir(), relativePath), 'utf8');
}
