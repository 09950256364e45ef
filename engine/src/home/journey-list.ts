// The home page's journey list: a page of journeys with what each is doing now (its current run,
// people in, messages sent), counted in one statement for the page only (no query per journey).
import type { z } from 'zod';
import type { JourneyListItem, JourneyListQuery } from '@huitou/schemas/http';
import type { Db } from '../db/transaction.ts';
import { iso } from '../db/transaction.ts';
import { JOURNEY_COLUMNS, containsPattern, journeyOut } from '../api/rows.ts';
import type { JourneyRow } from '../api/rows.ts';
import { UNENDED_RUN_STATES } from './run-list.ts';

/** Ledger statuses of a message that left for the provider (what "sent" counts in run stats too). */
const SENT_STATUSES = ['sent', 'delivered', 'undelivered'];

interface FiguresRow extends JourneyRow {
  total: string;
  current_run_id: string | null;
  current_run_state: string | null;
  current_run_started_at: Date | null;
  people_in: number;
  messages_sent: number;
  run_count: number;
}

const FILTER = `($1::text IS NULL OR j.state = $1) AND ($2::text IS NULL OR j.name ILIKE $2 ESCAPE '\\')
  AND ($3::boolean IS NULL OR (j.state = 'archived') = $3)`;

/** Journeys matching the query, last edited first, with their figures and the total over all pages. */
export async function listJourneysWithFigures(
  db: Db,
  query: z.output<typeof JourneyListQuery>,
): Promise<{ journeys: z.input<typeof JourneyListItem>[]; total: number }> {
  const filter = [
    query.state ?? null,
    query.q ? containsPattern(query.q) : null,
    query.archived === undefined ? null : query.archived === 'true',
  ];
  // The figures are joined to the page (LIMIT first), so a page costs the same however many journeys exist.
  const { rows } = await db.query<FiguresRow>(
    `WITH page AS (
       SELECT ${JOURNEY_COLUMNS}, count(*) OVER () AS total FROM journeys j WHERE ${FILTER}
       ORDER BY j.updated_at DESC, j.id LIMIT $4 OFFSET $5
     )
     SELECT page.*, cur.id AS current_run_id, cur.state AS current_run_state, cur.started_at AS current_run_started_at,
            coalesce(ppl.n, 0)::int AS people_in, coalesce(msg.n, 0)::int AS messages_sent, coalesce(rc.n, 0)::int AS run_count
     FROM page
     LEFT JOIN LATERAL (
       SELECT r.id, r.state, r.started_at FROM runs r WHERE r.journey_id = page.id AND r.state = ANY($6)
       ORDER BY r.created_at DESC, r.id LIMIT 1
     ) cur ON true
     LEFT JOIN LATERAL (
       SELECT count(*) AS n FROM runs r JOIN run_members m ON m.run_id = r.id
       WHERE r.journey_id = page.id AND r.state = ANY($6) AND m.exited_at IS NULL
     ) ppl ON true
     LEFT JOIN LATERAL (
       SELECT count(*) AS n FROM runs r JOIN messages x ON x.run_id = r.id
       WHERE r.journey_id = page.id AND x.status = ANY($7)
     ) msg ON true
     LEFT JOIN LATERAL (SELECT count(*) AS n FROM runs r WHERE r.journey_id = page.id) rc ON true
     ORDER BY page.updated_at DESC, page.id`,
    [...filter, query.limit, query.offset, UNENDED_RUN_STATES, SENT_STATUSES],
  );
  const total = rows[0]
    ? Number(rows[0].total)
    : // A page past the end has no row to carry the total.
      query.offset > 0
      ? Number(
          (await db.query<{ n: string }>(`SELECT count(*) AS n FROM journeys j WHERE ${FILTER}`, filter)).rows[0].n,
        )
      : 0;
  const journeys = rows.map((r) => ({
    ...journeyOut(r),
    figures: {
      currentRun: r.current_run_id
        ? { id: r.current_run_id, state: r.current_run_state as string, startedAt: iso(r.current_run_started_at) }
        : null,
      peopleIn: r.people_in,
      messagesSent: r.messages_sent,
      runCount: r.run_count,
    },
  }));
  return { journeys, total };
}
