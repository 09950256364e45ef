// The load generator of `npm run bench:events`, in a process of its own (forked by events.bench.ts)
// so the product's event loop cannot delay it: posts `order_paid` events to POST /api/events at a
// fixed open-loop rate over keep-alive connections. Each event's latency is measured from the time
// it was due, not from when a connection was free, so a slow server cannot hide its queue.
import { leanPoster } from './lean-http.ts';

export interface LoadPlan {
  url: string;
  key: string;
  /** Events per second, and for how long. */
  rate: number;
  seconds: number;
  /** Events per request: 1 posts single events, more uses the batch body ({ events: [...] }). */
  batch: number;
  /** Keep-alive connections; requests beyond them wait for one (and that wait counts). */
  connections: number;
  /** Orders firstOrder, firstOrder + 1, ...; order g belongs to customer 1 + (g - 1) % customers (the bench's seed). */
  firstOrder: number;
  customers: number;
}

export interface LoadProgress {
  kind: 'progress';
  due: number;
  sent: number;
  accepted: number;
  failed: number;
}

export interface LoadResult {
  kind: 'done';
  /** Per event, by index: epoch ms it was due, HTTP accept latency (ms), HTTP status (0 = no response). */
  dueAt: number[];
  acceptMs: number[];
  status: number[];
  accepted: number;
  duplicates: number;
  /** Largest delay between an event's due time and the generator writing its request. */
  maxLagMs: number;
  /** Sample of error bodies (at most 5). */
  errors: string[];
  peakRssMb: number;
  /** The generator's own CPU time (user + system) while it ran, in ms: its share of the machine. */
  cpuMs: number;
}

export const orderOfEvent = (plan: Pick<LoadPlan, 'firstOrder'>, i: number) => plan.firstOrder + i;
export const customerOfOrder = (plan: Pick<LoadPlan, 'customers'>, orderId: number) =>
  1 + ((orderId - 1) % plan.customers);

const epochNow = () => performance.timeOrigin + performance.now();

export async function runLoad(plan: LoadPlan, onProgress: (p: LoadProgress) => void): Promise<LoadResult> {
  const total = Math.round(plan.rate * plan.seconds);
  const poster = leanPoster(plan.url, '/api/events', { Authorization: `Bearer ${plan.key}` }, plan.connections);
  const dueAt = new Array<number>(total).fill(0);
  const acceptMs = new Array<number>(total).fill(0);
  const status = new Array<number>(total).fill(0);
  const errors: string[] = [];
  let sent = 0;
  let answered = 0;
  let acceptedTotal = 0;
  let duplicates = 0;
  let failed = 0;
  let maxLagMs = 0;
  let peakRss = process.memoryUsage.rss();

  const event = (i: number, at: number) => {
    const orderId = orderOfEvent(plan, i);
    return {
      idempotencyKey: `bench-paid-${orderId}`,
      type: 'order_paid',
      customerId: customerOfOrder(plan, orderId),
      orderId,
      occurredAt: new Date(at).toISOString(),
    };
  };

  // A keep-alive connection the server closed as it was reused is sent again (lean-http.ts), as a
  // shop's webhook would (the idempotency key makes it safe); the retry counts in the latency.
  const post = async (from: number, to: number, due: number) => {
    const events = Array.from({ length: to - from }, (_, k) => event(from + k, due));
    const answer = await poster.post(JSON.stringify(plan.batch === 1 ? events[0] : { events }));
    const ms = epochNow() - due;
    for (let i = from; i < to; i++) {
      acceptMs[i] = ms;
      status[i] = answer.status;
    }
    answered += to - from;
    if (answer.status === 202) {
      const parsed = JSON.parse(answer.body) as { accepted: number; duplicates: number };
      acceptedTotal += parsed.accepted;
      duplicates += parsed.duplicates;
    } else {
      failed += to - from;
      if (errors.length < 5) errors.push(`${answer.status}: ${answer.body.slice(0, 300)}`);
    }
  };

  const started = epochNow();
  const cpuAtStart = process.cpuUsage();
  const inFlight: Promise<void>[] = [];
  const ticker = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    onProgress({
      kind: 'progress',
      due: Math.min(total, Math.floor(((epochNow() - started) / 1000) * plan.rate)),
      sent,
      accepted: answered - failed,
      failed,
    });
  }, 1000);
  // Open loop: every tick sends whatever has fallen due, in requests of `batch` events.
  while (sent < total) {
    const now = epochNow();
    const dueCount = Math.min(total, Math.floor(((now - started) / 1000) * plan.rate) + 1);
    while (dueCount - sent >= plan.batch || (dueCount === total && sent < total)) {
      const to = Math.min(total, sent + plan.batch);
      const due = started + ((to - 1) / plan.rate) * 1000;
      for (let i = sent; i < to; i++) dueAt[i] = due;
      maxLagMs = Math.max(maxLagMs, now - due);
      inFlight.push(post(sent, to, due));
      sent = to;
    }
    const nextDue = started + ((sent + plan.batch - 1) / plan.rate) * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, Math.min(50, nextDue - epochNow()))));
  }
  await Promise.all(inFlight);
  clearInterval(ticker);
  const cpu = process.cpuUsage(cpuAtStart);
  poster.close();
  return {
    kind: 'done',
    dueAt,
    acceptMs,
    status,
    accepted: acceptedTotal,
    duplicates,
    maxLagMs,
    errors,
    peakRssMb: Math.max(peakRss, process.memoryUsage.rss()) / 2 ** 20,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

// Forked by the bench: the plan arrives over IPC, progress and the result go back the same way.
if (process.send) {
  process.once('message', (plan: LoadPlan) => {
    runLoad(plan, (p) => process.send?.(p)).then(
      (result) => process.send?.(result, () => process.exit(0)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
