/**
 * A misbehaving network in front of the real server, for the fault suites: a TCP proxy that
 * cuts, freezes or garbles a connection at a given byte (or when the client sends a given
 * statement), a server that accepts and never answers, and one that greets like MySQL. Only
 * the network is fake: the PostgreSQL behind the proxy is the real one.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';

export type FaultKind = 'cut' | 'freeze' | 'garble';

export interface Fault {
  kind: FaultKind;
  /** Bytes from the server to the client that pass before the fault (default 0). */
  atByte?: number;
  /** Or: strike when the client sends a message containing this text (the statement is not forwarded). */
  whenClientSends?: string;
  /** Only the n-th connection (1-based); default every connection. */
  connection?: number;
}

export interface FaultProxy {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  url(url: string): string;
  /** Connections accepted so far. */
  connections: number;
  /** Most bytes the server sent on one connection (the size of a whole session, without fault). */
  maxBytesDown: number;
  /** Bytes the server sent on each connection, in the order they were accepted. */
  bytesDown: number[];
  /** How many connections the fault struck. */
  struck: number;
  /** Strike every open connection now. */
  strikeNow(kind: FaultKind): void;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  server: net.Socket;
  frozen: boolean;
}

/** A TCP proxy to `target` (a postgres:// URL) that applies `fault`, if any. */
export async function startFaultProxy(target: string, fault?: Fault): Promise<FaultProxy> {
  const upstream = new URL(target);
  const pairs = new Set<Pair>();
  const proxy: FaultProxy = {
    port: 0,
    url: (url) => {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(proxy.port);
      return u.toString();
    },
    connections: 0,
    maxBytesDown: 0,
    bytesDown: [],
    struck: 0,
    strikeNow: (kind) => {
      for (const pair of pairs) strike(pair, kind);
    },
    close: async () => {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.server.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const strike = (pair: Pair, kind: FaultKind) => {
    proxy.struck++;
    if (kind === 'cut') {
      pair.client.destroy();
      pair.server.destroy();
    } else if (kind === 'freeze') {
      // A black hole: nothing passes either way and nobody is told. The server's side stays
      // open, as it would behind a dead link, until the proxy closes.
      pair.frozen = true;
    } else garbling.add(pair);
  };
  const garbling = new WeakSet<Pair>();

  const server = net.createServer((client) => {
    const n = ++proxy.connections;
    const applies = fault !== undefined && (fault.connection === undefined || fault.connection === n);
    const serverSide = net.connect(Number(upstream.port || 5432), upstream.hostname);
    const pair: Pair = { client, server: serverSide, frozen: false };
    pairs.add(pair);
    let down = 0;
    let struck = false;
    const at = fault?.atByte ?? 0;
    const hit = (kind: FaultKind) => {
      struck = true;
      strike(pair, kind);
    };
    client.on('error', () => undefined);
    serverSide.on('error', () => undefined);
    client.on('close', () => {
      // A frozen link never tells the server; otherwise the close passes on.
      if (!pair.frozen) serverSide.destroy();
    });
    serverSide.on('close', () => {
      if (!pair.frozen) client.destroy();
      pairs.delete(pair);
    });
    client.on('data', (chunk: Buffer) => {
      if (pair.frozen) return;
      if (
        applies &&
        !struck &&
        fault.whenClientSends !== undefined &&
        chunk.includes(fault.whenClientSends)
      ) {
        hit(fault.kind);
        if (fault.kind !== 'garble') return;
      }
      serverSide.write(chunk);
    });
    serverSide.on('data', (chunk: Buffer) => {
      if (pair.frozen) return;
      let out = chunk;
      if (applies && !struck && fault.whenClientSends === undefined && down + chunk.length > at) {
        const keep = Math.max(0, at - down);
        if (keep > 0) client.write(chunk.subarray(0, keep));
        down += keep;
        hit(fault.kind);
        if (fault.kind !== 'garble') return;
        out = chunk.subarray(keep);
      }
      if (garbling.has(pair)) out = garble(out);
      down += out.length;
      proxy.maxBytesDown = Math.max(proxy.maxBytesDown, down);
      proxy.bytesDown[n - 1] = down;
      client.write(out);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.port = (server.address() as net.AddressInfo).port;
  return proxy;
}

/** Every byte replaced by a fixed pattern: message types and lengths turn to nonsense. */
function garble(chunk: Buffer): Buffer {
  const out = Buffer.alloc(chunk.length);
  for (let i = 0; i < chunk.length; i++) out[i] = 0xa5 ^ (i & 0xff);
  return out;
}

export interface FakeServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Accepts connections and never says a word. */
export function startSilentServer(): Promise<FakeServer> {
  return fakeServer(() => undefined);
}

/** Greets every connection as a MySQL 8 server does (protocol 10), then waits for an answer that never comes from a PostgreSQL client. */
export function startMysqlServer(): Promise<FakeServer> {
  const version = Buffer.from('8.0.36\0', 'latin1');
  const body = Buffer.concat([
    Buffer.from([0x0a]),
    version,
    Buffer.from([8, 0, 0, 0]), // connection id
    Buffer.from('abcdefgh\0', 'latin1'), // auth plugin data, part 1
    Buffer.from([0xff, 0xf7, 0x21, 0x02, 0x00, 0xff, 0xdf, 0x15]),
    Buffer.alloc(10),
    Buffer.from('ijklmnopqrst\0mysql_native_password\0', 'latin1'),
  ]);
  const header = Buffer.from([body.length & 0xff, (body.length >> 8) & 0xff, 0, 0]);
  return fakeServer((socket) => socket.write(Buffer.concat([header, body])));
}

async function fakeServer(onConnection: (socket: net.Socket) => void): Promise<FakeServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `postgres://postgres:fake-server-Secret9@127.0.0.1:${port}/postgres`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface TlsProxy {
  port: number;
  /** PEM of the proxy's self-signed certificate (CN and SAN: localhost only). */
  certFile: string;
  tlsSessions: number;
  plainSessions: number;
  close(): Promise<void>;
}

/**
 * A server that speaks TLS the way PostgreSQL does (an SSLRequest answered with `S`, then the
 * handshake) with a self-signed certificate for `localhost`, and passes the decrypted stream to
 * the real server; a client that starts without SSLRequest is passed through in plain text, as a
 * server with `ssl = on` and a permissive pg_hba.conf would allow. Listens on every address, so
 * that `localhost` works whether it resolves to 127.0.0.1 or ::1.
 */
export async function startTlsProxy(target: string): Promise<TlsProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'sp-tls-'));
  const [certFile, keyFile] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost'].concat([
      '-addext',
      'subjectAltName=DNS:localhost',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ]),
    { stdio: 'ignore' },
  );
  const context = tls.createSecureContext({ cert: readFileSync(certFile), key: readFileSync(keyFile) });
  const upstream = new URL(target);
  const sockets = new Set<net.Socket>();
  const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
  const result: TlsProxy = {
    port: 0,
    certFile,
    tlsSessions: 0,
    plainSessions: 0,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const pipeTo = (client: net.Socket, first?: Buffer) => {
    const serverSide = net.connect(Number(upstream.port || 5432), upstream.hostname);
    sockets.add(serverSide);
    serverSide.on('error', () => client.destroy());
    client.on('error', () => serverSide.destroy());
    if (first) serverSide.write(first);
    client.pipe(serverSide).pipe(client);
  };
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('error', () => undefined);
    client.once('data', (chunk: Buffer) => {
      if (chunk.subarray(0, 8).equals(SSL_REQUEST)) {
        result.tlsSessions++;
        client.write('S');
        const secure = new tls.TLSSocket(client, { isServer: true, secureContext: context });
        secure.on('error', () => client.destroy());
        pipeTo(secure, chunk.length > 8 ? chunk.subarray(8) : undefined);
      } else {
        result.plainSessions++;
        pipeTo(client, chunk);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, resolve));
  result.port = (server.address() as net.AddressInfo).port;
  return result;
}
