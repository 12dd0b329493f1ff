/**
 * `npm run build`, second half: the CLI as one ESM bundle with lazily loaded chunks, written over
 * tsc's dist/cli/main.js (decision 0038). A CLI run then reads a few large files instead of
 * ~350 small modules; the library (dist/index.js and the rest of dist/) stays tsc's output.
 *
 * Chunks land next to main.js, two levels under the package root like every tsc module in
 * dist/cli/, so paths found from `import.meta.url` (package.json, examples/) hold in both.
 *
 * Packages with native code or WebAssembly beside their JavaScript, and the large clients that
 * few commands load, stay external: they are resolved from node_modules at run time. The small
 * pure-JavaScript ones every command uses are inlined.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const INLINED = new Set(['commander', 'zod', 'pgsql-deparser']);
const root = new URL('../', import.meta.url);

/**
 * Bundle src/cli/main.ts into `outdir` (a folder two levels under the package root, for the
 * reason above; the test of the bundle builds one beside dist/).
 */
export async function bundleCli(outdir: string): Promise<void> {
  const { dependencies } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const external = Object.keys(dependencies).filter((name) => !INLINED.has(name));
  mkdirSync(outdir, { recursive: true });
  // Chunks of an earlier build would otherwise pile up (their names carry content hashes).
  for (const name of readdirSync(outdir)) if (/^chunk-.*\.js$/.test(name)) rmSync(join(outdir, name));
  // tsc's map describes the main.js this build replaces.
  rmSync(join(outdir, 'main.js.map'), { force: true });
  await build({
    entryPoints: [new URL('src/cli/main.ts', root).pathname],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    chunkNames: 'chunk-[hash]',
    entryNames: '[name]',
    // Inlined CommonJS packages (commander) call require() for Node's own modules.
    banner: {
      js: "import { createRequire as __schemapilotRequire } from 'node:module'; const require = __schemapilotRequire(import.meta.url);",
    },
    logLevel: 'warning',
    legalComments: 'none',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await bundleCli(new URL('dist/cli/', root).pathname);
}
