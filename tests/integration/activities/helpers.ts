import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import type { JourneySettingsInput, NodeConfigInput, NodeParams, NodeTypeId } from '@huitou/schemas';
import { JourneySettings, nodeTypes } from '@huitou/schemas';
import type { CohortRef, NodeCall } from '../../../activities/src/contract.ts';

/** Shanghai wall-clock time as epoch ms. */
export const shanghai = (local: string) => Date.parse(`${local}+08:00`);
export const DAY = 86_400_000;

export function settings(input: JourneySettingsInput = {}): JourneySettings {
  return JourneySettings.parse({ sms: { signature: '【回头小店】', unitPrice: 0.05 }, ...input });
}

/** Params exactly as the compiler lowers them, from a node config. */
export function lowered<T extends NodeTypeId>(
  type: T,
  config: NodeConfigInput<T>,
  s: JourneySettings = settings(),
): NodeParams<T> {
  const def = nodeTypes[type] as unknown as {
    config: { parse(x: unknown): unknown };
    lower(c: unknown, ctx: unknown): NodeParams<T>;
  };
  return def.lower(def.config.parse(config), { nodeId: 'n', settings: s });
}

export function nodeCall<T extends NodeTypeId>(
  type: T,
  config: NodeConfigInput<T>,
  over: {
    ref: CohortRef;
    nodeId: string;
    now: number;
    journeyId?: string;
    settings?: JourneySettings;
    cycles?: NodeCall['cycles'];
    triggerKey?: string;
  },
): NodeCall<NodeParams<T>> {
  const s = over.settings ?? settings();
  return {
    ref: over.ref,
    journeyId: over.journeyId ?? '00000000-0000-0000-0000-000000000000',
    versionId: '00000000-0000-0000-0000-000000000001',
    nodeId: over.nodeId,
    params: lowered(type, config, s),
    settings: s,
    cycles: over.cycles ?? [],
    enteredAt: over.now,
    now: over.now,
    triggerKey: over.triggerKey,
  };
}

export async function journeyOf(pool: pg.Pool, runId: string): Promise<string> {
  const { rows } = await pool.query<{ journey_id: string }>('SELECT journey_id FROM runs WHERE id = $1', [runId]);
  return rows[0].journey_id;
}

export async function setJourneyState(pool: pg.Pool, runId: string, state: string): Promise<void> {
  await pool.query('UPDATE journeys SET state = $2 WHERE id = (SELECT journey_id FROM runs WHERE id = $1)', [
    runId,
    state,
  ]);
}

export interface Peer {
  url: string;
  /** `raw`: the body as received (what a signature covers). */
  requests: { headers: IncomingMessage['headers']; body: unknown; raw: string }[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that answers with `handle` and records every request. */
export async function startPeer(
  handle: (body: unknown, index: number, res: ServerResponse) => void | Promise<void>,
): Promise<Peer> {
  const requests: Peer['requests'] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      const body = text ? JSON.parse(text) : null;
      requests.push({ headers: req.headers, body, raw: text });
      void handle(body, requests.length - 1, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export const never = () => new Date('2020-01-01T00:00:00Z');
