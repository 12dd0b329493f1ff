/**
 * No secret in any file a command wrote: every file under the given directories (recursively),
 * read as bytes, must hold none of the secrets, nor their percent-encoded or JSON-escaped forms.
 * Returns the files it read, so a test can also check that there was something to read.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

export function expectNoSecretInFiles(paths: readonly string[], secrets: readonly string[]): string[] {
  const files = paths.flatMap(filesUnder);
  const forms = secrets
    .filter((s) => s.length > 0)
    .flatMap((s) => [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)]);
  for (const file of files) {
    const bytes = readFileSync(file);
    for (const form of new Set(forms))
      expect(bytes.includes(form), `${file} holds the secret "${form}"`).toBe(false);
  }
  return files;
}

function filesUnder(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return [];
  }
  if (!stat.isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => filesUnder(join(path, name)));
}
