/**
 * One huge MCP message must not silence the server: it is refused with a JSON-RPC error that
 * carries the request's id, and the next request is answered as usual.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

it('a message over the limit is answered with an error, and the server keeps serving', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'mcp'], {
    cwd: root,
    env: { ...process.env, SCHEMAPILOT_MCP_MAX_MESSAGE_MB: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const answers = new Map<number, Record<string, unknown>>();
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
      const message = JSON.parse(buffer.slice(0, nl)) as { id?: number } & Record<string, unknown>;
      if (typeof message.id === 'number') answers.set(message.id, message);
      buffer = buffer.slice(nl + 1);
    }
  });
  const send = (message: unknown) => child.stdin.write(`${JSON.stringify(message)}\n`);
  const answer = async (id: number) => {
    for (let i = 0; i < 600 && !answers.has(id); i++) await new Promise((r) => setTimeout(r, 50));
    return answers.get(id);
  };
  try {
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } },
    });
    expect(await answer(1)).toHaveProperty('result');
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    // 3 MiB of SQL, written in pieces as a client would stream it.
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'analyze', arguments: { sql: 'SELECT 1;'.repeat(350_000) } },
    });
    for (let i = 0; i < big.length; i += 65_536) child.stdin.write(big.slice(i, i + 65_536));
    child.stdin.write('\n');
    const refused = (await answer(2)) as { error?: { code: number; message: string } };
    expect(refused.error?.code).toBe(-32600);
    expect(refused.error?.message).toMatch(/larger than the 1 MiB limit/);
    send({ jsonrpc: '2.0', id: 3, method: 'tools/list' });
    const listed = (await answer(3)) as { result?: { tools: unknown[] } };
    expect(listed.result?.tools.length).toBe(5);
  } finally {
    child.kill();
  }
}, 60_000);
