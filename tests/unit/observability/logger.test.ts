// The engine's logger: JSON lines with level, time, component and fields; phone numbers masked and
// control characters escaped in messages and field values alike; readable `[huitou]` lines in
// pretty mode; levels below the configured one dropped.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, prettyLine } from '../../../engine/src/observability/logger.ts';
import type { LoggerOptions } from '../../../engine/src/observability/logger.ts';

function capture(options: Omit<LoggerOptions, 'out'> & { tty?: boolean }) {
  const chunks: string[] = [];
  const out = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString('utf8'));
        done();
      },
    }),
    { isTTY: options.tty ?? false },
  );
  const logger = createLogger({ ...options, out });
  return { logger, lines: () => chunks.join('').split('\n').filter(Boolean) };
}

describe('engine logger', () => {
  it('writes one JSON object a line: level, ISO time, component, message and fields', () => {
    const { logger, lines } = capture({});
    logger.for('api')('request served', 'info', { requestId: 'r-1', status: 200 });
    logger.for('imports')('import sweep failed', 'warn');
    const [first, second] = lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({
      level: 'info',
      component: 'api',
      msg: 'request served',
      requestId: 'r-1',
      status: 200,
    });
    expect(new Date(String(first.time)).toISOString()).toBe(first.time);
    expect(second).toMatchObject({ level: 'warn', component: 'imports', msg: 'import sweep failed' });
  });

  it('masks phone numbers in messages and in field values, and escapes control characters', () => {
    const { logger, lines } = capture({});
    logger.for('api')('opt-out for +8613812345678\nforged line', 'info', { note: 'call 13912345678' });
    const text = lines().join('\n');
    expect(lines()).toHaveLength(1);
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('13912345678');
    const record = JSON.parse(lines()[0]) as Record<string, string>;
    expect(record.msg).toBe('opt-out for +86****5678\\nforged line');
    expect(record.note).toBe('call ****5678');
  });

  it('drops lines below the configured level', () => {
    const { logger, lines } = capture({ level: 'warn' });
    const log = logger.for('worker');
    log('routine');
    log('details', 'debug');
    log('trouble', 'warn');
    log('failure', 'error');
    expect(lines().map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['trouble', 'failure']);
  });

  it('writes readable lines on a terminal: [huitou] for the engine, the component and level otherwise', () => {
    const { logger, lines } = capture({ tty: true });
    logger.for('engine')('running; press Ctrl+C to stop');
    logger.for('imports')('import sweep failed', 'warn', { requestId: 'r-2' });
    expect(lines()[0]).toBe('[huitou] running; press Ctrl+C to stop');
    // On a terminal a warning is yellow.
    expect(lines()[1]).toBe('[huitou imports] \u001b[33mwarn: import sweep failed requestId=r-2\u001b[0m');
  });

  it('pretty format without a terminal has no colour codes', () => {
    const { logger, lines } = capture({ format: 'pretty' });
    logger.for('worker')('poll failed', 'error');
    expect(lines()).toEqual(['[huitou worker] error: poll failed']);
    expect(prettyLine('not json', false)).toBe('not json');
  });
});
