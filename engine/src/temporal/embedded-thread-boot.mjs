// The embedded Temporal server's thread starts here (see embedded-thread.ts): TypeScript is loaded
// through tsx's API, registered in this thread, then the real entry runs.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
