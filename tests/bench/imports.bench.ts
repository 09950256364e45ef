// Import benchmark (issue 14): `npm run bench:imports -- [--rows N] [--chunk-ms MS]`
// Starts the real product (engine/src/main.ts, embedded PGlite and Temporal, a data folder of its
// own), uploads a customers CSV of N rows as a stream (1,000 rows per chunk, --chunk-ms apart: a
// slow client), and meanwhile asks a database-backed question (GET /api/journeys) every 50 ms.
// Prints the import's time and how long the slowest of those answers took while it streamed and
// after every row was read (applying): the stretch an upload holds PGlite's one backend.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Product } from '../support/product-process.ts';
import { seconds } from './bench-shop.ts';

const { values } = parseArgs({
  options: { rows: { type: 'string' }, 'chunk-ms': { type: 'string' } },
});
const rows = Number(values.rows ?? 100_000);
const chunkMs = Number(values['chunk-ms'] ?? 0);
const CHUNK_ROWS = 1_000;

function csvStream(): ReadableStream {
  return Readable.toWeb(
    Readable.from(
      (async function* () {
        yield Buffer.from('external_id,nickname,province,city,phone,tags\n');
        for (let from = 0; from < rows; from += CHUNK_ROWS) {
          const lines: string[] = [];
          for (let n = from; n < Math.min(rows, from + CHUNK_ROWS); n++)
            lines.push(`bench-${n},买家${n},浙江,杭州,+8613800${String(n % 1_000_000).padStart(6, '0')},vip;new\n`);
          yield Buffer.from(lines.join(''));
          if (chunkMs > 0) await new Promise((r) => setTimeout(r, chunkMs));
        }
      })(),
    ),
  ) as ReadableStream;
}

const dataDir = mkdtempSync(join(tmpdir(), 'huitou-bench-imports-'));
const product = new Product({
  HUITOU_DATA_DIR: dataDir,
  PORT: '0',
  TEMPORAL_DEV_PORT: '0',
  HUITOU_DEMO_CUSTOMERS: '0',
});
try {
  await product.line(/running; press Ctrl\+C to stop/);
  const api = (await product.line(/API docs: (http:\/\/\S+)\/api\/docs$/))[1];
  const key = (await product.line(/admin API key \(shown once, keep it\): (\S+)$/))[1];
  const headers = { authorization: `Bearer ${key}` };

  // When the engine has read every row (its progress answers from memory, even while applying).
  const importId = randomUUID();
  let allReadAt = Infinity;
  let finished = false;
  const watcher = (async () => {
    while (!finished && allReadAt === Infinity) {
      const res = await fetch(`${api}/api/imports/${importId}`, { headers });
      if (res.ok && ((await res.json()) as { rowsRead: number }).rowsRead >= rows) allReadAt = performance.now();
      else await res.arrayBuffer().catch(() => {});
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  // The slowest database-backed answer while the file streams, and after every row was read (applying).
  const worst = { streaming: 0, applying: 0 };
  const poller = (async () => {
    while (!finished) {
      const asked = performance.now();
      await fetch(`${api}/api/journeys?limit=1`, { headers }).then((r) => r.arrayBuffer());
      const took = performance.now() - asked;
      const phase = asked + took < allReadAt ? 'streaming' : 'applying';
      worst[phase] = Math.max(worst[phase], took);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();

  const began = performance.now();
  const res = await fetch(`${api}/api/imports/customers?importId=${importId}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'text/csv' },
    body: csvStream(),
    duplex: 'half',
  } as RequestInit);
  const outcome = (await res.json()) as { state: string; inserted: number; updated: number };
  const answeredAt = performance.now();
  const total = answeredAt - began;
  finished = true;
  await Promise.all([poller, watcher]);
  console.log(`[pglite] customers import of ${rows} rows, chunks of ${CHUNK_ROWS} rows ${chunkMs} ms apart`);
  console.log(`outcome: ${res.status} ${outcome.state}, ${outcome.inserted} inserted, ${outcome.updated} updated`);
  console.log(`import: ${seconds(total)} s in all (${Math.round(rows / (total / 1000))} rows/s)`);
  console.log(`every row read to answer (applying): ${seconds(answeredAt - Math.min(allReadAt, answeredAt))} s`);
  console.log(
    `slowest GET /api/journeys: ${Math.round(worst.streaming)} ms while streaming, ${Math.round(worst.applying)} ms while applying`,
  );
} finally {
  await product.interrupt();
  rmSync(dataDir, { recursive: true, force: true });
}
