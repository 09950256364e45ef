// The production compose file: it parses (and docker-compose accepts it when installed), every
// long-running service has a health check, the engine's is /api/ready, and nothing seeds demo
// customers into a real shop. The README's configuration table covers every variable config.ts reads.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../../engine/src/config.ts';
import { ENGINE_NODE_FLAGS, missingEngineFlags } from '../../../engine/src/node-flags.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
// js-yaml is in node_modules already (ESLint's config loader uses it); it ships no types.
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] | string; interval?: string };
  depends_on?: Record<string, { condition: string }> | string[];
}
const composeText = readFileSync(`${root}docker-compose.yml`, 'utf8');
const compose = yaml.load(composeText) as { services: Record<string, Service> };
const hasDockerCompose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;

describe('docker-compose.yml', () => {
  it('gives every long-running service a health check; the engine checks /api/ready', () => {
    const { services } = compose;
    for (const name of ['postgres', 'temporal', 'engine', 'worker'])
      expect(services[name].healthcheck?.test, name).toBeDefined();
    expect(JSON.stringify(services.engine.healthcheck?.test)).toContain('/api/ready');
    // The worker has no HTTP API: its Temporal SDK metrics endpoint is its sign of life.
    const workerMetrics = services.worker.environment?.HUITOU_TEMPORAL_METRICS;
    expect(workerMetrics).toMatch(/:\d+$/);
    expect(JSON.stringify(services.worker.healthcheck?.test)).toContain(`:${workerMetrics?.split(':').at(-1)}/metrics`);
  });

  it('never seeds demo customers: HUITOU_DEMO_CUSTOMERS is 0 for the engine and the worker, and no service runs the seed', () => {
    for (const name of ['engine', 'worker']) {
      expect(compose.services[name].environment?.HUITOU_DEMO_CUSTOMERS, name).toBe('0');
    }
    for (const [name, service] of Object.entries(compose.services))
      expect((service.command ?? []).join(' '), name).not.toMatch(/seed/);
  });

  it.skipIf(!hasDockerCompose)('is accepted by docker-compose config', () => {
    const result = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '--quiet'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
  });
});

describe("the engine's Node flags", () => {
  it('are given by npm start, npm run worker and the image (which the compose services do not override)', () => {
    const scripts = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> })
      .scripts;
    for (const name of ['start', 'worker']) {
      const [, node] = scripts[name].split(' && ');
      expect(missingEngineFlags(node.split(' '), ''), `npm run ${name}`).toEqual([]);
    }
    const dockerfile = readFileSync(`${root}engine/Dockerfile`, 'utf8');
    const nodeOptions = /NODE_OPTIONS=(\S+|"[^"]*")/.exec(dockerfile)?.[1].replace(/"/g, '') ?? '';
    expect(missingEngineFlags([], nodeOptions), 'engine/Dockerfile NODE_OPTIONS').toEqual([]);
    for (const name of ['engine', 'worker'])
      expect(compose.services[name].environment?.NODE_OPTIONS, name).toBeUndefined();
  });

  it('count given on the command line or in NODE_OPTIONS', () => {
    expect(missingEngineFlags([], '')).toEqual(ENGINE_NODE_FLAGS);
    expect(missingEngineFlags(['--import', 'tsx'], '--max-semi-space-size=16')).toEqual(ENGINE_NODE_FLAGS);
    expect(missingEngineFlags([...ENGINE_NODE_FLAGS], '')).toEqual([]);
    expect(missingEngineFlags([], ` ${ENGINE_NODE_FLAGS.join(' ')} --trace-warnings`)).toEqual([]);
  });
});

describe('README configuration table', () => {
  it('has a row for every variable the product reads', () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    const table = readme.slice(
      readme.indexOf('## Configuration'),
      readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1),
    );
    const rows = table.split('\n').filter((l) => l.startsWith('| `'));
    const named = new Set(rows.flatMap((row) => [...row.split('|')[1].matchAll(/`(\w+)`/g)].map((m) => m[1])));
    expect(CONFIG_VARIABLES.filter((v) => !named.has(v))).toEqual([]);
  });
});
