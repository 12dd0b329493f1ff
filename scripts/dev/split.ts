/**
 * Split a module's top-level declarations into sibling files (a maintenance tool, not run in
 * CI): `tsx scripts/dev/split.ts <file> <plan.json>`, where plan.json maps a new file name to
 * the names of the declarations it takes (with their leading comments). Every new file starts
 * with the original imports plus imports of what it uses from the others; unused imports are
 * then removed with TypeScript's organize-imports, and missing exports are added.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import ts from 'typescript';

const [file, planFile] = process.argv.slice(2);
if (!file || !planFile) throw new Error('usage: tsx scripts/dev/split.ts <file> <plan.json>');
const source = readFileSync(file, 'utf8');
const plan = JSON.parse(readFileSync(planFile, 'utf8')) as Record<string, string[]>;
const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);

const imports: string[] = [];
const decls = new Map<string, { text: string; node: ts.Statement }>();
for (const st of sf.statements) {
  const text = source.slice(st.getFullStart(), st.getEnd());
  if (ts.isImportDeclaration(st)) {
    imports.push(st.getText(sf));
    continue;
  }
  let name: string | undefined;
  if (
    ts.isFunctionDeclaration(st) ||
    ts.isClassDeclaration(st) ||
    ts.isInterfaceDeclaration(st) ||
    ts.isTypeAliasDeclaration(st)
  )
    name = st.name?.text;
  else if (ts.isVariableStatement(st)) {
    const d = st.declarationList.declarations[0];
    if (d && ts.isIdentifier(d.name)) name = d.name.text;
  }
  if (name) decls.set(name, { text, node: st });
}
const owner = new Map<string, string>();
for (const [target, names] of Object.entries(plan)) for (const n of names) owner.set(n, target);
const dir = dirname(file);
const base = basename(file, '.ts');
const outputs = new Map<string, string[]>();
for (const [name, d] of decls) {
  const target = owner.get(name);
  if (!target) continue;
  const list = outputs.get(target) ?? [];
  list.push(d.text.replace(/^\n+/, ''));
  outputs.set(target, list);
}
// What each file defines, for cross imports.
const definedIn = new Map<string, string>();
for (const [name] of decls) definedIn.set(name, owner.get(name) ?? base);
const exportIfNeeded = (text: string) =>
  text.replace(
    /^((?:\/\*\*[\s\S]*?\*\/\s*)?)(?!export )(function|const|interface|type|class) /m,
    '$1export $2 ',
  );
const crossImports = (body: string, self: string): string[] => {
  const byFile = new Map<string, string[]>();
  for (const [name, where] of definedIn) {
    if (where === self) continue;
    if (!new RegExp(`\\b${name}\\b`).test(body)) continue;
    const list = byFile.get(where) ?? [];
    list.push(name);
    byFile.set(where, list);
  }
  return [...byFile].map(
    ([where, names]) => `import { ${names.join(', ')} } from './${where === base ? base : where}.js';`,
  );
};
let rest = source;
for (const [name, d] of decls) if (owner.has(name)) rest = rest.replace(d.text, '');
const written: string[] = [];
for (const [target, texts] of outputs) {
  const body = texts.map(exportIfNeeded).join('\n\n');
  const fixedImports = imports.map((i) => i.replace(/from '\.\//g, "from './"));
  const text = [...fixedImports, ...crossImports(body, target), '', body, ''].join('\n');
  const path = join(dir, `${target}.ts`);
  writeFileSync(path, text);
  written.push(path);
}
const restImports = crossImports(rest, base);
rest = rest.replace(/(\nimport [^;]+;\n)(?![\s\S]*\nimport [^;]+;\n)/, `$1${restImports.join('\n')}\n`);
writeFileSync(file, rest);
written.push(file);
// Organize imports (drops the unused ones) with a language service over the touched files.
const files = new Map(written.map((f) => [resolve(f), readFileSync(f, 'utf8')]));
const host: ts.LanguageServiceHost = {
  getScriptFileNames: () => [...files.keys()],
  getScriptVersion: () => '0',
  getScriptSnapshot: (f) => {
    const t = files.get(f) ?? (ts.sys.fileExists(f) ? ts.sys.readFile(f) : undefined);
    return t === undefined ? undefined : ts.ScriptSnapshot.fromString(t);
  },
  getCurrentDirectory: () => process.cwd(),
  getCompilationSettings: () => ({
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
  }),
  getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
  fileExists: (f) => files.has(f) || ts.sys.fileExists(f),
  readFile: (f) => files.get(f) ?? ts.sys.readFile(f),
};
const service = ts.createLanguageService(host);
for (const f of files.keys()) {
  const edits = service.organizeImports({ type: 'file', fileName: f }, {}, {});
  let text = files.get(f) ?? '';
  for (const e of edits)
    for (const c of [...e.textChanges].sort((a, b) => b.span.start - a.span.start))
      text = text.slice(0, c.span.start) + c.newText + text.slice(c.span.start + c.span.length);
  writeFileSync(f, text);
}
