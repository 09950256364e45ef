// The one place that knows which Temporal server is used. With TEMPORAL_ADDRESS the product talks
// to a real server (self-hosted or Temporal Cloud); without it, the embedded dev server starts on
// the wall clock, durable under the data folder. Everything else gets a client and a worker
// connection from here and never learns the difference.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../config.ts';
import { startEmbeddedThread } from './embedded-thread.ts';
import type { EmbeddedServer } from './embedded-thread.ts';

export interface TemporalConnection {
  readonly client: Client;
  /** A JS gRPC connection (namespace checks, raw RPCs); the client itself runs over nativeConnection. */
  readonly connection: Connection;
  /** The connection workers are created on. */
  readonly nativeConnection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  /** host:port of the server in use. */
  readonly address: string;
  /** Set when the embedded dev server was started for this connection (on a thread of its own). */
  readonly embedded?: EmbeddedServer;
  /** Closes both connections, then stops the embedded server. Stop workers first. */
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Where the embedded server's messages go (default: console.warn). */
  log?: (message: string) => void;
}

/** Subfolder of the data folder that holds the embedded server's journal. */
export const EMBEDDED_TEMPORAL_DIR = 'temporal';

export async function connectTemporal(
  config: Pick<Config, 'temporal' | 'dataDir'>,
  options: ConnectOptions = {},
): Promise<TemporalConnection> {
  const { namespace, taskQueue } = config.temporal;
  const embedded = config.temporal.address === undefined ? await startEmbedded(config, options) : undefined;
  const address = embedded?.address ?? (config.temporal.address as string);
  const cleanup: (() => Promise<void>)[] = embedded ? [() => embedded.shutdown()] : [];
  const closeAll = async () => {
    // Reverse order, and every step runs even if one fails: the server must not outlive us.
    const errors: unknown[] = [];
    for (const step of cleanup.reverse()) await step().catch((e: unknown) => errors.push(e));
    if (errors.length > 0) throw errors[0];
  };

  try {
    const tls = embedded ? undefined : await tlsOptions(config.temporal);
    const apiKey = embedded ? undefined : config.temporal.apiKey;
    const connection = await Connection.connect({ address, tls, apiKey });
    cleanup.push(() => connection.close());
    // In-process loopback: gzip (the native connection's default) costs CPU and saves nothing.
    const grpcCompression = embedded ? ({ codec: 'none' } as const) : undefined;
    const nativeConnection = await NativeConnection.connect({ address, tls, apiKey, grpcCompression });
    cleanup.push(() => nativeConnection.close());
    await checkNamespace(connection, namespace, address);

    let closing: Promise<void> | undefined;
    return {
      // Over the native (Rust) connection: the JS gRPC client cost the event loop more than the
      // server did (routing 1,000 events/s stalled at ~600/s with it; bench:events).
      client: new Client({ connection: nativeConnection, namespace }),
      connection,
      nativeConnection,
      namespace,
      taskQueue,
      address,
      embedded,
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll().catch(() => {});
    if (error instanceof Error && !embedded && !error.message.includes(address)) {
      throw new Error(`cannot use Temporal at ${address} (TEMPORAL_ADDRESS): ${error.message}`, { cause: error });
    }
    throw error;
  }
}

async function startEmbedded(
  config: Pick<Config, 'temporal' | 'dataDir'>,
  options: ConnectOptions,
): Promise<EmbeddedServer> {
  const { devPort, namespace } = config.temporal;
  try {
    return await startEmbeddedThread(
      {
        port: devPort,
        timeSkipping: false,
        dataDir: join(config.dataDir, EMBEDDED_TEMPORAL_DIR),
        namespaces: [...new Set(['default', namespace])],
      },
      options.log ?? ((m) => console.warn(`[temporal-dev] ${m}`)),
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `the embedded Temporal dev server cannot listen on 127.0.0.1:${devPort} (TEMPORAL_DEV_PORT): ${reason}. ` +
        'Is another Huitou running? Set TEMPORAL_DEV_PORT=0 for a free port, or TEMPORAL_ADDRESS to use a running Temporal.',
      { cause: error },
    );
  }
}

async function tlsOptions(temporal: Config['temporal']): Promise<TLSConfig | undefined> {
  if (!temporal.tls) return undefined;
  if (!temporal.clientCert) return {};
  const [crt, key] = await Promise.all([readFile(temporal.clientCert.certPath), readFile(temporal.clientCert.keyPath)]);
  return { clientCertPair: { crt, key } };
}

/** Fails at start-up, not at the first workflow, when the namespace is wrong. */
async function checkNamespace(connection: Connection, namespace: string, address: string): Promise<void> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code === 5 /* NOT_FOUND */)
      throw new Error(`namespace "${namespace}" (TEMPORAL_NAMESPACE) does not exist on Temporal at ${address}`, {
        cause: error,
      });
    throw error;
  }
}
