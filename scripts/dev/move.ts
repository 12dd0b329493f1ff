/**
 * Move source files and fix every relative import that names them, in src/, test/, bench/ and
 * scripts/ (TypeScript's own rename refactoring). Usage: tsx scripts/dev/move.ts from to [from to ...]
 * A maintenance tool for reshaping the tree; it does not run in CI.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2 !== 0) {
  console.error('usage: tsx scripts/dev/move.ts <from> <to> [<from> <to> ...]');
  process.exit(2);
}
const root = process.cwd();
const files = execFileSync('git', ['ls-files', '*.ts'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => /^(src|test|bench|scripts)\//.test(f))
  .map((f) => resolve(root, f));
const contents = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
const versions = new Map<string, number>();
let projectVersion = 0;
const options: ts.CompilerOptions = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  allowJs: false,
  target: ts.ScriptTarget.ES2022,
};
const host: ts.LanguageServiceHost = {
  getScriptFileNames: () => [...contents.keys()],
  getProjectVersion: () => String(projectVersion),
  getScriptVersion: (f) => String(versions.get(f) ?? 0),
  getScriptSnapshot: (f) => {
    const text = contents.get(f) ?? (ts.sys.fileExists(f) ? ts.sys.readFile(f) : undefined);
    return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
  },
  getCurrentDirectory: () => root,
  getCompilationSettings: () => options,
  getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
  fileExists: (f) => contents.has(f) || ts.sys.fileExists(f),
  readFile: (f) => contents.get(f) ?? ts.sys.readFile(f),
  readDirectory: ts.sys.readDirectory,
  directoryExists: ts.sys.directoryExists,
  getDirectories: ts.sys.getDirectories,
};
const service = ts.createLanguageService(host);
const moves: [string, string][] = [];
for (let i = 0; i < args.length; i += 2) moves.push([resolve(root, args[i]!), resolve(root, args[i + 1]!)]);
const moved: [string, string][] = [];
// One move at a time, so each sees the files the earlier ones moved where they now are.
for (const [from, to] of moves) {
  const edits = service.getEditsForFileRename(from, to, {}, {});
  for (const edit of edits) {
    let text = contents.get(edit.fileName);
    if (text === undefined) continue;
    for (const change of [...edit.textChanges].sort((a, b) => b.span.start - a.span.start))
      text =
        text.slice(0, change.span.start) +
        change.newText +
        text.slice(change.span.start + change.span.length);
    contents.set(edit.fileName, text);
    versions.set(edit.fileName, (versions.get(edit.fileName) ?? 0) + 1);
  }
  const text = contents.get(from);
  if (text === undefined) throw new Error(`not a tracked .ts file: ${from}`);
  contents.delete(from);
  contents.set(to, text);
  versions.set(to, (versions.get(from) ?? 0) + 1);
  projectVersion++;
  moved.push([from, to]);
}
for (const [from, to] of moved) {
  mkdirSync(dirname(to), { recursive: true });
  execFileSync('git', ['mv', from, to]);
}
for (const [file, text] of contents) if (readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
