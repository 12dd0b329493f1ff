/**
 * The tree-sitter runtime and grammars: `web-tree-sitter` (WASM, no native build) and the
 * grammar `.wasm` files of `tree-sitter-wasms`, both from npm, so nothing is downloaded at run
 * time. The runtime starts once per process and each grammar loads the first time a file of its
 * language is read (a service of Go files loads only Go). Decision 0017.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

export type Grammar = 'typescript' | 'tsx' | 'javascript' | 'python' | 'go' | 'java' | 'kotlin' | 'ruby';

let runtime: Promise<void> | null = null;
const grammars = new Map<Grammar, Promise<Language>>();
/**
 * Grammars load one after another: web-tree-sitter links each grammar's module into one shared
 * table of symbols, and two loads interleaved under V8's --liftoff-only (which the CLI sets for
 * libpg-query, src/cli/main.ts) fail with "bad export type for 'tree_sitter_python_external_
 * scanner_create'". Measured with ten services of five languages extracted at once.
 */
let lastLoad: Promise<unknown> = Promise.resolve();

function grammarsDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('tree-sitter-wasms/package.json')), 'out');
}

/** A parser for a grammar, loading the runtime and the grammar on first use. */
export async function parserFor(grammar: Grammar): Promise<Parser> {
  runtime ??= Parser.init();
  await runtime;
  let language = grammars.get(grammar);
  if (language === undefined) {
    const path = join(grammarsDir(), `tree-sitter-${grammar}.wasm`);
    language = lastLoad.then(() => Language.load(path));
    lastLoad = language.catch(() => undefined);
    grammars.set(grammar, language);
  }
  const parser = new Parser();
  parser.setLanguage(await language);
  return parser;
}

/** Grammars loaded so far (tests check that a Go-only service loads only Go). */
export function loadedGrammars(): Grammar[] {
  return [...grammars.keys()].sort();
}
