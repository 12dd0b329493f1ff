import { createRequire } from 'node:module';

/**
 * The package's version, read from package.json two levels up: true of this file in src/core/
 * (tsx), in dist/core/ (tsc) and of the CLI bundle in dist/cli/ (esbuild inlines this module
 * there), so every command reads it from here rather than from its own depth.
 */
export const version = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
