// The embedded Temporal dev server on a thread of its own. In one process with the API and the
// worker it took a tenth of the event loop at 1,000 events/s (bench:events): gRPC, protobuf and
// its history journal competed with HTTP requests for the same thread. On its own thread it uses
// the machine's other core, and a busy API no longer delays the server's answers to the worker.
// The process still owns it: it stops with the process, and its data folder lock is the process's.
import { Worker } from 'node:worker_threads';
import type { DevServerOptions } from '@huitou/temporal-devserver';

/** Options the thread is started with (the log goes back to this thread as messages). */
export type ThreadOptions = Omit<DevServerOptions, 'log'>;

/** What the server's thread posts. */
export type ThreadMessage =
  | { kind: 'ready'; address: string }
  | { kind: 'log'; message: string }
  | { kind: 'failed'; message: string }
  | { kind: 'stopped' };

export interface EmbeddedServer {
  /** host:port the server listens on. */
  readonly address: string;
  /** Stops the server (pollers released, journal closed) and ends its thread. */
  shutdown(): Promise<void>;
}

export async function startEmbeddedThread(
  options: ThreadOptions,
  log: (message: string) => void,
): Promise<EmbeddedServer> {
  // A plain-JS entry registers tsx in the new thread (loaders do not follow a thread) and then loads
  // the TypeScript entry.
  const thread = new Worker(new URL('./embedded-thread-boot.mjs', import.meta.url), {
    workerData: { entry: new URL('./embedded-thread-entry.ts', import.meta.url).href, options },
  });
  let stopped: (() => void) | undefined;
  const address = await new Promise<string>((resolve, reject) => {
    thread.on('message', (m: ThreadMessage) => {
      if (m.kind === 'ready') resolve(m.address);
      else if (m.kind === 'log') log(m.message);
      else if (m.kind === 'failed') reject(new Error(m.message));
      else stopped?.();
    });
    thread.once('error', reject);
    thread.once('exit', (code) => reject(new Error(`the embedded Temporal server's thread exited (${code})`)));
  });
  thread.on('error', (error) => log(`embedded Temporal server thread: ${error.message}`));
  let shutdown: Promise<void> | undefined;
  return {
    address,
    shutdown: () =>
      (shutdown ??= (async () => {
        const done = new Promise<void>((resolve) => (stopped = resolve));
        thread.postMessage('shutdown');
        await Promise.race([done, new Promise((resolve) => thread.once('exit', resolve))]);
        await thread.terminate();
      })()),
  };
}
