import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { ConfigError, loadConfig } from '@huitou/engine/config';
import { connectTemporal } from '@huitou/engine/temporal/connect';
import type { TemporalConnection } from '@huitou/engine/temporal/connect';
import { DevServer } from '@huitou/temporal-devserver';
import * as activities from '../../../engine/devserver/tests/activities.ts';

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const quiet = () => {};
let bundle: WorkflowBundleWithSourceMap;
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'huitou-connect-'));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  try {
    Runtime.install({ logger: silent });
  } catch {
    // Installed by another file in this process.
  }
  bundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('../../../engine/devserver/tests/workflows/index.ts', import.meta.url)),
    logger: silent,
  });
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs `greet` through a worker on the connection's native connection and the connection's client. */
async function greetThrough(temporal: TemporalConnection, workflowId: string): Promise<string> {
  const worker = await Worker.create({
    connection: temporal.nativeConnection,
    namespace: temporal.namespace,
    taskQueue: temporal.taskQueue,
    workflowBundle: bundle,
    activities,
  });
  return worker.runUntil(
    temporal.client.workflow.execute('greet', { args: ['world'], taskQueue: temporal.taskQueue, workflowId }),
  );
}

describe('connectTemporal, embedded (no TEMPORAL_ADDRESS)', () => {
  it('starts the dev server durable in the data folder and runs a workflow through it', async () => {
    const dataDir = tempDir();
    const config = loadConfig({
      TEMPORAL_DEV_PORT: '0',
      HUITOU_DATA_DIR: dataDir,
      TEMPORAL_TASK_QUEUE: 'connect-embedded',
    });
    const temporal = await connectTemporal(config, { log: quiet });
    try {
      expect(temporal.embedded).toBeDefined();
      expect(temporal.address).toBe(temporal.embedded?.address);
      expect(temporal.address).not.toMatch(/:0$/);
      expect(temporal.namespace).toBe('default');
      expect(await greetThrough(temporal, 'greet-embedded')).toBe('hello world');
      expect(existsSync(join(dataDir, 'temporal'))).toBe(true);
    } finally {
      await temporal.close();
    }
    await temporal.close(); // idempotent

    // Same data folder, new process-like start: the finished run is still there.
    const again = await connectTemporal(config, { log: quiet });
    try {
      const description = await again.client.workflow.getHandle('greet-embedded').describe();
      expect(description.status.name).toBe('COMPLETED');
      expect(await again.client.workflow.getHandle('greet-embedded').result()).toBe('hello world');
    } finally {
      await again.close();
    }
  });

  it('serves the configured namespace', async () => {
    const temporal = await connectTemporal(
      loadConfig({ TEMPORAL_DEV_PORT: '0', HUITOU_DATA_DIR: tempDir(), TEMPORAL_NAMESPACE: 'shop' }),
      { log: quiet },
    );
    try {
      expect(temporal.namespace).toBe('shop');
      expect(await greetThrough(temporal, 'greet-shop')).toBe('hello world');
    } finally {
      await temporal.close();
    }
  });

  it('names TEMPORAL_DEV_PORT when the port is taken', async () => {
    const other = await DevServer.start({ log: quiet });
    try {
      const config = loadConfig({ TEMPORAL_DEV_PORT: String(other.port), HUITOU_DATA_DIR: tempDir() });
      await expect(connectTemporal(config, { log: quiet })).rejects.toThrow(/TEMPORAL_DEV_PORT/);
    } finally {
      await other.shutdown();
    }
  });
});

describe('connectTemporal, TEMPORAL_ADDRESS set', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await DevServer.start({ namespaces: ['default', 'shop'], log: quiet });
  });
  afterAll(async () => server?.shutdown());

  it('connects to the given server without starting another', async () => {
    const dataDir = tempDir();
    const config = loadConfig({
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_NAMESPACE: 'shop',
      HUITOU_DATA_DIR: dataDir,
      TEMPORAL_TASK_QUEUE: 'connect-remote',
    });
    const before = server.engine.store.size;
    const temporal = await connectTemporal(config, { log: quiet });
    try {
      expect(temporal.embedded).toBeUndefined();
      expect(temporal.address).toBe(server.address);
      expect(temporal.namespace).toBe('shop');
      expect(await greetThrough(temporal, 'greet-remote')).toBe('hello world');
      expect(server.engine.store.size).toBe(before + 1);
      expect(existsSync(join(dataDir, 'temporal'))).toBe(false);
    } finally {
      await temporal.close();
    }
    // Closing our connections leaves the server running for others.
    const other = await connectTemporal(config, { log: quiet });
    expect(await other.client.workflow.getHandle('greet-remote').result()).toBe('hello world');
    await other.close();
  });

  it('names TEMPORAL_NAMESPACE when the namespace does not exist there', async () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: 'nope' });
    await expect(connectTemporal(config)).rejects.toThrow(/namespace "nope" \(TEMPORAL_NAMESPACE\) does not exist/);
  });

  it('names TEMPORAL_ADDRESS when nothing answers there', async () => {
    const gone = await DevServer.start({ log: quiet });
    const address = gone.address;
    await gone.shutdown();
    await expect(connectTemporal(loadConfig({ TEMPORAL_ADDRESS: address }))).rejects.toThrow(/TEMPORAL_ADDRESS/);
  });
});

describe('connectTemporal configuration', () => {
  it('is given a config whose errors list every bad variable', () => {
    const env = { TEMPORAL_ADDRESS: 'grpc://temporal:7233', TEMPORAL_DEV_PORT: '-1', TEMPORAL_TLS: 'sometimes' };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as ConfigError).variables.sort()).toEqual([
        'TEMPORAL_ADDRESS',
        'TEMPORAL_DEV_PORT',
        'TEMPORAL_TLS',
      ]);
    }
  });
});
