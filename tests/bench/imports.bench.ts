// Import benchmark: `npm run bench:imports -- [--rows N] [--chunk-ms MS]` (issue 14) and
// `npm run bench:imports -- --taobao [--orders N] [--postgres]` (issue 15).
// Starts the real product (engine/src/main.ts, a data folder of its own; embedded PGlite, or with
// --postgres a fresh database on DATABASE_URL's server).
// Customers (default): uploads a customers CSV of N rows as a stream (1,000 rows per chunk,
// --chunk-ms apart: a slow client), and meanwhile asks a database-backed question (GET
// /api/journeys) every 50 ms. Prints the import's time and how long the slowest of those answers
// took while it streamed and while it was applied: the stretch an upload holds PGlite's backend.
// --taobao: a Taobao order report of N orders (default 1,000,000) and its item report (~2 items
// an order), GBK, written to disk buyer by buyer by the fixture (tests/support/taobao-shop.ts;
// never the whole file in memory) before the clock starts, then uploaded one after the other.
// Prints rows/s per file, the product's own split (rows read vs applied, from its log line) and
// its peak RSS (VmHWM) before and after each, with the machine's load.
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Product } from '../support/product-process.ts';
import { encodeGbk } from '../support/gbk.ts';
import {
  ITEM_REPORT_HEADER,
  ORDER_REPORT_HEADER,
  buyers,
  itemReportLines,
  orderReportLines,
} from '../support/taobao-shop.ts';
import type { FixtureBuyer } from '../support/taobao-shop.ts';
import { seconds } from './bench-shop.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string' },
    'chunk-ms': { type: 'string' },
    taobao: { type: 'boolean' },
    orders: { type: 'string' },
    postgres: { type: 'boolean' },
  },
});
const rows = Number(values.rows ?? 100_000);
const chunkMs = Number(values['chunk-ms'] ?? 0);
const orders = Number(values.orders ?? 1_000_000);
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

/**
 * Writes a Taobao report of the shop's first buyers up to `orders` orders to `path`, GBK, ~300
 * buyers a chunk (never the whole file in memory). Written before the upload is timed: the bench
 * measures the product, not the fixture's generator (both would share the 2 cores).
 */
async function writeTaobaoReport(path: string, header: readonly string[], lines: (b: FixtureBuyer) => string) {
  const out = createWriteStream(path);
  const write = (buffer: Buffer) =>
    out.write(buffer) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  await write(encodeGbk(`${header.join(',')}\r\n`));
  let made = 0;
  let rowsWritten = 0;
  let chunk: string[] = [];
  for (const b of buyers(15, Number.MAX_SAFE_INTEGER)) {
    if (made >= orders) break;
    b.orders.splice(orders - made);
    made += b.orders.length;
    const text = lines(b);
    rowsWritten += text.split('\r\n').length - 1;
    chunk.push(text);
    if (chunk.length >= 300) {
      await write(encodeGbk(chunk.join('')));
      chunk = [];
    }
  }
  if (chunk.length > 0) await write(encodeGbk(chunk.join('')));
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return { rows: rowsWritten, bytes: statSync(path).size };
}

/** Peak resident memory of a process so far (MiB). */
function peakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

const dataDir = mkdtempSync(join(tmpdir(), 'huitou-bench-imports-'));
const serverUrl = process.env.DATABASE_URL;
const dbName = `huitou_bench_${randomBytes(4).toString('hex')}`;
if (values.postgres) {
  if (!serverUrl) throw new Error('--postgres needs DATABASE_URL (scripts/ensure-postgres.sh prints it)');
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
}
const databaseUrl = (() => {
  if (!values.postgres || !serverUrl) return undefined;
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  return url.toString();
})();
const engine = databaseUrl ? 'postgres' : 'pglite';
const product = new Product({
  HUITOU_DATA_DIR: dataDir,
  PORT: '0',
  TEMPORAL_DEV_PORT: '0',
  HUITOU_DEMO_CUSTOMERS: '0',
  // A report of 1M orders is about 250 MB, past the default limit.
  HUITOU_IMPORT_LIMIT_MB: '4096',
  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
});
try {
  await product.line(/running; press Ctrl\+C to stop/);
  const api = (await product.line(/API docs: (http:\/\/\S+)\/api\/docs$/))[1];
  const key = (await product.line(/admin API key \(shown once, keep it\): (\S+)$/))[1];
  const headers = { authorization: `Bearer ${key}` };

  if (values.taobao) {
    const pid = product.pid as number;
    console.log(`[${engine}] Taobao order report of ${orders} orders and its item report, GBK, streamed`);
    console.log(`product peak RSS after start: ${peakRss(pid)} MiB; load ${loadavg()[0].toFixed(2)}`);
    for (const [kind, header, lines] of [
      ['orders', ORDER_REPORT_HEADER, orderReportLines],
      ['order-items', ITEM_REPORT_HEADER, itemReportLines],
    ] as const) {
      const file = join(dataDir, `${kind}.csv`);
      const written = performance.now();
      const counted = await writeTaobaoReport(file, header, lines);
      console.log(
        `${kind}: ${counted.rows} rows, ${(counted.bytes / 1024 / 1024).toFixed(0)} MiB written in ${seconds(performance.now() - written)} s (not timed)`,
      );
      const began = performance.now();
      const res = await fetch(`${api}/api/imports/${kind}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'text/csv' },
        body: Readable.toWeb(createReadStream(file)) as ReadableStream,
        duplex: 'half',
      } as RequestInit);
      const outcome = (await res.json()) as Record<string, unknown>;
      const took = performance.now() - began;
      const { state, rowsRead, inserted, updated, customersCreated, unreachablePhones, productsCreated } = outcome;
      console.log(
        `${kind}: ${res.status} ${String(state)}, ${String(rowsRead)} rows (${counted.rows} sent), ${String(inserted)} inserted, ${String(updated)} updated` +
          (kind === 'orders'
            ? `, ${String(customersCreated)} customers created, ${String(unreachablePhones)} unreachable phones`
            : `, ${String(productsCreated)} products created`),
      );
      console.log(
        `  ${seconds(took)} s, ${Math.round(counted.rows / (took / 1000))} rows/s; product peak RSS ${peakRss(pid)} MiB; load ${loadavg()[0].toFixed(2)}`,
      );
      const phases = product.lines.filter((l) => l.includes(' rows read in ')).at(-1);
      if (phases) console.log(`  product: ${phases.replace(/^.*?import \S+ /, '')}`);
      if (res.status !== 200) {
        console.log(JSON.stringify(outcome).slice(0, 2000));
        break;
      }
    }
  } else {
    // The slowest answer while the file streams (before the last byte is sent) and after it (applying).
    let lastByteSentAt = Infinity;
    let finished = false;
    const worst = { streaming: 0, applying: 0 };
    const poller = (async () => {
      while (!finished) {
        const asked = performance.now();
        await fetch(`${api}/api/journeys?limit=1`, { headers }).then((r) => r.arrayBuffer());
        const took = performance.now() - asked;
        const phase = asked < lastByteSentAt ? 'streaming' : 'applying';
        worst[phase] = Math.max(worst[phase], took);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    const began = performance.now();
    const body = csvStream();
    const [tee, watch] = body.tee();
    void (async () => {
      const reader = watch.getReader();
      while (!(await reader.read()).done);
      lastByteSentAt = performance.now();
    })();
    const res = await fetch(`${api}/api/imports/customers?importId=${randomUUID()}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/csv' },
      body: tee,
      duplex: 'half',
    } as RequestInit);
    const outcome = (await res.json()) as { state: string; inserted: number; updated: number };
    const answeredAt = performance.now();
    const total = answeredAt - began;
    finished = true;
    await poller;
    console.log(`[${engine}] customers import of ${rows} rows, chunks of ${CHUNK_ROWS} rows ${chunkMs} ms apart`);
    console.log(`outcome: ${res.status} ${outcome.state}, ${outcome.inserted} inserted, ${outcome.updated} updated`);
    console.log(`import: ${seconds(total)} s in all (${Math.round(rows / (total / 1000))} rows/s)`);
    console.log(`last byte sent to answer (applying): ${seconds(answeredAt - lastByteSentAt)} s`);
    console.log(
      `slowest GET /api/journeys: ${Math.round(worst.streaming)} ms while streaming, ${Math.round(worst.applying)} ms while applying`,
    );
  }
} finally {
  await product.interrupt();
  rmSync(dataDir, { recursive: true, force: true });
  if (databaseUrl && serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}
