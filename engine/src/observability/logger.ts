// The engine's one logger (API, worker, jobs): pino, one JSON object a line (level, time, component,
// message, and the request id for API lines) for log collectors; on a terminal, a readable line
// instead. Every message goes through maskedLog first, so no line carries a phone number in full
// (docs/domain.md § SMS rules) whatever a caller passes in.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger as Pino } from 'pino';
import { escapeLogText, maskPhones } from '../api/log.ts';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = 'json' | 'pretty';

/** Extra fields of one line (e.g. requestId); their string values are masked like the message. */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * What the engine's parts are given (EngineDeps.log): info unless a level is passed. A plain
 * `(message) => void` (tests collecting lines) is one of these too.
 */
export type LogFn = (message: string, level?: LogLevel, fields?: LogFields) => void;

export interface LoggerOptions {
  readonly level?: LogLevel;
  /** Default: pretty when `out` is a terminal, else JSON. */
  readonly format?: LogFormat;
  /** Default: process.stdout. */
  readonly out?: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface Logger {
  /** A LogFn whose lines carry `component` (api, worker, temporal, imports…). */
  for(component: string): LogFn;
  readonly pino: Pino;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const out = options.out ?? process.stdout;
  const format = options.format ?? (out.isTTY ? 'pretty' : 'json');
  const destination = format === 'pretty' ? prettyStream(out) : out;
  const root = pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return {
    pino: root,
    for(component) {
      const child = root.child({ component });
      return (message, level = 'info', fields) => child[level](maskFields(fields), maskLine(message));
    },
  };
}

const maskLine = (text: string) => escapeLogText(maskPhones(text));

function maskFields(fields: LogFields | undefined): Record<string, unknown> {
  const masked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (value !== undefined) masked[key] = typeof value === 'string' ? maskLine(value) : value;
  }
  return masked;
}

const COLOURS: Record<string, string> = { debug: '90', warn: '33', error: '31', fatal: '31' };

/**
 * pino's JSON turned back into the line people have always read on `npm start`:
 * `[huitou] running; press Ctrl+C to stop`, `[huitou imports] warn: import sweep failed: …  requestId=…`.
 * The engine's own lines carry no component; the level shows only when it is not info.
 */
export function prettyLine(json: string, colour: boolean): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const { level, time: _time, component, msg, ...rest } = record;
  const label = String(level ?? 'info');
  const source = component && component !== 'engine' ? `[huitou ${String(component)}]` : '[huitou]';
  const extra = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const text = [label === 'info' ? '' : `${label}:`, String(msg ?? ''), ...extra].filter(Boolean).join(' ');
  const code = COLOURS[label];
  return `${source} ${colour && code ? `\u001b[${code}m${text}\u001b[0m` : text}`;
}

function prettyStream(out: NodeJS.WritableStream & { isTTY?: boolean }): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line) out.write(`${prettyLine(line, out.isTTY === true)}\n`);
      done();
    },
  });
}
