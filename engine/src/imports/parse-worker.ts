// The import parser's worker thread (parser.ts): reads the files of running imports, each a job
// of its own, piece by piece in the order they come, and answers each piece with what it gave.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { ParserRequest, ParserReply } from './parser.ts';
import type { ImportKind } from './import-kind.ts';
import { IMPORT_KINDS } from './kinds.ts';
import { RowReader } from './row-reader.ts';

// A low priority for this thread alone (parser.ts, PARSER_NICE).
try {
  setPriority((workerData as { nice: number }).nice);
} catch {
  // A platform without per-thread priorities: the parser runs at the process's.
}

const readers = new Map<number, RowReader<unknown>>();
const port = parentPort;
if (!port) throw new Error('parse-worker.ts runs as a worker thread (parser.ts starts it)');

port.on('message', (request: ParserRequest) => {
  const { job } = request;
  if (request.type === 'open') {
    readers.set(job, new RowReader(IMPORT_KINDS[request.kind] as unknown as ImportKind<unknown>, request.charset));
    return;
  }
  if (request.type === 'close') {
    readers.delete(job);
    return;
  }
  const reader = readers.get(job);
  let reply: ParserReply;
  try {
    if (!reader) throw new Error(`no open import job ${job}`);
    const out = request.type === 'push' ? reader.push(request.bytes) : reader.end();
    if (request.type === 'end') readers.delete(job);
    reply = { job, out };
  } catch (error) {
    readers.delete(job);
    reply = { job, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
