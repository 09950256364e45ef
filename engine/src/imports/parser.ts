// Parses an import's file in a worker thread (parse-worker.ts), so decoding, CSV and validation
// (most of an import's CPU) run beside the event loop that serves requests and stages batches,
// and, on PGlite, runs the database: on 2 cores the two halves of a large import overlap.
// One worker per process, started on the first import and kept; each import is a job of its own.
import { Worker } from 'node:worker_threads';
import type { ImportKindName } from '@huitou/schemas/http';
import type { Charset } from './charset.ts';
import type { ReadOut } from './row-reader.ts';

export type ParserRequest =
  | { job: number; type: 'open'; kind: ImportKindName; charset: Charset | null }
  | { job: number; type: 'push'; bytes: Uint8Array }
  | { job: number; type: 'end' }
  | { job: number; type: 'close' };

export type ParserReply = { job: number; out: ReadOut<unknown> } | { job: number; error: string };

/** One import's file as the worker reads it: each push answers with what that piece gave. */
export interface Parser<R> {
  push(bytes: Buffer): Promise<ReadOut<R>>;
  end(): Promise<ReadOut<R>>;
  /** Drops the job (an import that stopped early); answers still due are rejected. */
  close(): void;
}

interface Pending {
  resolve: (out: ReadOut<unknown>) => void;
  reject: (error: Error) => void;
}

/**
 * A bigger young generation than the default: parsing allocates a short-lived object per cell,
 * and with 16 MB scavenges took a quarter of the worker's time (bench:imports).
 */
const YOUNG_GENERATION_MB = 64;

/**
 * The parser thread's nice value (Linux keeps one per thread; the rest of the process stays at 0).
 * The parser is about twice as fast as the database applying what it gives (one backend, serial),
 * so on 2 cores an import waits for the database, and requests wait for the event loop, never for
 * the parser: when they want a core, the parser yields most of it; it still gets every cycle they
 * leave. 10, not the lowest (19): the same speed here (bench:imports, 1M orders back to back: 16,674
 * and 16,049 rows/s; 300k orders, 4 alternating runs each: median 16,600 at 0, 17,450 at 10, 18,750
 * at 19), and an engine whose cores are busy (a test suite, an 11.11 peak) still parses an upload
 * at a tenth of a core instead of next to nothing.
 */
export const PARSER_NICE = 10;

let worker: Worker | null = null;
let nextJob = 1;
/** Answers due per job, in the order asked (the worker answers a job's pieces in order). */
const due = new Map<number, Pending[]>();

function failAll(error: Error): void {
  for (const queue of due.values()) for (const p of queue.splice(0)) p.reject(error);
  due.clear();
  worker = null;
}

function parserWorker(): Worker {
  if (worker) return worker;
  // The worker loads TypeScript the way the product does (tsx), whatever started this process.
  const started = new Worker(new URL('./parse-worker.boot.mjs', import.meta.url), {
    workerData: { entry: new URL('./parse-worker.ts', import.meta.url).href, nice: PARSER_NICE },
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  started.unref();
  started.on('message', (reply: ParserReply) => {
    const pending = due.get(reply.job)?.shift();
    if (!pending) return;
    if ('error' in reply) pending.reject(new Error(`import parser: ${reply.error}`));
    else pending.resolve(reply.out);
  });
  started.on('error', (error) => failAll(error));
  started.on('exit', (code) => {
    if (worker === started) failAll(new Error(`the import parser stopped (exit code ${code})`));
  });
  worker = started;
  return started;
}

export function openParser<R>(kind: ImportKindName, charset: Charset | null): Parser<R> {
  const w = parserWorker();
  const job = nextJob++;
  due.set(job, []);
  w.postMessage({ job, type: 'open', kind, charset } satisfies ParserRequest);
  const ask = (request: ParserRequest, transfer: ArrayBuffer[] = []) =>
    new Promise<ReadOut<R>>((resolve, reject) => {
      const queue = due.get(job);
      if (!queue) return reject(new Error('the import parser job is closed'));
      if (worker !== w) return reject(new Error('the import parser stopped'));
      queue.push({ resolve: resolve as Pending['resolve'], reject });
      w.postMessage(request, transfer);
    });
  return {
    push(bytes) {
      // A copy the worker then owns: the body's chunk may share its memory with other chunks.
      const copy = new Uint8Array(bytes);
      return ask({ job, type: 'push', bytes: copy }, [copy.buffer]);
    },
    end: () => ask({ job, type: 'end' }),
    close() {
      const queue = due.get(job);
      if (!queue) return;
      due.delete(job);
      for (const p of queue) p.reject(new Error('the import parser job is closed'));
      w.postMessage({ job, type: 'close' } satisfies ParserRequest);
    },
  };
}
