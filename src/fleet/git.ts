/**
 * What `fleet check --since REF` asks git: the repository's root and the files changed between
 * a ref and HEAD, as `git diff --name-status REF...HEAD` lists them (changes on this branch since
 * it left REF, not changes made on REF since). Arguments go to git as an argv array, never
 * through a shell; a ref that could be read as an option is refused.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { InputError } from '../core/errors.js';

export interface ChangedFiles {
  /** Added, modified, renamed-to or copied files: absolute paths. */
  changed: string[];
  /** Deleted files (absolute): reported, not checked. */
  deleted: string[];
}

function git(cwd: string, args: readonly string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      'git',
      [...args],
      { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT')
          done({ ok: false, stdout: '', stderr: 'git is not installed (not on PATH)' });
        else done({ ok: error === null, stdout, stderr });
      },
    );
  });
}

/** The root of the git work tree `dir` is in. */
export async function repositoryRoot(dir: string, flag: string): Promise<string> {
  const result = await git(dir, ['rev-parse', '--show-toplevel']);
  if (!result.ok)
    throw new InputError(
      `${flag} needs a git repository: ${firstLine(result.stderr) || `${dir} is not in one`}`,
    );
  return result.stdout.trim();
}

/** Files changed on HEAD's branch since it left `ref` (`git diff REF...HEAD`). */
export async function changedSince(root: string, ref: string): Promise<ChangedFiles> {
  if (ref === '' || ref.startsWith('-') || /[\s\0]/.test(ref))
    throw new InputError(`--since must be a git ref (a branch, tag or commit); got "${ref.slice(0, 100)}"`);
  const known = await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  if (!known.ok)
    throw new InputError(
      `--since ${ref}: git knows no such commit here (in CI, check out with full history: fetch-depth: 0)`,
    );
  const diff = await git(root, ['diff', '--name-status', '-z', '--no-renames', `${ref}...HEAD`, '--']);
  if (!diff.ok) throw new InputError(`--since ${ref}: git diff failed: ${firstLine(diff.stderr)}`);
  const fields = diff.stdout.split('\0');
  const out: ChangedFiles = { changed: [], deleted: [] };
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const status = fields[i] ?? '';
    const path = resolve(root, fields[i + 1] ?? '');
    (status.startsWith('D') ? out.deleted : out.changed).push(path);
  }
  return out;
}

const firstLine = (text: string) => text.trim().split('\n')[0] ?? '';
