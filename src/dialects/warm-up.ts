/**
 * Part of the registry that loads nothing at import: the CLI calls it first thing, before the
 * command's modules (and with them every dialect) load, so that the default dialect's parser,
 * WebAssembly compiled on V8's background threads, is ready when the command parses. Failures
 * are left to the command's own load of the parser, which reports them.
 */
export function warmUpDefaultParser(): void {
  void import('./postgres/parser.js').then((m) => m.loadPostgresParser()).catch(() => undefined);
}
