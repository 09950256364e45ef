// The product configuration, parsed once from the environment at start-up and passed down from
// there; nothing else reads process.env for product settings. Every bad variable is reported at
// once, by name, so a misconfigured deployment fails in one round trip instead of one per variable.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { LOG_LEVELS } from './observability/logger.ts';
import type { LogFormat, LogLevel } from './observability/logger.ts';

export interface TemporalConfig {
  /** host:port of a real Temporal server; undefined starts the embedded dev server. */
  readonly address?: string;
  readonly namespace: string;
  readonly taskQueue: string;
  /** TLS to the real server (implied by a client certificate or an API key unless TEMPORAL_TLS says otherwise). */
  readonly tls: boolean;
  /** mTLS client certificate and key (absolute paths), e.g. for Temporal Cloud. */
  readonly clientCert?: { readonly certPath: string; readonly keyPath: string };
  readonly apiKey?: string;
  /** Port of the embedded dev server; 0 picks a free one. */
  readonly devPort: number;
  /**
   * Cohort workflows per triggered journey and routing second (cohort-deliveries.ts). One by
   * default: on 2 cores every lane adds a signal, an admission and a send to each routing pass,
   * and one lane kept up where four did not (docs/benchmarks.md); more spread a burst over more
   * workflows where workers have the cores.
   */
  readonly cohortLanes: number;
}

/** Where the worker's SMS go (activities/src/side-effects/sms/). */
export type SmsProviderConfig =
  /** Records what would be sent in `sms_sink` (dev, demos, tests). */
  | { readonly kind: 'local' }
  /** The generic JSON gateway; `idempotent` when it deduplicates by message key. */
  | {
      readonly kind: 'http';
      readonly url: string;
      readonly idempotent: boolean;
      readonly timeoutMs: number;
      readonly token?: string;
    }
  /** Aliyun SendSms: signed here with the AccessKey secret, or through a signing proxy at `url`. */
  | {
      readonly kind: 'aliyun';
      readonly url: string;
      readonly templateCode: string;
      readonly accessKeyId?: string;
      readonly accessKeySecret?: string;
      readonly timeoutMs: number;
    }
  /** Tencent Cloud SMS SendSms, signed with TC3-HMAC-SHA256. */
  | {
      readonly kind: 'tencent';
      readonly url: string;
      readonly templateCode: string;
      readonly appId: string;
      readonly secretId: string;
      readonly secretKey: string;
      readonly region: string;
      readonly timeoutMs: number;
    };

/** Where the worker's e-mails go (activities/src/custom/email/). */
export interface EmailConfig {
  /** smtp:// or smtps:// with credentials; undefined records mails in `email_sink` instead. */
  readonly smtpUrl?: string;
  /** The From header. */
  readonly from: string;
  /** The engine's public address: unsubscribe links in marketing e-mails point here. */
  readonly publicUrl: string;
}

export interface Config {
  readonly temporal: TemporalConfig;
  readonly sms: SmsProviderConfig;
  readonly email: EmailConfig;
  /** Absolute path of the folder for local state (embedded Temporal, PGlite). */
  readonly dataDir: string;
  /** A real Postgres; undefined means the embedded PGlite. */
  readonly databaseUrl?: string;
  /** Port of the HTTP API. */
  readonly port: number;
  /** Customers of the demo shop seeded on first start into an empty database (0 = none). */
  readonly demoCustomers: number;
  /** A CSV upload that sends nothing for this long fails (408), so a stalled client frees its slot. */
  readonly importIdleMs: number;
  /** The largest CSV upload accepted (bytes); larger is 413. */
  readonly importLimitBytes: number;
  /** Logs: the lowest level written, and JSON or readable lines (default: readable on a terminal). */
  readonly log: { readonly level: LogLevel; readonly format?: LogFormat };
  /** When set, GET /metrics wants `Authorization: Bearer <token>`. */
  readonly metricsToken?: string;
  /** host:port where the Temporal SDK serves its own Prometheus metrics (worker side); unset = off. */
  readonly temporalMetricsAddress?: string;
}

export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    const lines = problems.map((p) => `  ${p.variable}: ${p.message}`);
    super(
      `invalid configuration (${problems.length} ${problems.length === 1 ? 'variable' : 'variables'}):\n${lines.join('\n')}`,
    );
    this.name = 'ConfigError';
  }

  get variables(): string[] {
    return this.problems.map((p) => p.variable);
  }
}

// Empty strings count as unset: `FOO=` in a compose file or .env means "not configured".
const blankToUndefined = (value: unknown) => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
};
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
const withDefault = <T extends z.ZodType>(schema: T, fallback: string) =>
  z.preprocess((v) => blankToUndefined(v) ?? fallback, schema);

const port = (min: number) =>
  z
    .string()
    .regex(/^\d+$/, `expected a port number from ${min} to 65535`)
    .transform(Number)
    .refine((n) => n >= min && n <= 65535, `expected a port number from ${min} to 65535`);

/** A whole number in [min, max], e.g. milliseconds: `expected ms`, `expected 100 to 120000 ms`. */
const wholeNumberIn = (unit: { word: string; short: string }, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `expected ${unit.word}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `expected ${min} to ${max} ${unit.short}`);
const MS = { word: 'milliseconds', short: 'ms' };

const bool = z.stringbool({ error: 'expected true or false (also accepted: 1/0, yes/no, on/off)' });

// What gRPC clients take: host:port, no scheme (a pasted https:// URL is the common mistake).
const address = z
  .string()
  .refine((s) => !s.includes('://'), 'expected host:port without a scheme, e.g. my-ns.a1b2c.tmprl.cloud:7233')
  .refine(
    (s) => s.includes('://') || /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(:\d{1,5})?$/.test(s),
    'expected host:port, e.g. temporal:7233',
  );

const name = z.string().regex(/^\S+$/, 'must not contain spaces');

const existingFile = z
  .string()
  .transform((p) => resolve(p))
  .refine((p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  }, 'no file at this path');

const postgresUrl = z.string().refine((s) => {
  try {
    return ['postgres:', 'postgresql:'].includes(new URL(s).protocol);
  } catch {
    return false;
  }
}, 'expected a postgres:// or postgresql:// URL');

const variables = {
  TEMPORAL_ADDRESS: optional(address),
  TEMPORAL_NAMESPACE: withDefault(name, 'default'),
  TEMPORAL_TLS: optional(bool),
  TEMPORAL_TLS_CERT: optional(existingFile),
  TEMPORAL_TLS_KEY: optional(existingFile),
  TEMPORAL_API_KEY: optional(z.string()),
  TEMPORAL_TASK_QUEUE: withDefault(name, 'huitou'),
  TEMPORAL_DEV_PORT: withDefault(port(0), '7233'),
  HUITOU_COHORT_LANES: withDefault(wholeNumberIn({ word: 'a whole number', short: 'lanes' }, 1, 64), '1'),
  HUITOU_DATA_DIR: withDefault(
    z.string().transform((p) => resolve(p)),
    '.data',
  ),
  DATABASE_URL: optional(postgresUrl),
  PORT: withDefault(port(0), '3000'),
  HUITOU_SMS_PROVIDER: withDefault(
    z.enum(['local', 'http', 'aliyun', 'tencent'], { error: 'expected local, http, aliyun or tencent' }),
    'local',
  ),
  HUITOU_SMS_URL: optional(z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })),
  HUITOU_SMS_IDEMPOTENT: optional(bool),
  HUITOU_SMS_TOKEN: optional(z.string()),
  HUITOU_SMS_TEMPLATE_CODE: optional(name),
  HUITOU_SMS_ACCESS_KEY_ID: optional(name),
  HUITOU_SMS_ACCESS_KEY_SECRET: optional(z.string().min(1)),
  HUITOU_SMS_APP_ID: optional(name),
  HUITOU_SMS_REGION: withDefault(name, 'ap-guangzhou'),
  HUITOU_SMS_TIMEOUT_MS: withDefault(wholeNumberIn(MS, 100, 120_000), '10000'),
  HUITOU_SMTP_URL: optional(z.url({ protocol: /^smtps?$/, error: 'expected an smtp:// or smtps:// URL' })),
  HUITOU_EMAIL_FROM: withDefault(
    z
      .string()
      .max(200)
      .regex(
        /^([^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/,
        'expected an address, e.g. 回头小店 <shop@example.com>',
      ),
    'Huitou <noreply@localhost>',
  ),
  HUITOU_PUBLIC_URL: optional(z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })),
  HUITOU_DEMO_CUSTOMERS: withDefault(
    z.string().regex(/^\d+$/, 'expected a whole number (0 = no demo shop)').transform(Number),
    '5000',
  ),
  HUITOU_IMPORT_IDLE_MS: withDefault(wholeNumberIn(MS, 1_000, 600_000), '30000'),
  HUITOU_IMPORT_LIMIT_MB: withDefault(wholeNumberIn({ word: 'megabytes', short: 'MB' }, 1, 10_240), '200'),
  HUITOU_LOG_LEVEL: withDefault(z.enum(LOG_LEVELS, { error: `expected ${LOG_LEVELS.join(', ')}` }), 'info'),
  HUITOU_LOG_FORMAT: optional(z.enum(['json', 'pretty'], { error: 'expected json or pretty' })),
  HUITOU_METRICS_TOKEN: optional(z.string()),
  HUITOU_TEMPORAL_METRICS: optional(
    z
      .string()
      .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):\d{1,5}$/, 'expected host:port to listen on, e.g. 0.0.0.0:9464'),
  ),
};
type Variable = keyof typeof variables;
type Parsed = { [K in Variable]?: z.output<(typeof variables)[K]> };

/** Values never echoed in error messages. */
const secret = new Set<Variable>([
  'TEMPORAL_API_KEY',
  'DATABASE_URL',
  'HUITOU_SMS_TOKEN',
  'HUITOU_SMS_ACCESS_KEY_SECRET',
  'HUITOU_METRICS_TOKEN',
  'HUITOU_SMTP_URL',
]);

/** Every variable the product reads (for --help). */
export const CONFIG_VARIABLES = Object.keys(variables) as readonly Variable[];

/** Parses the configuration from `env`; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: ConfigProblem[] = [];
  const parsed: Parsed = {};
  for (const variable of Object.keys(variables) as Variable[]) {
    const result = variables[variable].safeParse(env[variable]);
    if (result.success) {
      (parsed as Record<Variable, unknown>)[variable] = result.data;
    } else {
      const raw = env[variable];
      const shown = secret.has(variable) || raw === undefined ? '' : ` (got ${JSON.stringify(raw)})`;
      problems.push({ variable, message: `${result.error.issues.map((i) => i.message).join('; ')}${shown}` });
    }
  }
  problems.push(...crossChecks(env, parsed, new Set(problems.map((p) => p.variable))));
  if (problems.length > 0) throw new ConfigError(problems);

  const p = parsed as Required<Parsed>;
  const certPath = p.TEMPORAL_TLS_CERT;
  const keyPath = p.TEMPORAL_TLS_KEY;
  const clientCert = certPath && keyPath ? { certPath, keyPath } : undefined;
  return {
    temporal: {
      address: p.TEMPORAL_ADDRESS,
      namespace: p.TEMPORAL_NAMESPACE,
      taskQueue: p.TEMPORAL_TASK_QUEUE,
      tls: p.TEMPORAL_TLS ?? (clientCert !== undefined || p.TEMPORAL_API_KEY !== undefined),
      clientCert,
      apiKey: p.TEMPORAL_API_KEY,
      devPort: p.TEMPORAL_DEV_PORT,
      cohortLanes: p.HUITOU_COHORT_LANES,
    },
    sms: smsProviderConfig(p),
    email: {
      smtpUrl: p.HUITOU_SMTP_URL,
      from: p.HUITOU_EMAIL_FROM,
      publicUrl: (p.HUITOU_PUBLIC_URL ?? `http://localhost:${p.PORT}`).replace(/\/+$/, ''),
    },
    dataDir: p.HUITOU_DATA_DIR,
    databaseUrl: p.DATABASE_URL,
    port: p.PORT,
    // Fake customers must never get real SMS: with a real provider the demo shop is off (and
    // asking for it is a configuration error, crossChecks).
    demoCustomers: p.HUITOU_SMS_PROVIDER === 'local' && !p.HUITOU_SMTP_URL ? p.HUITOU_DEMO_CUSTOMERS : 0,
    importIdleMs: p.HUITOU_IMPORT_IDLE_MS,
    importLimitBytes: p.HUITOU_IMPORT_LIMIT_MB * 1024 * 1024,
    log: { level: p.HUITOU_LOG_LEVEL, format: p.HUITOU_LOG_FORMAT },
    metricsToken: p.HUITOU_METRICS_TOKEN,
    temporalMetricsAddress: p.HUITOU_TEMPORAL_METRICS,
  };
}

/** The vendors' own API addresses: a signed provider needs no URL unless it goes through a proxy. */
const VENDOR_URLS = {
  aliyun: 'https://dysmsapi.aliyuncs.com/',
  tencent: 'https://sms.tencentcloudapi.com/',
} as const;

function smsProviderConfig(p: Required<Parsed>): SmsProviderConfig {
  const timeoutMs = p.HUITOU_SMS_TIMEOUT_MS;
  // crossChecks made sure what each remote kind needs is there.
  const kind = p.HUITOU_SMS_PROVIDER;
  const url = (p.HUITOU_SMS_URL ?? (kind === 'local' || kind === 'http' ? undefined : VENDOR_URLS[kind])) as string;
  const templateCode = p.HUITOU_SMS_TEMPLATE_CODE as string;
  if (kind === 'http')
    return { kind, url, idempotent: p.HUITOU_SMS_IDEMPOTENT ?? false, timeoutMs, token: p.HUITOU_SMS_TOKEN };
  if (kind === 'aliyun') {
    const { HUITOU_SMS_ACCESS_KEY_ID: accessKeyId, HUITOU_SMS_ACCESS_KEY_SECRET: accessKeySecret } = p;
    return { kind, url, templateCode, accessKeyId, accessKeySecret, timeoutMs };
  }
  if (kind === 'tencent') {
    return {
      kind,
      url,
      templateCode,
      appId: p.HUITOU_SMS_APP_ID as string,
      secretId: p.HUITOU_SMS_ACCESS_KEY_ID as string,
      secretKey: p.HUITOU_SMS_ACCESS_KEY_SECRET as string,
      region: p.HUITOU_SMS_REGION,
      timeoutMs,
    };
  }
  return { kind: 'local' };
}

/** Rules between variables; a variable already reported as malformed is not reported again. */
function crossChecks(env: NodeJS.ProcessEnv, parsed: Parsed, reported: Set<string>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const isSet = (v: Variable) => blankToUndefined(env[v]) !== undefined;
  const add = (variable: Variable, message: string) => {
    if (!reported.has(variable)) problems.push({ variable, message });
  };

  if (isSet('TEMPORAL_TLS_CERT') && !isSet('TEMPORAL_TLS_KEY'))
    add('TEMPORAL_TLS_KEY', 'required when TEMPORAL_TLS_CERT is set (mTLS needs both)');
  if (isSet('TEMPORAL_TLS_KEY') && !isSet('TEMPORAL_TLS_CERT'))
    add('TEMPORAL_TLS_CERT', 'required when TEMPORAL_TLS_KEY is set (mTLS needs both)');
  if (parsed.TEMPORAL_TLS === false && (isSet('TEMPORAL_TLS_CERT') || isSet('TEMPORAL_TLS_KEY'))) {
    add('TEMPORAL_TLS', 'is false, but a client certificate (TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY) only works over TLS');
  }
  const sms = parsed.HUITOU_SMS_PROVIDER;
  const signedHere = (sms === 'aliyun' && isSet('HUITOU_SMS_ACCESS_KEY_SECRET')) || sms === 'tencent';
  if (sms && sms !== 'local' && !signedHere && !isSet('HUITOU_SMS_URL'))
    add(
      'HUITOU_SMS_URL',
      sms === 'aliyun'
        ? 'required when HUITOU_SMS_PROVIDER is aliyun without HUITOU_SMS_ACCESS_KEY_SECRET (a signing proxy)'
        : `required when HUITOU_SMS_PROVIDER is ${sms}`,
    );
  if ((sms === 'aliyun' || sms === 'tencent') && !isSet('HUITOU_SMS_TEMPLATE_CODE'))
    add(
      'HUITOU_SMS_TEMPLATE_CODE',
      `required when HUITOU_SMS_PROVIDER is ${sms} (a template whose only parameter carries the text)`,
    );
  if (sms === 'aliyun' && isSet('HUITOU_SMS_ACCESS_KEY_SECRET') && !isSet('HUITOU_SMS_ACCESS_KEY_ID'))
    add('HUITOU_SMS_ACCESS_KEY_ID', 'required with HUITOU_SMS_ACCESS_KEY_SECRET (the AccessKey pair signs requests)');
  if (sms === 'tencent')
    for (const v of ['HUITOU_SMS_ACCESS_KEY_ID', 'HUITOU_SMS_ACCESS_KEY_SECRET', 'HUITOU_SMS_APP_ID'] as const)
      if (!isSet(v)) add(v, 'required when HUITOU_SMS_PROVIDER is tencent (SecretId, SecretKey, SdkAppId)');
  if (sms && sms !== 'local' && (parsed.HUITOU_DEMO_CUSTOMERS ?? 0) > 0 && isSet('HUITOU_DEMO_CUSTOMERS'))
    add(
      'HUITOU_DEMO_CUSTOMERS',
      `must be 0 when HUITOU_SMS_PROVIDER is ${sms}: demo customers have made-up phone numbers that a real provider would text`,
    );
  if (sms === 'local') {
    for (const v of [
      'HUITOU_SMS_URL',
      'HUITOU_SMS_IDEMPOTENT',
      'HUITOU_SMS_TOKEN',
      'HUITOU_SMS_TEMPLATE_CODE',
      'HUITOU_SMS_ACCESS_KEY_ID',
      'HUITOU_SMS_ACCESS_KEY_SECRET',
      'HUITOU_SMS_APP_ID',
    ] as const) {
      if (isSet(v))
        add(
          v,
          'is set but HUITOU_SMS_PROVIDER is local (the default); set HUITOU_SMS_PROVIDER=http, aliyun or tencent to use it',
        );
    }
  }
  if (isSet('HUITOU_SMTP_URL') && !isSet('HUITOU_EMAIL_FROM'))
    add('HUITOU_EMAIL_FROM', 'required when HUITOU_SMTP_URL is set (the sender of the e-mails)');
  if (isSet('HUITOU_SMTP_URL') && (parsed.HUITOU_DEMO_CUSTOMERS ?? 0) > 0 && isSet('HUITOU_DEMO_CUSTOMERS'))
    add(
      'HUITOU_DEMO_CUSTOMERS',
      'must be 0 when HUITOU_SMTP_URL is set: demo customers have made-up addresses that a real mail server would be sent to',
    );
  // Remote-only settings without an address would silently run on the embedded server instead.
  if (!isSet('TEMPORAL_ADDRESS')) {
    for (const v of ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_API_KEY'] as const) {
      if (isSet(v))
        add(
          v,
          'is set but TEMPORAL_ADDRESS is not; set TEMPORAL_ADDRESS to use a remote Temporal, or unset this for the embedded one',
        );
    }
    if (parsed.TEMPORAL_TLS === true)
      add('TEMPORAL_TLS', 'is true but TEMPORAL_ADDRESS is not set; the embedded server has no TLS');
  }
  return problems;
}
