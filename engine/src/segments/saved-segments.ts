// Saved segments (人群, migration 090): what the compiler and the segment preview are told about
// them, and the journeys that use each.
import type { KnownSavedSegment, SavedSegmentDefinition } from '@huitou/schemas';
import { resolveSavedSegments, savedSegmentProblems } from '@huitou/schemas';
import type { Db } from '../db/transaction.ts';
import { shopCategoryKeys } from '../catalogue/categories.ts';
import { ApiError } from '../errors.ts';

/** Every saved segment (archived ones too, so references to them are named as archived). */
export async function knownSavedSegments(db: Db): Promise<Map<string, KnownSavedSegment>> {
  const { rows } = await db.query<{ id: string; archived: boolean; definition: SavedSegmentDefinition }>(
    'SELECT id, archived, definition FROM saved_segments',
  );
  return new Map(rows.map((r) => [r.id, { archived: r.archived, definition: r.definition }]));
}

/** The coupon pools by name with their face value (migration 099; null for a pool without terms). */
async function couponPoolValues(db: Db): Promise<Map<string, { value: number | null }>> {
  const { rows } = await db.query<{ name: string; value: string | null }>('SELECT name, value FROM coupon_pools');
  return new Map(rows.map((r) => [r.name, { value: r.value === null ? null : Number(r.value) }]));
}

/** The shop facts compileJourney checks a graph against: category keys, saved segments, coupon pools. */
export async function compileOptionsOf(db: Db): Promise<{
  categories: string[];
  savedSegments: Map<string, KnownSavedSegment>;
  couponPools: Map<string, { value: number | null }>;
}> {
  return {
    categories: await shopCategoryKeys(db),
    savedSegments: await knownSavedSegments(db),
    couponPools: await couponPoolValues(db),
  };
}

/**
 * `value` with the definitions of the saved segments it uses filled in; a 422 at the path of the
 * first unknown (SAVED_SEGMENT_UNKNOWN) or archived (SAVED_SEGMENT_ARCHIVED) one.
 */
export async function withSavedSegments<T>(db: Db, value: T, base: (string | number)[]): Promise<T> {
  const known = await knownSavedSegments(db);
  const [problem] = savedSegmentProblems(value, known, base);
  if (problem)
    throw new ApiError(
      422,
      problem.problem === 'unknown' ? 'SAVED_SEGMENT_UNKNOWN' : 'SAVED_SEGMENT_ARCHIVED',
      `saved segment ${problem.segmentId} ${problem.problem === 'unknown' ? 'does not exist' : 'is archived'}`,
      problem.path,
      { segmentId: problem.segmentId },
    );
  return resolveSavedSegments(value, known);
}

export interface SegmentUser {
  journeyId: string;
  name: string;
  state: string;
}

/**
 * The live journeys whose draft or latest published graph names each segment, by segment id.
 * One jsonpath scan of the journeys; a journey using a segment twice is listed once.
 */
export async function segmentUsers(db: Db, ids: readonly string[]): Promise<Map<string, SegmentUser[]>> {
  const out = new Map<string, SegmentUser[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const { rows } = await db.query<{ segment_id: string; journey_id: string; name: string; state: string }>(
    `SELECT s.id AS segment_id, j.id AS journey_id, j.name, j.state
     FROM unnest($1::uuid[]) AS s(id)
     JOIN journeys j ON j.state <> 'archived' AND (
       jsonb_path_exists(j.draft, '$.** ? (@.kind == "saved_segment" && @.segmentId == $id)', jsonb_build_object('id', s.id::text))
       OR EXISTS (
         SELECT 1 FROM journey_versions v WHERE v.journey_id = j.id
           AND v.version = (SELECT max(version) FROM journey_versions WHERE journey_id = j.id)
           AND jsonb_path_exists(v.graph, '$.** ? (@.kind == "saved_segment" && @.segmentId == $id)', jsonb_build_object('id', s.id::text))))
     ORDER BY j.name, j.id`,
    [ids],
  );
  for (const r of rows) out.get(r.segment_id)?.push({ journeyId: r.journey_id, name: r.name, state: r.state });
  return out;
}
