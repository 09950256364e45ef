// The import parser's thread yields the cores to the database and the event loop (parser.ts,
// PARSER_NICE): it runs at a low priority, and the rest of the process keeps its own.
import { readFileSync, readdirSync } from 'node:fs';
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { PARSER_NICE, openParser } from '../../../engine/src/imports/parser.ts';

const perThreadNice = process.platform === 'linux';

/** The nice value of each thread of this process (/proc/self/task/<tid>/stat, field 19). */
function niceOfThreads(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('import parser thread', () => {
  it.runIf(perThreadNice)('runs at a low priority; the thread that started it keeps its own', async () => {
    const own = getPriority();
    const before = niceOfThreads().filter((n) => n === PARSER_NICE).length;
    const parser = openParser('customers', null);
    await parser.push(Buffer.from('external_id,nickname\r\nc-1,小红\r\n'));
    const out = await parser.end();
    expect(out.rowsRead).toBe(1);
    expect(niceOfThreads().filter((n) => n === PARSER_NICE).length).toBe(before + 1);
    expect(getPriority()).toBe(own);
  });
});
