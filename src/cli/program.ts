import { Command, CommanderError } from 'commander';
import { ExitCode, SchemapilotError, SourceError, redactUrl } from '../core/errors.js';
import { applyNetworkOptions, type NetworkFlags } from './network.js';
import { version } from '../core/version.js';

type Register = (program: Command) => void;

/**
 * Each command's module, loaded only when needed: `analyze` then never loads the PostgreSQL
 * driver or the embedded server that `inspect` and `demo` use (about 100 ms of a 10k-statement
 * run's startup; bench/RESULTS.md, "analyze"). In listing order.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  inspect: async () => (await import('./commands/inspect.js')).registerInspect,
  analyze: async () => (await import('./commands/analyze.js')).registerAnalyze,
  plan: async () => (await import('./commands/plan.js')).registerPlan,
  validate: async () => (await import('./commands/validate.js')).registerValidate,
  impact: async () => (await import('./commands/impact.js')).registerImpact,
  fleet: async () => (await import('./commands/fleet.js')).registerFleet,
  check: async () => (await import('./commands/validate.js')).registerCheck,
  ask: async () => (await import('./commands/ask.js')).registerAsk,
  deploy: async () => (await import('./commands/deploy.js')).registerDeploy,
  status: async () => (await import('./commands/journal.js')).registerStatus,
  rollback: async () => (await import('./commands/journal.js')).registerRollback,
  demo: async () => (await import('./commands/demo.js')).registerDemo,
  mcp: async () => (await import('./commands/mcp.js')).registerMcp,
  comment: async () => (await import('./commands/comment.js')).registerComment,
};

/**
 * The program with the command `argv` names, or with every command when it names none of them
 * (help, --version, a typo that Commander should answer with a suggestion).
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('schemapilot')
    .description(
      'Make schema migrations safe: inspect the live schema, analyze a change for locks and breaking ' +
        'changes, plan a safe multi-step migration with rollback, validate it on a scratch database, deploy it.',
    )
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const named = argv.find((arg) => !arg.startsWith('-'));
  const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  for (const name of wanted) (await (COMMANDS[name] as () => Promise<Register>)())(program);
  for (const command of program.commands) command.exitOverride();
  // Timeouts apply to every connection of the run, whichever module opens it.
  program.hook('preAction', (_program, action) => applyNetworkOptions(action.opts<NetworkFlags>()));
  return program;
}

/** Run the CLI; resolves to the exit code (so tests can call it in-process). */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    await (await buildProgram(argv)).parseAsync([...argv], { from: 'user' });
    return process.exitCode === undefined ? ExitCode.ok : Number(process.exitCode);
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has printed its own message; help and --version end with code 0.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof SourceError) {
    // `file:line:column: message` with nothing before it, as compilers print it, so editors
    // and CI problem matchers can jump to the place.
    process.stderr.write(`${redactUrl(error.message)}\n`);
    return error.exitCode;
  }
  if (error instanceof SchemapilotError) {
    process.stderr.write(`schemapilot: ${redactUrl(error.message)}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  const sqlstate = (error as { code?: unknown } | null)?.code;
  if (typeof sqlstate === 'string' && /^[0-9A-Z]{5}$/.test(sqlstate)) {
    // The server refused something we sent: its message, not an "internal error" of ours.
    process.stderr.write(
      `schemapilot: database error (SQLSTATE ${sqlstate}): ${redactUrl(message).replace(/\s*\n\s*/g, ' ')}\n`,
    );
    return ExitCode.usage;
  }
  process.stderr.write(`schemapilot: internal error: ${redactUrl(message)}\n`);
  if (process.env['SCHEMAPILOT_DEBUG'] && error instanceof Error && error.stack) {
    process.stderr.write(redactUrl(error.stack) + '\n');
  }
  return ExitCode.usage;
}
