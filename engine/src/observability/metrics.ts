// Prometheus figures for GET /metrics. Two kinds: counters this process keeps (events it accepted
// and routed, and how long routing took), and figures read from Postgres at scrape time (messages
// by outcome, active runs and members, scheduler lag, import rows, the routing backlog). The second
// kind is what every engine and worker process shares, so any one engine answers for the fleet and
// a restart loses nothing; it is read at most once per READ_EVERY_MS however often it is scraped.
import type pg from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Figures read from Postgres are reused this long (several scrapers, or one scraping fast). */
export const READ_EVERY_MS = 5_000;

export interface EngineMetrics {
  readonly registry: Registry;
  /** Events POST /api/events stored (duplicates not counted). */
  eventsAccepted(count: number): void;
  /** Events marked processed, each with seconds from received to routed. */
  eventsRouted(lagSeconds: readonly number[]): void;
}

interface DatabaseFigures {
  messages: { status: string; provider: string; code: string; n: number }[];
  runs: { state: string; n: number }[];
  activeMembers: number;
  schedulerLag: number;
  unrouted: number;
  oldestUnrouted: number;
  imports: { kind: string; state: string; rowsRead: number; rowsFailed: number }[];
}

export function createMetrics(pool: pg.Pool, options: { readEveryMs?: number } = {}): EngineMetrics {
  const readEveryMs = options.readEveryMs ?? READ_EVERY_MS;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'huitou_' });

  const accepted = new Counter({
    name: 'huitou_events_accepted_total',
    help: 'Events POST /api/events stored by this process (duplicates excluded)',
    registers: [registry],
  });
  const routed = new Counter({
    name: 'huitou_events_routed_total',
    help: 'Events this process routed to their journeys (marked processed)',
    registers: [registry],
  });
  const lag = new Histogram({
    name: 'huitou_event_routing_lag_seconds',
    help: 'Seconds from an event being received to being routed',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300],
    registers: [registry],
  });

  // One read serves every gauge of a scrape (they collect at once) and, for readEveryMs after it
  // ends, the scrapes that follow.
  let cached: { endedAt?: number; figures: Promise<DatabaseFigures> } | undefined;
  const figures = () => {
    const fresh = cached && (cached.endedAt === undefined || Date.now() - cached.endedAt < readEveryMs);
    if (!cached || !fresh) {
      const entry: NonNullable<typeof cached> = { figures: readFigures(pool) };
      cached = entry;
      entry.figures.then(
        () => (entry.endedAt = Date.now()),
        // A failed read is retried at the next scrape rather than served for readEveryMs.
        () => {
          if (cached === entry) cached = undefined;
        },
      );
    }
    return cached.figures;
  };

  new Gauge({
    name: 'huitou_messages',
    help: 'Messages in the database by status (sent, delivered, failed, skipped…), provider and provider error code',
    labelNames: ['status', 'provider', 'code'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const m of (await figures()).messages)
        this.set({ status: m.status, provider: m.provider, code: m.code }, m.n);
    },
  });
  new Gauge({
    name: 'huitou_runs',
    help: 'Runs by state (pending, scheduled, running, paused, ended…)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of (await figures()).runs) this.set({ state: r.state }, r.n);
    },
  });
  new Gauge({
    name: 'huitou_active_run_members',
    help: 'Members still in a journey (not exited) of runs that have not ended',
    registers: [registry],
    async collect() {
      this.set((await figures()).activeMembers);
    },
  });
  new Gauge({
    name: 'huitou_scheduler_lag_seconds',
    help: 'How late the most overdue scheduled run or recurring schedule is (0 when none is due)',
    registers: [registry],
    async collect() {
      this.set((await figures()).schedulerLag);
    },
  });
  new Gauge({
    name: 'huitou_events_unrouted',
    help: 'Stored events not routed yet (the router or the sweep will)',
    registers: [registry],
    async collect() {
      this.set((await figures()).unrouted);
    },
  });
  new Gauge({
    name: 'huitou_events_oldest_unrouted_seconds',
    help: 'Age of the oldest event not routed yet (0 when none)',
    registers: [registry],
    async collect() {
      this.set((await figures()).oldestUnrouted);
    },
  });
  new Gauge({
    name: 'huitou_import_rows',
    help: 'CSV import rows read and failed, by kind and import state',
    labelNames: ['kind', 'state', 'rows'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const i of (await figures()).imports) {
        this.set({ kind: i.kind, state: i.state, rows: 'read' }, i.rowsRead);
        this.set({ kind: i.kind, state: i.state, rows: 'failed' }, i.rowsFailed);
      }
    },
  });

  return {
    registry,
    eventsAccepted: (count) => accepted.inc(count),
    eventsRouted(lagSeconds) {
      routed.inc(lagSeconds.length);
      for (const s of lagSeconds) lag.observe(Math.max(0, s));
    },
  };
}

async function readFigures(pool: pg.Pool): Promise<DatabaseFigures> {
  const [messages, runs, members, lag, events, imports] = await Promise.all([
    pool.query<{ status: string; provider: string; code: string; n: number }>(
      `SELECT status, coalesce(provider, '') AS provider, coalesce(error_code, '') AS code, count(*)::int AS n
         FROM messages GROUP BY 1, 2, 3`,
    ),
    pool.query<{ state: string; n: number }>('SELECT state, count(*)::int AS n FROM runs GROUP BY state'),
    pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM run_members m JOIN runs r ON r.id = m.run_id
        WHERE r.ended_at IS NULL AND m.exited_at IS NULL`,
    ),
    pool.query<{ s: number }>(
      `SELECT greatest(0,
          (SELECT extract(epoch FROM now() - min(scheduled_for)) FROM runs
            WHERE state = 'scheduled' AND scheduled_for <= now()),
          (SELECT extract(epoch FROM now() - min(next_at)) FROM schedules
            WHERE state = 'active' AND next_at <= now()))::float8 AS s`,
    ),
    pool.query<{ n: number; s: number }>(
      `SELECT count(*)::int AS n, coalesce(extract(epoch FROM now() - min(received_at)), 0)::float8 AS s
         FROM events WHERE processed_at IS NULL`,
    ),
    pool.query<{ kind: string; state: string; read: string; failed: string }>(
      `SELECT kind, state, sum(rows_read)::text AS read, sum(rows_failed)::text AS failed
         FROM imports GROUP BY kind, state`,
    ),
  ]);
  return {
    messages: messages.rows,
    runs: runs.rows,
    activeMembers: members.rows[0].n,
    schedulerLag: lag.rows[0].s,
    unrouted: events.rows[0].n,
    oldestUnrouted: events.rows[0].s,
    imports: imports.rows.map((r) => ({
      kind: r.kind,
      state: r.state,
      rowsRead: Number(r.read),
      rowsFailed: Number(r.failed),
    })),
  };
}
