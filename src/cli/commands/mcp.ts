import type { Command } from 'commander';

export function registerMcp(program: Command): void {
  program
    .command('mcp')
    .description(
      'Serve the engine to AI assistants over MCP (stdio): tools inspect, analyze, plan and validate',
    )
    .addHelpText(
      'after',
      `
Speaks the Model Context Protocol on stdin/stdout, for Claude Desktop, Claude Code and other
MCP clients. Tools:
  inspect   {db?, table?}        the live schema as JSON (one table with table)
  analyze   {sql, db?}           locks, rewrites, breaking changes, safe_to_deploy
  plan      {sql, db?}           the safe multi-step plan with rollback
  validate  {sql, db?, devUrl?}  run the plan on a scratch database and report
db defaults to $DATABASE_URL. The target database is only read (read-only transactions);
validate writes only to throwaway scratch databases. Progress goes to stderr.

Claude Desktop (claude_desktop_config.json) or Claude Code (.mcp.json in the project):
  {"mcpServers":{"schemapilot":{"command":"npx","args":["schemapilot","mcp"],
    "env":{"DATABASE_URL":"postgres://user@localhost:5432/app"}}}}

Claude Code from the command line:
  claude mcp add schemapilot --env DATABASE_URL=postgres://user@localhost:5432/app -- npx schemapilot mcp`,
    )
    .action(async () => {
      const { runMcpStdio } = await import('../../mcp/server.js');
      await runMcpStdio();
    });
}
