// Starts the import parser's worker thread (parser.ts): a worker does not inherit the TypeScript
// loader (tsx) the product runs under, so it registers it before loading parse-worker.ts.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
