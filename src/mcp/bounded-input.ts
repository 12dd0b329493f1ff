/**
 * MCP over stdio is one JSON-RPC message per line. A client that sends a huge one (10 MiB of
 * SQL) would have the server parse and then analyse it for minutes without a word, while every
 * later request waits. Lines over the limit are dropped here, before the SDK sees them, and
 * answered with a JSON-RPC error carrying the request's id, so the client is not left waiting.
 */
import { PassThrough, type Readable } from 'node:stream';

const DEFAULT_MAX_MESSAGE_MB = 4;

/** SCHEMAPILOT_MCP_MAX_MESSAGE_MB, default 4. */
export function maxMessageBytes(): number {
  const set = Number(process.env['SCHEMAPILOT_MCP_MAX_MESSAGE_MB']);
  return (Number.isFinite(set) && set > 0 ? set : DEFAULT_MAX_MESSAGE_MB) * 1024 * 1024;
}

/**
 * The input with lines longer than `limit` bytes removed; `refuse(head, bytes)` is called for
 * each, with the line's first bytes (enough to find its id).
 */
export function boundedLines(
  input: Readable,
  limit: number,
  refuse: (head: string, bytes: number) => void,
): PassThrough {
  const out = new PassThrough();
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let dropping = false;
  let dropped = 0;
  let head = '';
  const flushLine = (piece: Buffer) => {
    if (dropping) {
      dropped += piece.length;
      refuse(head, dropped);
      dropping = false;
      dropped = 0;
      head = '';
    } else {
      pending.push(piece);
      out.write(Buffer.concat(pending));
    }
    pending = [];
    pendingBytes = 0;
  };
  input.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      flushLine(chunk.subarray(start, nl + 1));
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length === 0) return;
    if (dropping) {
      dropped += rest.length;
      return;
    }
    pending.push(rest);
    pendingBytes += rest.length;
    if (pendingBytes > limit) {
      head = Buffer.concat(pending).subarray(0, 256).toString('utf8');
      dropping = true;
      dropped = pendingBytes;
      pending = [];
      pendingBytes = 0;
    }
  });
  input.on('end', () => {
    if (!dropping && pending.length > 0) out.write(Buffer.concat(pending));
    out.end();
  });
  input.on('error', (error) => out.destroy(error));
  return out;
}

/** The JSON-RPC error answering a message that was too large, with its id when the head shows it. */
export function tooLargeResponse(head: string, bytes: number, limit: number): string {
  const id = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")/.exec(head)?.[1];
  return JSON.stringify({
    jsonrpc: '2.0',
    id: id === undefined ? null : (JSON.parse(id) as number | string),
    error: {
      code: -32600,
      message: `message of ${bytes} bytes refused: larger than the ${limit / 1024 / 1024} MiB limit (SCHEMAPILOT_MCP_MAX_MESSAGE_MB)`,
    },
  });
}
