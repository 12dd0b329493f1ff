/**
 * The hostile inputs and network faults the fault suites try, as data: the suites iterate over
 * these lists, and the README's "Reliability" section is rendered from them
 * (`reliabilitySection`, checked by readme.test.ts), so its numbers are the suites' own.
 */

export interface BadConnectionString {
  input: string;
  /** Text the error must contain (what is wrong). */
  reason: RegExp;
  /** Secrets (and pieces of them) that must not appear anywhere in the output. */
  secrets: string[];
  /**
   * Who refuses it: PostgreSQL's libpq-style parser (absent), MySQL's URL parser, or the CLI
   * before any driver (a scheme no dialect claims).
   */
  refusedBy?: 'mysql' | 'cli';
}

/** Strings no connection may be made with: one-line error, exit 2, no password. */
export const BAD_CONNECTION_STRINGS: BadConnectionString[] = [
  {
    input: 'postgres://postgres:Sup3r S3cret!@127.0.0.1:99999/x',
    reason: /port 99999 must be a number from 1 to 65535/,
    secrets: ['Sup3r S3cret!', 'Sup3r', 'S3cret!'],
  },
  {
    input: 'postgres://bob:hunter2-pw@db.example:port/app',
    reason: /port must be a number/,
    secrets: ['hunter2-pw'],
  },
  {
    input: 'sqlserver://carol:pa55word-x@127.0.0.1/app',
    refusedBy: 'cli',
    reason:
      /connects to postgres:\/\/, postgresql:\/\/, mysql:\/\/, mariadb:\/\/, sqlite:\/\/, sqlite3:\/\/, file:\/\/ URLs and \.db\/\.sqlite\/\.sqlite3\/\.db3 files, not sqlserver:\/\//,
    secrets: ['pa55word-x'],
  },
  {
    input: 'mysql://erin:pa55-W0rd@127.0.0.1:99999/app',
    refusedBy: 'mysql',
    reason: /expected mysql:\/\/user@host:port\/database .*port 1-65535/,
    secrets: ['pa55-W0rd'],
  },
  {
    // A raw slash moves libpq's boundaries: "dave:pa" reads as host and port.
    input: 'postgres://dave:pa/ss-W0rd@db.example/app',
    reason: /port must be a number/,
    secrets: ['pa/ss-W0rd', 'ss-W0rd'],
  },
  {
    input: 'host=127.0.0.1 port=5432 user=postgres password=my secret-Pw dbname=x',
    reason: /password with spaces must be quoted/,
    secrets: ['secret-Pw'],
  },
  {
    input: "host=127.0.0.1 user=postgres password='unterminated Secret-Q dbname=x",
    reason: /unterminated quoted string/,
    secrets: ['unterminated Secret-Q', 'Secret-Q'],
  },
  {
    input: 'host=127.0.0.1 password=Tr0ub4dor&3 sslmode=sometimes',
    reason: /sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full/,
    secrets: ['Tr0ub4dor&3'],
  },
  {
    input: 'postgres://u:Secr3t-pw@127.0.0.1/db?password=Also-s3cret&bogus=1',
    reason: /must be percent-encoded/,
    secrets: ['Secr3t-pw', 'Also-s3cret'],
  },
  {
    input: 'postgres://u:pw-Secret9@h1:5432,h2:5432/db',
    reason: /several hosts are not supported/,
    secrets: ['pw-Secret9'],
  },
  {
    input: 'postgres://u:%zz-Secret@127.0.0.1/db',
    reason: /invalid percent-encoding/,
    secrets: ['%zz-Secret', 'zz-Secret'],
  },
  {
    input: 'postgresql://u:Secret-Port0@127.0.0.1:0/db',
    reason: /port 0 must be a number from 1 to 65535/,
    secrets: ['Secret-Port0'],
  },
  {
    input: 'host=127.0.0.1 password=Secret-Svc1 service=prod',
    reason: /connection option "service" is not supported/,
    secrets: ['Secret-Svc1'],
  },
  {
    input: 'postgres://u:Secret Space 2@127.0.0.1/db?connect_timeout=soon',
    reason: /connect_timeout must be a whole number of seconds/,
    secrets: ['Secret Space 2', 'Space 2'],
  },
  { input: 'not a url', reason: /expected postgres:\/\/user@host:port\/database/, secrets: [] },
];

/** Strings libpq accepts that the pg driver alone would refuse or misread. */
export const GOOD_CONNECTION_STRINGS: { input: string; expect: Record<string, unknown> }[] = [
  {
    input: 'postgres://postgres:Sup3r S3cret!@127.0.0.1:5432/app',
    expect: { user: 'postgres', password: 'Sup3r S3cret!', host: '127.0.0.1', port: 5432, database: 'app' },
  },
  {
    input: 'postgresql://u:p%40ss@[::1]:6543/db?sslmode=require&application_name=a%20b',
    expect: { password: 'p@ss', host: '::1', port: 6543, sslmode: 'require', applicationName: 'a b' },
  },
  {
    input:
      "host=db.internal port=6432 dbname='my app' user=me password='it\\'s a secret' sslmode=verify-full",
    expect: {
      host: 'db.internal',
      port: 6432,
      database: 'my app',
      password: "it's a secret",
      sslmode: 'verify-full',
    },
  },
  {
    input: 'postgres:///app?host=/var/run/postgresql&ssl=true&connect_timeout=3',
    expect: { host: '/var/run/postgresql', database: 'app', sslmode: 'require', connectTimeoutSeconds: 3 },
  },
];

/** Where a connection string can come from on the command line, and a command that reads it. */
export const URL_SOURCES = [
  '--db',
  'DATABASE_URL',
  '--dev-url',
  'status',
  'rollback',
  'ask',
  'deploy',
] as const;

/** Servers that are not what they claim, and the command each is tried with. */
export const FAKE_SERVERS = ['accepts and never answers', 'greets like MySQL'] as const;
export const FAKE_SERVER_COMMANDS = ['inspect', 'analyze --db', 'status', 'check --dev-url'] as const;

/** Faults the proxy injects in front of the real server, per command (CLI) or call (in-process). */
export const PROXY_FAULTS = {
  /** inspect in-process: cut, freeze or garble at each of these fractions of a whole session's bytes. */
  inProcessFractions: [0, 0.05, 0.15, 0.3, 0.5, 0.7, 0.9, 0.99],
  inProcessKinds: ['cut', 'garble'] as const,
  /** The CLI through a proxy that cuts or freezes part way. */
  cli: [
    { command: 'inspect', kind: 'cut' },
    { command: 'inspect', kind: 'freeze' },
    { command: 'analyze --db', kind: 'cut' },
    { command: 'analyze --db', kind: 'freeze' },
    { command: 'status', kind: 'cut' },
    { command: 'status', kind: 'freeze' },
    { command: 'check --db', kind: 'cut' },
    { command: 'check --db', kind: 'freeze' },
  ] as const,
  /** deploy with the connection cut or frozen when a step's statement is sent. */
  deploy: ['cut', 'freeze'] as const,
};

/** The sslmode cases tls.test.ts tries, one `it` each. */
export const SSL_CASES = [
  'require: encrypted, not verified; refused by a server without TLS',
  'verify-ca: the chain against sslrootcert',
  'verify-full: the chain and the host name',
  'prefer: TLS when offered, plain when not; disable: never asks',
  'no warning, in-process and on the CLI',
] as const;

/** The README section, from the lists above. */
export function reliabilitySection(): string {
  const inProcess = PROXY_FAULTS.inProcessFractions.length * PROXY_FAULTS.inProcessKinds.length;
  const rows = [
    [
      `${BAD_CONNECTION_STRINGS.length} malformed connection strings (a raw space, \`!\`, \`/\` or \`&\` in the password, a port out of range, bad keyword strings), each parsed, connected with, and given to the CLI, from ${URL_SOURCES.length} places in turn (${URL_SOURCES.map((s) => `\`${s}\``).join(', ')})`,
      'exit 2; one line naming the flag or variable and what is wrong; no password, nor a piece of one',
    ],
    [
      `${GOOD_CONNECTION_STRINGS.length} strings libpq accepts and the driver alone does not (a raw space in the password, IPv6, a socket directory, \`key=value\` pairs)`,
      'read as libpq reads them',
    ],
    [
      `${FAKE_SERVERS.length} fake servers (${FAKE_SERVERS.join('; ')}) × ${FAKE_SERVER_COMMANDS.length} commands (${FAKE_SERVER_COMMANDS.map((c) => `\`${c}\``).join(', ')})`,
      'exit 2 within the connect timeout; one line naming the host and what it waited for',
    ],
    [
      `${inProcess} cuts and garbles of a whole \`inspect\` session, at ${PROXY_FAULTS.inProcessFractions.length} points from its first to its last byte`,
      'the same snapshot as without the fault, or a one-line error: never a partial snapshot, never a hang',
    ],
    [
      `${PROXY_FAULTS.cli.length} cuts and freezes in the middle of ${[...new Set(PROXY_FAULTS.cli.map((c) => `\`${c.command}\``))].join(', ')}`,
      'exit 2 (never 0: `check` never passes on a partial read); one line naming the host; a freeze ends at the query timeout',
    ],
    [
      `${PROXY_FAULTS.deploy.length * 2} deploys (in-process and on the CLI) whose connection is ${PROXY_FAULTS.deploy.map((k) => (k === 'cut' ? 'cut' : 'frozen')).join(' or ')} as a step's statement is sent`,
      'exit 1; an incident report; the journal says which step was running; `status` exits 1 and `rollback` restores the schema',
    ],
    [
      `${SSL_CASES.length} sslmode cases against a TLS front with a self-signed certificate and against a server without TLS (${SSL_CASES.join('; ')})`,
      'what libpq does with the same string; never the driver\'s "SECURITY WARNING"',
    ],
    [
      '`--clone pg-dump` with a password in the URL',
      'the password reaches pg_dump through PGPASSWORD, never its command line',
    ],
    [
      'every file written (reports, plan JSON, tool files, incident reports, the journal, the AI cache) after runs with a password and an API key',
      'neither appears in any of them',
    ],
  ];
  return [
    '| input or fault | must produce |',
    '| --- | --- |',
    ...rows.map(([what, result]) => `| ${what} | ${result} |`),
  ].join('\n');
}
