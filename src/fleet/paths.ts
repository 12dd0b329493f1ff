import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * `file` relative to the repository root, with `/` separators, as code scanning and the report
 * show it. A relative `file` is relative to `cwd` (where `check` ran). A file outside the root
 * stays absolute, and a pseudo-file (`<stdin>`, `<change>`) stays as it is.
 */
export function repoRelative(file: string, root: string, cwd: string = root): string {
  if (file.startsWith('<')) return file;
  const absolute = resolve(cwd, file);
  const path = relative(resolve(root), absolute);
  if (path === '' || path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path))
    return absolute.split(sep).join('/');
  return path.split(sep).join('/');
}
