// Runs in the embedded Temporal server's thread (embedded-thread.ts): starts the server, reports
// its address, forwards its log lines, and shuts it down when asked.
import { parentPort, workerData } from 'node:worker_threads';
import { DevServer } from '@huitou/temporal-devserver';
import type { ThreadMessage, ThreadOptions } from './embedded-thread.ts';

const port = parentPort;
if (!port) throw new Error('embedded-thread-entry runs in a worker thread');
const post = (message: ThreadMessage) => port.postMessage(message);
const { options } = workerData as { options: ThreadOptions };

try {
  const server = await DevServer.start({ ...options, log: (message) => post({ kind: 'log', message }) });
  port.on('message', (m: unknown) => {
    if (m !== 'shutdown') return;
    void server.shutdown().finally(() => {
      post({ kind: 'stopped' });
      port.close();
    });
  });
  post({ kind: 'ready', address: server.address });
} catch (error) {
  post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  port.close();
}
