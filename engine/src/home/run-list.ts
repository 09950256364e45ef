// Runs across journeys for the runs page: filters, pages and the total over all pages.
import type { z } from 'zod';
import type { RunListItem, RunListQuery } from '@huitou/schemas/http';
import type { Db } from '../db/transaction.ts';
import { RUN_COLUMNS, runOut } from '../api/rows.ts';
import type { RunRow } from '../api/rows.ts';

/** Runs that have not ended: a journey's current run is the newest of these. */
export const UNENDED_RUN_STATES = ['scheduled', 'pending', 'running', 'paused', 'draining'];

const FILTER = `($1::uuid IS NULL OR r.journey_id = $1) AND ($2::text IS NULL OR r.state = $2)
  AND ($3::uuid IS NULL OR r.schedule_id = $3)
  AND ($4::timestamptz IS NULL OR r.created_at >= $4) AND ($5::timestamptz IS NULL OR r.created_at < $5)`;

/** Newest first, each with its journey's name. */
export async function listRunsPage(
  db: Db,
  query: z.output<typeof RunListQuery>,
): Promise<{ runs: z.input<typeof RunListItem>[]; total: number }> {
  const filter = [
    query.journeyId ?? null,
    query.state ?? null,
    query.scheduleId ?? null,
    query.from ?? null,
    query.to ?? null,
  ];
  const { rows } = await db.query<RunRow & { journey_name: string; total: string }>(
    `SELECT ${RUN_COLUMNS}, j.name AS journey_name, count(*) OVER () AS total
     FROM runs r JOIN journeys j ON j.id = r.journey_id WHERE ${FILTER}
     ORDER BY r.created_at DESC, r.id LIMIT $6 OFFSET $7`,
    [...filter, query.limit, query.offset],
  );
  const total = rows[0]
    ? Number(rows[0].total)
    : // A page past the end has no row to carry the total.
      query.offset > 0
      ? Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM runs r WHERE ${FILTER}`, filter)).rows[0].n)
      : 0;
  return { runs: rows.map((r) => ({ ...runOut(r), journeyName: r.journey_name })), total };
}
