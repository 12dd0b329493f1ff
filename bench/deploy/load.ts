/**
 * The application for bench/deploy, in a process of its own (forked by bench/deploy/index.ts):
 * N connections (application_name 'bench-load') in a closed loop of short OLTP queries on
 * `big` and `parent`, each timed on the client. No statement_timeout of the kind that would
 * hide a delay: only a 30 s cap, so a lock queue cannot hang the bench (a capped query counts
 * as an error, SQLSTATE 57014).
 *
 * Protocol (IPC): the parent forks with LoadConfig as JSON in argv[2]; we send {type:'ready'}
 * once every connection is open, run until {type:'stop', window}, then send {type:'result'}
 * with the statistics of the queries that overlapped the window and of the whole run.
 */
import pg from 'pg';

export interface LoadConfig {
  url: string;
  connections: number;
  /** ids 1..rows exist in big; 1..parents in parent. */
  rows: number;
  parents: number;
  /** Pause after each query, per connection (ms); 0 is a pure closed loop. */
  thinkMs: number;
  capMs: number;
}

export const OPS = ['select big', 'update big', 'insert big', 'select parent', 'update parent'] as const;
export type Op = (typeof OPS)[number];
/** Cumulative weights of OPS (out of 100). */
const WEIGHTS = [40, 65, 80, 90, 100];

export interface SlowQuery {
  /** Epoch ms when the query was sent. */
  at: number;
  ms: number;
  op: Op;
  error: string | null;
}

export interface WindowStats {
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  sqlstates: Record<string, number>;
  maxByOp: Partial<Record<Op, number>>;
  /** Queries over 100 ms. */
  over100: number;
  worst: SlowQuery[];
}

export type ParentMessage = { type: 'stop'; window: [number, number] };
export type ChildMessage =
  | { type: 'ready' }
  | { type: 'result'; window: WindowStats; whole: WindowStats }
  | { type: 'failed'; message: string };

const now = () => performance.timeOrigin + performance.now();

/** One record per query: start (epoch ms), duration, op index, error code or ''. */
const starts: number[] = [];
const durations: number[] = [];
const ops: number[] = [];
const errors: string[] = [];

let running = true;

async function connect(config: LoadConfig): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: config.url, application_name: 'bench-load' });
  client.on('error', () => undefined);
  await client.connect();
  await client.query(`SET statement_timeout = ${config.capMs}`);
  return client;
}

async function worker(config: LoadConfig, first: pg.Client, seed: number): Promise<void> {
  let client: pg.Client | null = first;
  let state = seed;
  const random = () => {
    // xorshift32: cheap, and each worker has its own sequence
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  while (running) {
    const r = random() * 100;
    const op = WEIGHTS.findIndex((w) => r < w);
    const id = 1 + Math.floor(random() * config.rows);
    const parent = 1 + Math.floor(random() * config.parents);
    const started = now();
    let code = '';
    try {
      client ??= await connect(config);
      switch (op) {
        case 0:
          await client.query('SELECT id, parent_id, amount, payload, note FROM big WHERE id = $1', [id]);
          break;
        case 1:
          await client.query('UPDATE big SET note = $2 WHERE id = $1', [id, `u${seed}-${started}`]);
          break;
        case 2:
          await client.query(
            'INSERT INTO big (parent_id, amount, payload, note) VALUES ($1, $2, md5(random()::text), $3)',
            [parent, id % 1_000_000, `i${seed}`],
          );
          break;
        case 3:
          await client.query('SELECT id, name FROM parent WHERE id = $1', [parent]);
          break;
        default:
          await client.query('UPDATE parent SET name = $2 WHERE id = $1', [parent, `p${seed}-${started}`]);
      }
    } catch (error) {
      const e = error as { code?: string };
      code = typeof e.code === 'string' ? e.code : 'client';
      if (code === 'client' || /^(08|57P)/.test(code)) {
        await client?.end().catch(() => undefined);
        client = null;
      }
    }
    starts.push(started);
    durations.push(now() - started);
    ops.push(op);
    errors.push(code);
    if (config.thinkMs > 0) await new Promise((r) => setTimeout(r, config.thinkMs));
  }
  await client?.end().catch(() => undefined);
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Statistics of the queries that overlapped [from, to] (epoch ms). */
export function stats(from: number, to: number): WindowStats {
  const lat: number[] = [];
  const sqlstates: Record<string, number> = {};
  const maxByOp: Partial<Record<Op, number>> = {};
  const picked: number[] = [];
  let errorCount = 0;
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i] as number;
    const d = durations[i] as number;
    if (s > to || s + d < from) continue;
    picked.push(i);
    lat.push(d);
    const op = OPS[ops[i] as number] as Op;
    maxByOp[op] = Math.max(maxByOp[op] ?? 0, d);
    const code = errors[i] as string;
    if (code) {
      errorCount++;
      sqlstates[code] = (sqlstates[code] ?? 0) + 1;
    }
  }
  const sorted = [...lat].sort((a, b) => a - b);
  const worst = picked
    .sort((a, b) => (durations[b] as number) - (durations[a] as number))
    .slice(0, 10)
    .map((i) => ({
      at: starts[i] as number,
      ms: durations[i] as number,
      op: OPS[ops[i] as number] as Op,
      error: errors[i] || null,
    }));
  const seconds = Math.max(0.001, (to - from) / 1000);
  return {
    count: lat.length,
    perSecond: lat.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? 0,
    errors: errorCount,
    sqlstates,
    maxByOp,
    over100: lat.filter((d) => d > 100).length,
    worst,
  };
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as LoadConfig;
  const send = (m: ChildMessage) => process.send?.(m);
  const clients: pg.Client[] = [];
  try {
    for (let i = 0; i < config.connections; i++) clients.push(await connect(config));
  } catch (error) {
    send({ type: 'failed', message: (error as Error).message });
    process.exit(1);
  }
  const began = now();
  const workers = clients.map((c, i) => worker(config, c, 0x9e3779b9 ^ ((i + 1) * 2654435761)));
  process.on('message', (m: ParentMessage) => {
    if (m.type !== 'stop') return;
    running = false;
    void Promise.all(workers).then(() => {
      const window = stats(m.window[0], m.window[1]);
      const whole = stats(began, now());
      process.send?.({ type: 'result', window, whole } satisfies ChildMessage, () => process.exit(0));
    });
  });
  send({ type: 'ready' });
}

if (process.send) await main();
