/**
 * mkdir -p that always ends. Node's `mkdirSync(path, { recursive: true })` never returns for a
 * path under /proc (it retries a parent that exists but refuses children), so the directories
 * are made one level at a time and the first refusal is reported.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Makes `path` and its missing parents; throws the first error with the level that failed. */
export function makeDirectory(path: string): void {
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    const state = kindOf(current);
    if (state === 'directory') break;
    if (state === 'other')
      throw Object.assign(new Error(`${current} exists and is not a directory`), { code: 'ENOTDIR' });
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && kindOf(dir) === 'directory') continue;
      throw error;
    }
  }
}

function kindOf(path: string): 'directory' | 'other' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'other';
  } catch {
    return 'missing';
  }
}
